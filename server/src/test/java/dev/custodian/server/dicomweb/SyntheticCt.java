package dev.custodian.server.dicomweb;

/**
 * CT Image Storage instances of any size for tests and the DICOMweb benchmark, written by our own
 * {@code Part10Writer}: the given patient, study, series and instance, and {@code pixelBytes} of
 * pixel data (a square-ish 16-bit image; a cheap pattern, not an image anyone looks at).
 */
public final class SyntheticCt {

  private SyntheticCt() {}

  /** Instance {@code number} of series 1 of {@code studyUid}; its SOP Instance UID is {@code studyUid + ".1." + number}. */
  public static byte[] instance(String studyUid, int number, String patientId, int pixelBytes) {
    String series = studyUid + ".1";
    String sop = series + "." + number;
    int columns = 512;
    int rows = Math.max(1, pixelBytes / (2 * columns));
    byte[] pixels = new byte[rows * columns * 2];
    for (int i = 0; i < pixels.length; i += 2) {
      pixels[i] = (byte) (i >>> 1 ^ number);
      pixels[i + 1] = (byte) (i >>> 12 & 0x0F);
    }
    byte[] dataset = new Part10Writer()
        .text(0x00080016, "UI", DemoCtImages.CT_IMAGE_STORAGE)
        .text(0x00080018, "UI", sop)
        .text(0x00080020, "DA", "20260301")
        .text(0x00080030, "TM", "101500")
        .text(0x00080060, "CS", "CT")
        .text(0x00081030, "LO", "Synthetic CT")
        .text(0x00100010, "PN", "Synthetic^Patient")
        .text(0x00100020, "LO", patientId)
        .text(0x0020000D, "UI", studyUid)
        .text(0x0020000E, "UI", series)
        .text(0x00200011, "IS", "1")
        .text(0x00200013, "IS", Integer.toString(number))
        .us(0x00280002, 1)
        .text(0x00280004, "CS", "MONOCHROME2")
        .us(0x00280010, rows)
        .us(0x00280011, columns)
        .us(0x00280100, 16)
        .us(0x00280101, 12)
        .us(0x00280102, 11)
        .us(0x00280103, 0)
        .binary(0x7FE00010, "OW", pixels)
        .bytes();
    return Part10Writer.toPart10(DemoCtImages.CT_IMAGE_STORAGE, sop, "2.25.1", dataset);
  }

  public static String sopUid(String studyUid, int number) {
    return studyUid + ".1." + number;
  }

  /** A fresh study UID under 2.25 (UUID-derived). */
  public static String newStudyUid() {
    java.util.UUID uuid = java.util.UUID.randomUUID();
    return "2.25." + new java.math.BigInteger(1, java.nio.ByteBuffer.allocate(16)
        .putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array()).toString().substring(0, 30);
  }
}
