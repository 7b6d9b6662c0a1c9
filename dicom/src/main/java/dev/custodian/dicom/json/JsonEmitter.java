package dev.custodian.dicom.json;

import java.io.IOException;
import java.io.Writer;
import java.util.BitSet;

/**
 * Minimal streaming JSON token writer (compact output). Hand-written because the
 * module is JDK only; it does just what DICOM JSON needs: objects, arrays, string,
 * raw number and null tokens, with commas placed automatically.
 */
final class JsonEmitter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final Writer out;
    /** Bit per open container: set once it has a member (so the next needs a comma). */
    private final BitSet hasMember = new BitSet();
    private int depth;
    private boolean afterName;

    JsonEmitter(Writer out) {
        this.out = out;
    }

    void beginObject() throws IOException {
        beforeValue();
        out.write('{');
        open();
    }

    void endObject() throws IOException {
        close();
        out.write('}');
    }

    void beginArray() throws IOException {
        beforeValue();
        out.write('[');
        open();
    }

    void endArray() throws IOException {
        close();
        out.write(']');
    }

    void name(String name) throws IOException {
        comma();
        writeString(name);
        out.write(':');
        afterName = true;
    }

    void string(String s) throws IOException {
        beforeValue();
        writeString(s);
    }

    /** A number token; the caller guarantees it matches the JSON number grammar. */
    void number(String jsonNumber) throws IOException {
        beforeValue();
        out.write(jsonNumber);
    }

    void nullValue() throws IOException {
        beforeValue();
        out.write("null");
    }

    /** Raw characters inside an open string value (for base64 written in chunks). */
    void beginRawString() throws IOException {
        beforeValue();
        out.write('"');
    }

    void rawStringChars(String chunk) throws IOException {
        out.write(chunk);
    }

    void endRawString() throws IOException {
        out.write('"');
    }

    void flush() throws IOException {
        out.flush();
    }

    private void open() {
        depth++;
        hasMember.clear(depth);
    }

    private void close() {
        depth--;
        afterName = false;
    }

    private void beforeValue() throws IOException {
        if (afterName) {
            afterName = false;
            return;
        }
        comma();
    }

    private void comma() throws IOException {
        if (depth > 0) {
            if (hasMember.get(depth)) {
                out.write(',');
            }
            hasMember.set(depth);
        }
    }

    private void writeString(String s) throws IOException {
        out.write('"');
        int runStart = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String esc = null;
            if (c == '"') {
                esc = "\\\"";
            } else if (c == '\\') {
                esc = "\\\\";
            } else if (c < 0x20) {
                esc = switch (c) {
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\t' -> "\\t";
                    case '\b' -> "\\b";
                    case '\f' -> "\\f";
                    default -> "\\u00" + HEX[c >> 4] + HEX[c & 0xF];
                };
            }
            if (esc != null) {
                out.write(s, runStart, i - runStart);
                out.write(esc);
                runStart = i + 1;
            }
        }
        out.write(s, runStart, s.length() - runStart);
        out.write('"');
    }
}
