package dev.custodian.server.demo;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.UUID;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;

/**
 * Builds CT ImagingStudy and DiagnosticReport resources that meet Custodian's profiles, with
 * deterministic DICOM UIDs so that loading the same records twice changes nothing.
 */
final class CtRecords {

  static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
  static final String LOINC = "http://loinc.org";
  static final String SNOMED = "http://snomed.info/sct";
  static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";

  private CtRecords() {}

  /** A DICOM UID under the 2.25 (UUID-derived) root, the same for the same name every time. */
  static String uid(String name) {
    UUID uuid = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    ByteBuffer bytes = ByteBuffer.allocate(16);
    bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
    return "2.25." + new BigInteger(1, bytes.array());
  }

  static ImagingStudy study(
      String id,
      String patientId,
      CtProcedure procedure,
      Date started,
      int seriesCount,
      int instancesPerSeries,
      boolean listInstances) {
    ImagingStudy study = new ImagingStudy();
    study.setId(id);
    study.addIdentifier().setSystem("urn:dicom:uid").setValue("urn:oid:" + uid(id));
    study.setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
    study.addModality(new Coding(DCM, "CT", "Computed Tomography"));
    study.setSubject(new Reference("Patient/" + patientId));
    study.setStartedElement(new DateTimeType(started));
    study.addEndpoint(new Reference("Endpoint/" + DemoIds.WADO_ENDPOINT));
    study.addProcedureCode(new CodeableConcept(new Coding(LOINC, procedure.loinc, procedure.display)));
    study.setDescription(procedure.display);
    study.setNumberOfSeries(seriesCount);
    study.setNumberOfInstances(seriesCount * instancesPerSeries);
    for (int s = 1; s <= seriesCount; s++) {
      ImagingStudy.ImagingStudySeriesComponent series = study.addSeries();
      series.setUid(uid(id + "/series/" + s));
      series.setNumber(s);
      series.setModality(new Coding(DCM, "CT", "Computed Tomography"));
      series.setDescription(s == 1 ? "Axial 1.25 mm" : "Coronal reformat " + s);
      series.setNumberOfInstances(instancesPerSeries);
      series.setBodySite(new Coding(SNOMED, procedure.bodySiteSnomed, procedure.bodySiteDisplay));
      series.setStartedElement(new DateTimeType(started));
      if (listInstances) {
        for (int i = 1; i <= instancesPerSeries; i++) {
          series
              .addInstance()
              .setUid(uid(id + "/series/" + s + "/instance/" + i))
              .setSopClass(new Coding("urn:ietf:rfc:3986", "urn:oid:" + CT_IMAGE_STORAGE, "CT Image Storage"))
              .setNumber(i);
        }
      }
    }
    return study;
  }

  static DiagnosticReport report(
      String id, ImagingStudy study, CtProcedure procedure, Date issued, String performerOrgId) {
    DiagnosticReport report = new DiagnosticReport();
    report.setId(id);
    report.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
    report.addCategory(
        new CodeableConcept(
            new Coding("http://terminology.hl7.org/CodeSystem/v2-0074", "RAD", "Radiology")));
    report.setCode(new CodeableConcept(new Coding(LOINC, procedure.loinc, procedure.display)));
    report.setSubject(study.getSubject().copy());
    report.setEffective(study.getStartedElement().copy());
    report.setIssuedElement(new InstantType(issued));
    report.addPerformer(new Reference("Organization/" + performerOrgId));
    report.addImagingStudy(new Reference("ImagingStudy/" + study.getIdElement().getIdPart()));
    report.setConclusion(procedure.conclusion);
    String text =
        procedure.display.toUpperCase()
            + "\n\nTECHNIQUE: Helical CT acquisition with multiplanar reformats.\n\nIMPRESSION: "
            + procedure.conclusion
            + "\n";
    report.addPresentedForm(
        new Attachment()
            .setContentType("text/plain; charset=utf-8")
            .setTitle(procedure.display + " report")
            .setData(text.getBytes(StandardCharsets.UTF_8)));
    return report;
  }
}
