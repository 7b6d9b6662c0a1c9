package dev.custodian.dicom.json;

import dev.custodian.dicom.Tag;
import dev.custodian.dicom.Vr;
import dev.custodian.dicom.model.Dataset;
import dev.custodian.dicom.model.DicomElement;
import dev.custodian.dicom.text.SpecificCharacterSet;
import dev.custodian.dicom.text.TextValues;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Base64;
import java.util.List;

/**
 * Writes data sets in the DICOM JSON Model (PS3.18 Annex F.2) to a Writer as it
 * goes. Keys are 8 uppercase hex digits in ascending order; group lengths
 * (gggg,0000), file meta (0002,eeee) and Data Set Trailing Padding (FFFC,FFFC) are
 * left out; "vr" is always present; empty values have no "Value".
 *
 * <p>Value mapping: text VRs become strings (empty values in a multi-valued
 * element become null); PN becomes {"Alphabetic","Ideographic","Phonetic"}
 * objects; IS, DS and the binary numeric VRs become JSON numbers (IS/DS text that is
 * not a number, and NaN/Infinity floats, become strings instead, since JSON has no
 * token for them); AT becomes "GGGGEEEE"; OB/OD/OF/OL/OV/OW/UN become InlineBinary
 * (base64 of the little endian bytes) up to the inline limit, else a BulkDataURI;
 * values left out of memory and encapsulated pixel data are always BulkDataURIs.
 *
 * <pre>{@code
 * DicomJsonWriter w = new DicomJsonWriter(writer, options);
 * w.beginArray();            // QIDO/metadata responses are arrays
 * w.write(file.dataset());
 * w.endArray();
 * w.flush();
 * }</pre>
 */
public final class DicomJsonWriter {
    private static final int BASE64_CHUNK = 3 * 4096;
    private static final String[] PN_GROUPS = {"Alphabetic", "Ideographic", "Phonetic"};

    private final JsonEmitter json;
    private final JsonWriterOptions options;

    public DicomJsonWriter(Writer out, JsonWriterOptions options) {
        this.json = new JsonEmitter(out);
        this.options = options;
    }

    /** The JSON of one data set as a string (for tests and small data sets). */
    public static String toJson(Dataset dataset, JsonWriterOptions options) {
        StringWriter sw = new StringWriter();
        try {
            DicomJsonWriter w = new DicomJsonWriter(sw, options);
            w.write(dataset);
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sw.toString();
    }

    public void beginArray() throws IOException {
        json.beginArray();
    }

    public void endArray() throws IOException {
        json.endArray();
    }

    public void flush() throws IOException {
        json.flush();
    }

    /** Writes one data set as a JSON object. */
    public void write(Dataset dataset) throws IOException {
        writeDataset(dataset, "");
    }

    private void writeDataset(Dataset ds, String pathPrefix) throws IOException {
        json.beginObject();
        for (DicomElement e : ds.elements()) {
            int tag = e.tag();
            if (Tag.isGroupLength(tag) || Tag.group(tag) == 0x0002 || tag == Tag.DATA_SET_TRAILING_PADDING) {
                continue;
            }
            String key = Tag.toHex(tag);
            json.name(key);
            json.beginObject();
            json.name("vr");
            json.string(e.vr().name());
            writeValue(ds, e, pathPrefix + key);
            json.endObject();
        }
        json.endObject();
    }

    private void writeValue(Dataset ds, DicomElement e, String path) throws IOException {
        if (e.isSequence()) {
            List<Dataset> items = e.items();
            if (!items.isEmpty()) {
                json.name("Value");
                json.beginArray();
                for (int i = 0; i < items.size(); i++) {
                    writeDataset(items.get(i), path + "/" + i + "/");
                }
                json.endArray();
            }
            return;
        }
        if (e.isEncapsulated() || e.isBulk()) {
            if (e.isBulk() && e.valueLength() == 0) {
                return;
            }
            bulkDataUri(e, path);
            return;
        }
        byte[] v = e.bytes();
        if (v.length == 0) {
            return;
        }
        Vr vr = e.vr();
        switch (vr.kind()) {
            case BINARY -> {
                if (v.length <= options.inlineBinaryMax() || !bulkDataUri(e, path)) {
                    inlineBinary(v);
                }
            }
            case TEXT, ASCII_TEXT -> {
                SpecificCharacterSet cs = vr.kind() == Vr.Kind.TEXT ? ds.characterSet() : SpecificCharacterSet.DEFAULT;
                List<String> values = TextValues.split(cs.decode(v), vr);
                if (vr == Vr.PN) {
                    values = values.stream().map(DicomJsonWriter::emptyIfOnlyDelimiters).toList();
                }
                if (isEmpty(values)) {
                    return;
                }
                json.name("Value");
                json.beginArray();
                for (String s : values) {
                    if (s.isEmpty()) {
                        json.nullValue();
                    } else if (vr == Vr.PN) {
                        personName(s);
                    } else {
                        json.string(s);
                    }
                }
                json.endArray();
            }
            case NUMBER_TEXT -> {
                List<String> values = TextValues.split(SpecificCharacterSet.DEFAULT.decode(v), vr);
                if (isEmpty(values)) {
                    return;
                }
                json.name("Value");
                json.beginArray();
                for (String s : values) {
                    String n = s.isEmpty() ? null : NumberText.fromDecimalString(s);
                    if (s.isEmpty()) {
                        json.nullValue();
                    } else if (n != null) {
                        json.number(n);
                    } else {
                        json.string(s);
                    }
                }
                json.endArray();
            }
            case INTEGER, FLOAT, TAG -> binaryNumbers(vr, v);
            default -> throw new IllegalStateException("unhandled VR " + vr);
        }
    }

    private static boolean isEmpty(List<String> values) {
        return values.size() == 1 && values.get(0).isEmpty();
    }

    /** Writes "BulkDataURI" if a URI maker gives one; returns false if it did not. */
    private boolean bulkDataUri(DicomElement e, String path) throws IOException {
        if (options.uriMaker() == null) {
            return false;
        }
        String uri = options.uriMaker().uriFor(new BulkDataLocation(path, e));
        if (uri == null) {
            return false;
        }
        json.name("BulkDataURI");
        json.string(uri);
        return true;
    }

    private void inlineBinary(byte[] v) throws IOException {
        json.name("InlineBinary");
        json.beginRawString();
        Base64.Encoder enc = Base64.getEncoder();
        for (int off = 0; off < v.length; off += BASE64_CHUNK) {
            int n = Math.min(BASE64_CHUNK, v.length - off);
            byte[] chunk = new byte[n];
            System.arraycopy(v, off, chunk, 0, n);
            json.rawStringChars(enc.encodeToString(chunk));
        }
        json.endRawString();
    }

    /** A PN like "^^^^" or "==" names nobody: its components are all empty. */
    private static String emptyIfOnlyDelimiters(String pn) {
        for (int i = 0; i < pn.length(); i++) {
            char c = pn.charAt(i);
            if (c != '^' && c != '=' && c != ' ') {
                return pn;
            }
        }
        return "";
    }

    /** PN: up to three component groups separated by '='; empty groups are left out. */
    private void personName(String value) throws IOException {
        json.beginObject();
        int start = 0;
        for (int g = 0; g < PN_GROUPS.length && start <= value.length(); g++) {
            int eq = value.indexOf('=', start);
            int end = eq < 0 || g == PN_GROUPS.length - 1 ? value.length() : eq;
            String group = TextValues.trim(value.substring(start, end), Vr.PN);
            if (!emptyIfOnlyDelimiters(group).isEmpty()) {
                json.name(PN_GROUPS[g]);
                json.string(group);
            }
            if (eq < 0) {
                break;
            }
            start = end + 1;
        }
        json.endObject();
    }

    private void binaryNumbers(Vr vr, byte[] v) throws IOException {
        int unit = vr == Vr.AT ? 4 : vr.unitSize();
        int count = v.length / unit;
        if (count == 0) {
            return;
        }
        json.name("Value");
        json.beginArray();
        for (int i = 0; i < count; i++) {
            int off = i * unit;
            switch (vr) {
                case US -> json.number(Integer.toString(u16(v, off)));
                case SS -> json.number(Integer.toString((short) u16(v, off)));
                case UL -> json.number(Long.toString(u32(v, off) & 0xFFFFFFFFL));
                case SL -> json.number(Integer.toString(u32(v, off)));
                case SV -> json.number(Long.toString(u64(v, off)));
                case UV -> json.number(Long.toUnsignedString(u64(v, off)));
                case FL -> floatToken(NumberText.fromFloat(Float.intBitsToFloat(u32(v, off))),
                        Float.toString(Float.intBitsToFloat(u32(v, off))));
                case FD -> floatToken(NumberText.fromDouble(Double.longBitsToDouble(u64(v, off))),
                        Double.toString(Double.longBitsToDouble(u64(v, off))));
                case AT -> json.string(Tag.toHex(u16(v, off) << 16 | u16(v, off + 2)));
                default -> throw new IllegalStateException("not numeric: " + vr);
            }
        }
        json.endArray();
    }

    private void floatToken(String number, String fallback) throws IOException {
        if (number != null) {
            json.number(number);
        } else {
            json.string(fallback);
        }
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    private static int u32(byte[] b, int off) {
        return u16(b, off) | u16(b, off + 2) << 16;
    }

    private static long u64(byte[] b, int off) {
        return (u32(b, off) & 0xFFFFFFFFL) | (long) u32(b, off + 4) << 32;
    }
}
