package dev.custodian.dicom;

/**
 * Tags are plain ints (group in the high 16 bits). This class holds the handful of
 * tags the codec itself needs plus helpers; the full dictionary is
 * {@link dev.custodian.dicom.dictionary.DataDictionary}.
 */
public final class Tag {
    private Tag() {
    }

    public static final int FILE_META_INFORMATION_GROUP_LENGTH = 0x00020000;
    public static final int MEDIA_STORAGE_SOP_CLASS_UID = 0x00020002;
    public static final int MEDIA_STORAGE_SOP_INSTANCE_UID = 0x00020003;
    public static final int TRANSFER_SYNTAX_UID = 0x00020010;
    public static final int IMPLEMENTATION_CLASS_UID = 0x00020012;
    public static final int IMPLEMENTATION_VERSION_NAME = 0x00020013;
    public static final int SOURCE_APPLICATION_ENTITY_TITLE = 0x00020016;

    public static final int SPECIFIC_CHARACTER_SET = 0x00080005;
    public static final int SOP_CLASS_UID = 0x00080016;
    public static final int SOP_INSTANCE_UID = 0x00080018;
    public static final int STUDY_DATE = 0x00080020;
    public static final int STUDY_TIME = 0x00080030;
    public static final int ACCESSION_NUMBER = 0x00080050;
    public static final int MODALITY = 0x00080060;
    public static final int PATIENT_NAME = 0x00100010;
    public static final int PATIENT_ID = 0x00100020;
    public static final int ISSUER_OF_PATIENT_ID = 0x00100021;
    public static final int STUDY_INSTANCE_UID = 0x0020000D;
    public static final int SERIES_INSTANCE_UID = 0x0020000E;
    public static final int PIXEL_REPRESENTATION = 0x00280103;
    public static final int PIXEL_DATA = 0x7FE00010;
    public static final int DATA_SET_TRAILING_PADDING = 0xFFFCFFFC;

    public static final int ITEM = 0xFFFEE000;
    public static final int ITEM_DELIMITATION_ITEM = 0xFFFEE00D;
    public static final int SEQUENCE_DELIMITATION_ITEM = 0xFFFEE0DD;

    public static int group(int tag) {
        return tag >>> 16;
    }

    public static int element(int tag) {
        return tag & 0xFFFF;
    }

    /** Group length elements (gggg,0000) are deprecated and never reach DICOM JSON. */
    public static boolean isGroupLength(int tag) {
        return element(tag) == 0;
    }

    public static boolean isPrivate(int tag) {
        return (group(tag) & 1) == 1;
    }

    /** (gggg,0010-00FF) in an odd group reserves a block of private elements; always LO. */
    public static boolean isPrivateCreator(int tag) {
        int e = element(tag);
        return isPrivate(tag) && e >= 0x0010 && e <= 0x00FF;
    }

    /** "GGGGEEEE", the DICOM JSON key form. */
    public static String toHex(int tag) {
        String s = Integer.toHexString(tag).toUpperCase(java.util.Locale.ROOT);
        return "00000000".substring(s.length()) + s;
    }

    /** "(gggg,eeee)", the form used in messages. */
    public static String toString(int tag) {
        String h = toHex(tag);
        return "(" + h.substring(0, 4) + "," + h.substring(4) + ")";
    }
}
