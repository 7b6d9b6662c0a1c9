package dev.custodian.dicom.parse;

import dev.custodian.dicom.DicomParseException;
import dev.custodian.dicom.Tag;
import dev.custodian.dicom.TransferSyntax;
import dev.custodian.dicom.Vr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;

/** Reads the 128-byte preamble, "DICM" and the explicit VR little endian meta group. */
final class FileMetaReader {
    private static final int PREAMBLE = 128;

    private FileMetaReader() {
    }

    static FileMetaInformation read(DicomInput in, ReaderOptions options) throws IOException {
        in.skip(PREAMBLE, "the 128-byte preamble (not a DICOM Part 10 file)");
        long prefixAt = in.position();
        byte[] prefix = new byte[4];
        in.readFully(prefix, 0, 4, "the 'DICM' prefix (not a DICOM Part 10 file)");
        if (prefix[0] != 'D' || prefix[1] != 'I' || prefix[2] != 'C' || prefix[3] != 'M') {
            throw in.error(prefixAt, "missing 'DICM' prefix after the preamble: not a DICOM Part 10 file");
        }
        long start = in.position();
        TreeMap<Integer, byte[]> elements = new TreeMap<>();
        long groupEnd = -1;
        while (in.hasMore()) {
            if (groupEnd >= 0 && in.position() >= groupEnd) {
                if (in.position() > groupEnd) {
                    throw in.error("file meta element crosses the end given by (0002,0000)");
                }
                break;
            }
            if (groupEnd < 0 && in.peekU16LE("file meta tag") != 0x0002) {
                break; // no group length: the meta group ends where group 0002 does
            }
            long at = in.position();
            int tag = in.u16(false, "file meta tag") << 16 | in.u16(false, "file meta tag");
            if (Tag.group(tag) != 0x0002) {
                throw in.error(at, "element " + Tag.toString(tag) + " inside the file meta group");
            }
            int c1 = in.u8("file meta VR");
            int c2 = in.u8("file meta VR");
            Vr vr = Vr.of(c1, c2);
            if (vr == null) {
                throw in.error(at, "invalid VR bytes " + hex(c1) + " " + hex(c2) + " in file meta element "
                        + Tag.toString(tag) + " (the meta group is always explicit VR little endian)");
            }
            long length;
            if (vr.hasLongExplicitHeader()) {
                in.skip(2, "file meta element header");
                length = in.u32(false, "file meta length");
            } else {
                length = in.u16(false, "file meta length");
            }
            if (length > options.maxMetaLength() || in.position() + length - start > options.maxMetaLength()) {
                throw in.error(at, "file meta element " + Tag.toString(tag) + " length " + length
                        + " exceeds the file meta limit of " + options.maxMetaLength() + " bytes");
            }
            if (groupEnd >= 0 && in.position() + length > groupEnd) {
                throw in.error(at, "file meta element " + Tag.toString(tag)
                        + " runs past the end of the meta group given by (0002,0000)");
            }
            byte[] value = new byte[(int) length];
            in.readFully(value, 0, value.length, "file meta element " + Tag.toString(tag));
            if (elements.put(tag, value) != null) {
                throw in.error(at, "duplicate file meta element " + Tag.toString(tag));
            }
            if (tag == Tag.FILE_META_INFORMATION_GROUP_LENGTH && elements.size() == 1) {
                if (vr != Vr.UL || length != 4) {
                    throw in.error(at, "(0002,0000) must be UL of length 4");
                }
                long groupLength = (value[0] & 0xFFL) | (value[1] & 0xFFL) << 8 | (value[2] & 0xFFL) << 16
                        | (value[3] & 0xFFL) << 24;
                if (groupLength > options.maxMetaLength()) {
                    throw in.error(at, "file meta group length " + groupLength + " exceeds the limit of "
                            + options.maxMetaLength() + " bytes");
                }
                groupEnd = in.position() + groupLength;
            }
        }
        if (groupEnd >= 0 && in.position() < groupEnd) {
            throw in.error("file ends inside the file meta group");
        }
        byte[] tsValue = elements.get(Tag.TRANSFER_SYNTAX_UID);
        if (tsValue == null) {
            throw in.error(start, "file meta information has no Transfer Syntax UID (0002,0010)");
        }
        String uid = new String(tsValue, StandardCharsets.ISO_8859_1);
        TransferSyntax ts = TransferSyntax.forUid(uid);
        if (ts == null) {
            throw in.error(start, "unsupported transfer syntax UID '" + printable(uid.replaceAll("[\\s\\x00]+$", ""))
                    + "'");
        }
        return new FileMetaInformation(ts, elements, in.position());
    }

    private static String hex(int b) {
        return String.format("0x%02X", b);
    }

    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return sb.toString();
    }
}
