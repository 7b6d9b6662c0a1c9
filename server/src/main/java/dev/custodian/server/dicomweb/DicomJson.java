package dev.custodian.server.dicomweb;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Writes the few DICOM JSON (PS3.18 F.2) shapes DICOMweb answers with that do not come from a
 * stored data set: QIDO-RS results and the STOW-RS response. Attributes are written in the order
 * given, which must be ascending tag order; empty values get no {@code "Value"}.
 */
final class DicomJson {

  private final Writer out;
  /** Whether the current array or object has had a member yet. */
  private final Deque<boolean[]> started = new ArrayDeque<>();

  DicomJson(Writer out) {
    this.out = out;
  }

  DicomJson beginArray() throws IOException {
    separate();
    out.write('[');
    started.push(new boolean[1]);
    return this;
  }

  DicomJson endArray() throws IOException {
    started.pop();
    out.write(']');
    return this;
  }

  /** A data set: an element of an array (results, sequence items). */
  DicomJson beginDataset() throws IOException {
    separate();
    out.write('{');
    started.push(new boolean[1]);
    return this;
  }

  DicomJson endDataset() throws IOException {
    started.pop();
    out.write('}');
    return this;
  }

  /** A string-valued attribute (AE, CS, DA, DT, LO, SH, TM, UI, UR, ...); null or empty → no Value. */
  DicomJson string(int tag, String vr, String... values) throws IOException {
    key(tag, vr);
    if (hasAny(values)) {
      out.write(",\"Value\":[");
      for (int i = 0; i < values.length; i++) {
        if (i > 0) {
          out.write(',');
        }
        quoted(values[i]);
      }
      out.write(']');
    }
    out.write('}');
    return this;
  }

  /** A PN attribute; the value is "Alphabetic=Ideographic=Phonetic" as stored. */
  DicomJson personName(int tag, String value) throws IOException {
    key(tag, "PN");
    if (value != null && !value.isEmpty()) {
      String[] groups = value.split("=", -1);
      String[] names = {"Alphabetic", "Ideographic", "Phonetic"};
      out.write(",\"Value\":[{");
      boolean any = false;
      for (int i = 0; i < Math.min(groups.length, 3); i++) {
        if (!groups[i].isEmpty()) {
          out.write(any ? ",\"" : "\"");
          out.write(names[i]);
          out.write("\":");
          quoted(groups[i]);
          any = true;
        }
      }
      out.write("}]");
    }
    out.write('}');
    return this;
  }

  /** A numeric attribute (IS, US, UL, ...); null → no Value. */
  DicomJson number(int tag, String vr, Number value) throws IOException {
    key(tag, vr);
    if (value != null) {
      out.write(",\"Value\":[");
      out.write(value.toString());
      out.write(']');
    }
    out.write('}');
    return this;
  }

  /** Starts an SQ attribute; write its items with {@link #beginDataset()}, then {@link #endSequence()}. */
  DicomJson beginSequence(int tag) throws IOException {
    key(tag, "SQ");
    out.write(",\"Value\":[");
    started.push(new boolean[1]);
    return this;
  }

  DicomJson endSequence() throws IOException {
    started.pop();
    out.write("]}");
    return this;
  }

  void flush() throws IOException {
    out.flush();
  }

  private void key(int tag, String vr) throws IOException {
    separate();
    out.write('"');
    out.write(String.format(Locale.ROOT, "%08X", tag));
    out.write("\":{\"vr\":\"");
    out.write(vr);
    out.write('"');
  }

  private void separate() throws IOException {
    boolean[] current = started.peek();
    if (current != null) {
      if (current[0]) {
        out.write(',');
      }
      current[0] = true;
    }
  }

  private static boolean hasAny(String[] values) {
    if (values == null || values.length == 0) {
      return false;
    }
    for (String value : values) {
      if (value == null || value.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  private void quoted(String value) throws IOException {
    out.write('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.write("\\\"");
        case '\\' -> out.write("\\\\");
        case '\n' -> out.write("\\n");
        case '\r' -> out.write("\\r");
        case '\t' -> out.write("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            out.write(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.write(c);
          }
        }
      }
    }
    out.write('"');
  }
}
