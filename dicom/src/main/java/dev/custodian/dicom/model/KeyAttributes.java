package dev.custodian.dicom.model;

import dev.custodian.dicom.Tag;
import dev.custodian.dicom.Vr;
import dev.custodian.dicom.parse.DicomEvent;
import dev.custodian.dicom.parse.DicomStreamReader;
import dev.custodian.dicom.text.SpecificCharacterSet;
import dev.custodian.dicom.text.TextValues;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The attributes the server indexes and authorizes on. {@link #read} gets them from
 * the top level of a stream and stops at Series Instance UID (0020,000E), the
 * highest of them, so the pixel data is never touched. Values are the first value
 * with padding removed, or null when absent or empty; patientName is the whole PN
 * value ("Alphabetic=Ideographic=Phonetic").
 */
public record KeyAttributes(String transferSyntaxUid, String sopClassUid, String sopInstanceUid,
                            String studyInstanceUid, String seriesInstanceUid, String patientId,
                            String issuerOfPatientId, String patientName, String studyDate,
                            String studyTime, String modality, String accessionNumber) {

    private static final int[] TAGS = {
            Tag.SOP_CLASS_UID, Tag.SOP_INSTANCE_UID, Tag.STUDY_DATE, Tag.STUDY_TIME, Tag.ACCESSION_NUMBER,
            Tag.MODALITY, Tag.PATIENT_NAME, Tag.PATIENT_ID, Tag.ISSUER_OF_PATIENT_ID, Tag.STUDY_INSTANCE_UID,
            Tag.SERIES_INSTANCE_UID};
    private static final int LAST = Tag.SERIES_INSTANCE_UID;

    /**
     * Reads the key attributes from a freshly opened reader. It stops once past
     * (0020,000E), so the reader is left mid-stream; discard or close it afterwards.
     * Relies on ascending tag order, which PS3.5 7.1 requires.
     */
    public static KeyAttributes read(DicomStreamReader r) throws IOException {
        Map<Integer, String> found = new HashMap<>();
        SpecificCharacterSet cs = SpecificCharacterSet.DEFAULT;
        for (DicomEvent e = r.next(); e != DicomEvent.END; e = r.next()) {
            if (r.depth() > 0 || e != DicomEvent.ELEMENT && e != DicomEvent.SEQUENCE_START
                    && e != DicomEvent.FRAGMENTS_START) {
                continue;
            }
            int tag = r.tag();
            if (Integer.compareUnsigned(tag, LAST) > 0) {
                break;
            }
            if (tag == Tag.SPECIFIC_CHARACTER_SET) {
                cs = r.characterSet();
            } else if (e == DicomEvent.ELEMENT && wanted(tag) && r.vr().isText()
                    && r.length() <= 1024) {
                byte[] v = r.readValue();
                Vr vr = r.vr();
                String text = (vr.kind() == Vr.Kind.TEXT ? cs : SpecificCharacterSet.DEFAULT).decode(v);
                String first = TextValues.split(text, vr).get(0);
                if (!first.isEmpty()) {
                    found.put(tag, first);
                }
            }
        }
        return new KeyAttributes(r.transferSyntax().uid(), found.get(Tag.SOP_CLASS_UID),
                found.get(Tag.SOP_INSTANCE_UID), found.get(Tag.STUDY_INSTANCE_UID),
                found.get(Tag.SERIES_INSTANCE_UID), found.get(Tag.PATIENT_ID), found.get(Tag.ISSUER_OF_PATIENT_ID),
                found.get(Tag.PATIENT_NAME), found.get(Tag.STUDY_DATE), found.get(Tag.STUDY_TIME),
                found.get(Tag.MODALITY), found.get(Tag.ACCESSION_NUMBER));
    }

    /** The same attributes from a model already read. */
    public static KeyAttributes of(DicomFile f) {
        Dataset d = f.dataset();
        return new KeyAttributes(f.meta().transferSyntaxUid(), d.string(Tag.SOP_CLASS_UID),
                d.string(Tag.SOP_INSTANCE_UID), d.string(Tag.STUDY_INSTANCE_UID), d.string(Tag.SERIES_INSTANCE_UID),
                d.string(Tag.PATIENT_ID), d.string(Tag.ISSUER_OF_PATIENT_ID), d.string(Tag.PATIENT_NAME),
                d.string(Tag.STUDY_DATE), d.string(Tag.STUDY_TIME), d.string(Tag.MODALITY),
                d.string(Tag.ACCESSION_NUMBER));
    }

    private static boolean wanted(int tag) {
        for (int t : TAGS) {
            if (t == tag) {
                return true;
            }
        }
        return false;
    }
}
