package dev.custodian.server.dicomweb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * A minimal DICOM Part 10 writer for the demo images: explicit VR little endian, elements written in
 * the order given (which must be ascending), text padded to even length (UI with NUL, other text
 * with a space). The file meta group and its group length are built by {@link #toPart10}. Not a
 * general encoder: no sequences, no other transfer syntax.
 */
final class Part10Writer {

  static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
  private static final Set<String> LONG_HEADER = Set.of("OB", "OW", "OF", "OD", "OL", "OV", "SQ", "UC", "UN", "UR", "UT");

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** A text element (AE, CS, DA, DS, IS, LO, PN, SH, TM, UI, ...). */
  Part10Writer text(int tag, String vr, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    int length = bytes.length + (bytes.length & 1);
    header(tag, vr, length);
    out.writeBytes(bytes);
    if ((bytes.length & 1) != 0) {
      out.write(vr.equals("UI") || vr.equals("OB") ? 0 : ' ');
    }
    return this;
  }

  /** A US element. */
  Part10Writer us(int tag, int value) {
    header(tag, "US", 2);
    out.write(value & 0xFF);
    out.write(value >>> 8 & 0xFF);
    return this;
  }

  /** A UL element. */
  Part10Writer ul(int tag, long value) {
    header(tag, "UL", 4);
    le32(value);
    return this;
  }

  /** An OB or OW element (even length). */
  Part10Writer binary(int tag, String vr, byte[] value) {
    header(tag, vr, value.length);
    out.writeBytes(value);
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  /** Preamble, {@code DICM}, file meta information (explicit VR little endian) and the data set. */
  static byte[] toPart10(String sopClassUid, String sopInstanceUid, String implementationClassUid, byte[] dataset) {
    Part10Writer meta = new Part10Writer()
        .binary(0x00020001, "OB", new byte[] {0, 1})
        .text(0x00020002, "UI", sopClassUid)
        .text(0x00020003, "UI", sopInstanceUid)
        .text(0x00020010, "UI", EXPLICIT_VR_LITTLE_ENDIAN)
        .text(0x00020012, "UI", implementationClassUid)
        .text(0x00020013, "SH", "CUSTODIAN_DEMO");
    byte[] group = meta.bytes();
    Part10Writer file = new Part10Writer();
    file.out.writeBytes(new byte[128]);
    file.out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
    file.ul(0x00020000, group.length);
    file.out.writeBytes(group);
    file.out.writeBytes(dataset);
    return file.bytes();
  }

  private void header(int tag, String vr, int length) {
    le16(tag >>> 16);
    le16(tag & 0xFFFF);
    out.writeBytes(vr.getBytes(StandardCharsets.US_ASCII));
    if (LONG_HEADER.contains(vr)) {
      le16(0);
      le32(length);
    } else {
      le16(length);
    }
  }

  private void le16(int value) {
    out.write(value & 0xFF);
    out.write(value >>> 8 & 0xFF);
  }

  private void le32(long value) {
    le16((int) (value & 0xFFFF));
    le16((int) (value >>> 16 & 0xFFFF));
  }
}
