package dev.custodian.server.dicomweb;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;

/**
 * Small but valid CT Image Storage objects for a demo ImagingStudy: one per instance the study lists,
 * with the study's, series' and instances' UIDs and numbers, the study's date and description and
 * the patient's name, MRN (issuer: the MRN system), birth date and sex — so QIDO, WADO and FHIR tell
 * the same story. 64×64 pixels, 16-bit signed, a water-filled ellipse in air with a bright disk that
 * moves from slice to slice (about 8 KiB of pixels each).
 */
final class DemoCtImages {

  static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
  static final String MRN_SYSTEM = "https://custodian.dev/fhir/sid/mrn";
  private static final int SIZE = 64;

  private DemoCtImages() {}

  /** The Part 10 objects of every instance {@code study} lists. */
  static List<byte[]> of(ImagingStudy study, Patient patient, String studyUid, String implementationClassUid) {
    ZonedDateTime started = study.getStartedElement().getValue().toInstant().atZone(ZoneOffset.UTC);
    String date = started.format(DateTimeFormatter.BASIC_ISO_DATE).substring(0, 8);
    String time = started.format(DateTimeFormatter.ofPattern("HHmmss"));
    String mrn = patient.getIdentifier().stream().filter(i -> MRN_SYSTEM.equals(i.getSystem()))
        .map(Identifier::getValue).findFirst().orElse(patient.getIdElement().getIdPart());
    String name = patient.getNameFirstRep().getFamily() + "^" + patient.getNameFirstRep().getGivenAsSingleString();
    String birth = patient.hasBirthDate()
        ? patient.getBirthDateElement().getValueAsString().replace("-", "") : "";
    String sex = patient.getGender() == Enumerations.AdministrativeGender.FEMALE ? "F"
        : patient.getGender() == Enumerations.AdministrativeGender.MALE ? "M" : "O";
    String accession = study.getIdElement().getIdPart();
    accession = accession.length() > 16 ? accession.substring(0, 16) : accession;
    List<byte[]> files = new ArrayList<>();
    for (ImagingStudy.ImagingStudySeriesComponent series : study.getSeries()) {
      for (ImagingStudy.ImagingStudySeriesInstanceComponent instance : series.getInstance()) {
        int number = instance.getNumber();
        double z = -100.0 + 5.0 * number;
        byte[] dataset = new Part10Writer()
            .text(0x00080005, "CS", "ISO_IR 192")
            .text(0x00080008, "CS", "ORIGINAL\\PRIMARY\\AXIAL")
            .text(0x00080016, "UI", CT_IMAGE_STORAGE)
            .text(0x00080018, "UI", instance.getUid())
            .text(0x00080020, "DA", date)
            .text(0x00080021, "DA", date)
            .text(0x00080023, "DA", date)
            .text(0x00080030, "TM", time)
            .text(0x00080031, "TM", time)
            .text(0x00080033, "TM", time)
            .text(0x00080050, "SH", accession)
            .text(0x00080060, "CS", "CT")
            .text(0x00080070, "LO", "Custodian demo generator")
            .text(0x00080080, "LO", "Custodian Imaging Centre")
            .text(0x00080090, "PN", "")
            .text(0x00081030, "LO", study.hasDescription() ? study.getDescription() : "CT")
            .text(0x0008103E, "LO", series.hasDescription() ? series.getDescription() : "CT series")
            .text(0x00100010, "PN", name)
            .text(0x00100020, "LO", mrn)
            .text(0x00100021, "LO", MRN_SYSTEM)
            .text(0x00100030, "DA", birth)
            .text(0x00100040, "CS", sex)
            .text(0x00180050, "DS", "1.25")
            .text(0x00180060, "DS", "120")
            .text(0x0020000D, "UI", studyUid)
            .text(0x0020000E, "UI", series.getUid())
            .text(0x00200010, "SH", "1")
            .text(0x00200011, "IS", Integer.toString(series.getNumber()))
            .text(0x00200013, "IS", Integer.toString(number))
            .text(0x00200032, "DS", "-16\\-16\\" + z)
            .text(0x00200037, "DS", "1\\0\\0\\0\\1\\0")
            .text(0x00200052, "UI", studyUid + ".1")
            .text(0x00201041, "DS", Double.toString(z))
            .us(0x00280002, 1)
            .text(0x00280004, "CS", "MONOCHROME2")
            .us(0x00280010, SIZE)
            .us(0x00280011, SIZE)
            .text(0x00280030, "DS", "0.5\\0.5")
            .us(0x00280100, 16)
            .us(0x00280101, 12)
            .us(0x00280102, 11)
            .us(0x00280103, 1)
            .text(0x00281050, "DS", "40")
            .text(0x00281051, "DS", "400")
            .text(0x00281052, "DS", "-1024")
            .text(0x00281053, "DS", "1")
            .binary(0x7FE00010, "OW", pixels(number))
            .bytes();
        files.add(Part10Writer.toPart10(CT_IMAGE_STORAGE, instance.getUid(), implementationClassUid, dataset));
      }
    }
    return files;
  }

  /** Stored values (HU + 1024): air 0, water 1024, a disk of 1324 (300 HU) that moves with the slice. */
  private static byte[] pixels(int slice) {
    byte[] pixels = new byte[SIZE * SIZE * 2];
    double diskX = 20 + 6 * slice;
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        double ex = (x - 31.5) / 28.0;
        double ey = (y - 31.5) / 22.0;
        int value = ex * ex + ey * ey <= 1 ? 1024 : 0;
        if ((x - diskX) * (x - diskX) + (y - 30) * (y - 30) <= 25) {
          value = 1324;
        }
        pixels[2 * (y * SIZE + x)] = (byte) value;
        pixels[2 * (y * SIZE + x) + 1] = (byte) (value >>> 8);
      }
    }
    return pixels;
  }
}
