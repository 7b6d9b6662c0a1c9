package dev.custodian.server.dicomweb;

import dev.custodian.dicom.Vr;
import dev.custodian.dicom.parse.DicomEvent;
import dev.custodian.dicom.parse.DicomStreamReader;
import dev.custodian.dicom.parse.ReaderOptions;
import dev.custodian.dicom.text.TextValues;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/**
 * Reads a whole Part 10 stream with our parser — so a STOW-RS part that is not well-formed DICOM
 * fails with {@code DicomParseException} — and collects the top-level attributes the index keeps.
 * Values it does not need are skipped as they stream past, so memory stays flat.
 */
final class InstanceScanner {

  /** The top-level attributes the index keeps. */
  static final Set<Integer> INDEXED = Set.of(
      DicomTags.SOP_CLASS_UID, DicomTags.SOP_INSTANCE_UID, DicomTags.STUDY_DATE, DicomTags.SERIES_DATE,
      DicomTags.ACQUISITION_DATE, DicomTags.CONTENT_DATE, DicomTags.STUDY_TIME, DicomTags.SERIES_TIME,
      DicomTags.ACCESSION_NUMBER, DicomTags.MODALITY, DicomTags.REFERRING_PHYSICIAN_NAME,
      DicomTags.STUDY_DESCRIPTION, DicomTags.SERIES_DESCRIPTION, DicomTags.PATIENT_NAME, DicomTags.PATIENT_ID,
      DicomTags.ISSUER_OF_PATIENT_ID, DicomTags.PATIENT_BIRTH_DATE, DicomTags.PATIENT_SEX,
      DicomTags.BODY_PART_EXAMINED, DicomTags.STUDY_INSTANCE_UID, DicomTags.SERIES_INSTANCE_UID,
      DicomTags.STUDY_ID, DicomTags.SERIES_NUMBER, DicomTags.INSTANCE_NUMBER, DicomTags.NUMBER_OF_FRAMES,
      DicomTags.ROWS, DicomTags.COLUMNS, DicomTags.BITS_ALLOCATED);

  private static final int MAX_TEXT = 1024;

  private InstanceScanner() {}

  /** Parses {@code in} to the end of its data set and returns the indexed attributes. */
  static InstanceAttributes scan(InputStream in) throws IOException {
    InstanceAttributes found = new InstanceAttributes();
    DicomStreamReader reader = DicomStreamReader.open(in, ReaderOptions.DEFAULTS, -1);
    found.transferSyntaxUid(reader.transferSyntax().uid());
    for (DicomEvent event = reader.next(); event != DicomEvent.END; event = reader.next()) {
      if (event == DicomEvent.ELEMENT && reader.depth() == 0 && INDEXED.contains(reader.tag())
          && reader.length() >= 0 && reader.length() <= MAX_TEXT) {
        found.put(reader.tag(), valueOf(reader));
      }
    }
    return found;
  }

  private static String valueOf(DicomStreamReader reader) throws IOException {
    Vr vr = reader.vr();
    byte[] value = reader.readValue();
    if (vr == Vr.US && value.length >= 2) {
      int number = reader.valueBigEndian()
          ? (value[0] & 0xFF) << 8 | (value[1] & 0xFF)
          : (value[1] & 0xFF) << 8 | (value[0] & 0xFF);
      return Integer.toString(number);
    }
    if (!vr.isText()) {
      return null;
    }
    String text = reader.characterSet().decode(value);
    return TextValues.split(text, vr).get(0);
  }
}
