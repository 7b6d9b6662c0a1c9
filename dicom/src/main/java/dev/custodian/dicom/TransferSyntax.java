package dev.custodian.dicom;

import java.util.Map;

/**
 * How a data set is encoded: VR explicit or implicit, byte order, deflate, and
 * whether pixel data is encapsulated. Only UIDs we can parse are accepted:
 * unknown UIDs are refused rather than guessed.
 */
public record TransferSyntax(String uid, String name, boolean explicitVr, boolean bigEndian,
                             boolean deflated, boolean encapsulated) {

    public static final TransferSyntax IMPLICIT_VR_LITTLE_ENDIAN =
            new TransferSyntax("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, false, false);
    public static final TransferSyntax EXPLICIT_VR_LITTLE_ENDIAN =
            new TransferSyntax("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, false, false);
    public static final TransferSyntax DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN =
            new TransferSyntax("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false, true, false);
    public static final TransferSyntax EXPLICIT_VR_BIG_ENDIAN =
            new TransferSyntax("1.2.840.10008.1.2.2", "Explicit VR Big Endian (retired)", true, true, false, false);

    private static final Map<String, TransferSyntax> NATIVE = Map.of(
            IMPLICIT_VR_LITTLE_ENDIAN.uid, IMPLICIT_VR_LITTLE_ENDIAN,
            EXPLICIT_VR_LITTLE_ENDIAN.uid, EXPLICIT_VR_LITTLE_ENDIAN,
            DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN.uid, DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
            EXPLICIT_VR_BIG_ENDIAN.uid, EXPLICIT_VR_BIG_ENDIAN);

    /**
     * The transfer syntax for a UID (trailing NUL/space padding removed), or null if
     * we do not know how to parse it. Every compressed (encapsulated) syntax uses
     * explicit VR little endian for the data set, so the whole standard families are
     * accepted: JPEG, JPEG-LS, JPEG 2000, HTJ2K, MPEG/HEVC (1.2.840.10008.1.2.4.*),
     * RLE (1.2.840.10008.1.2.5), Deflated Image Frame Compression (1.2.840.10008.1.2.8.1)
     * and Encapsulated Uncompressed (1.2.840.10008.1.2.1.98).
     */
    public static TransferSyntax forUid(String rawUid) {
        String uid = trim(rawUid);
        TransferSyntax ts = NATIVE.get(uid);
        if (ts != null) {
            return ts;
        }
        if (isUidSuffix(uid, "1.2.840.10008.1.2.4.") || uid.equals("1.2.840.10008.1.2.5")
                || uid.equals("1.2.840.10008.1.2.8.1") || uid.equals("1.2.840.10008.1.2.1.98")) {
            return new TransferSyntax(uid, "Encapsulated " + uid, true, false, false, true);
        }
        return null;
    }

    private static boolean isUidSuffix(String uid, String prefix) {
        if (!uid.startsWith(prefix) || uid.length() == prefix.length() || uid.length() > 64) {
            return false;
        }
        for (int i = prefix.length(); i < uid.length(); i++) {
            char c = uid.charAt(i);
            if ((c < '0' || c > '9') && c != '.') {
                return false;
            }
        }
        return true;
    }

    private static String trim(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == 0 || s.charAt(end - 1) == ' ')) {
            end--;
        }
        return s.substring(0, end);
    }
}
