package dev.custodian.server.dicomweb;

import dev.custodian.dicom.DicomParseException;
import dev.custodian.dicom.model.KeyAttributes;
import dev.custodian.dicom.parse.DicomStreamReader;
import dev.custodian.dicom.parse.ReaderOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;

/**
 * The first bytes of a STOW-RS part, up to its Series Instance UID: enough to know which study
 * (and so which data key and which access decision) the instance belongs to before any of it is
 * stored. Only this header is held in memory — at most {@link #MAX_HEADER} bytes — and then put
 * back in front of the rest of the part.
 */
final class HeaderPrefix {

  /** A header larger than this (patient and study modules before (0020,000E)) is refused. */
  static final int MAX_HEADER = 4 * 1024 * 1024;

  private final KeyAttributes keys;
  private final byte[] prefix;
  private final InputStream rest;

  private HeaderPrefix(KeyAttributes keys, byte[] prefix, InputStream rest) {
    this.keys = keys;
    this.prefix = prefix;
    this.rest = rest;
  }

  /** Reads the key attributes from the start of {@code part}. */
  static HeaderPrefix read(InputStream part) throws IOException {
    Bounded recorded = new Bounded();
    try {
      DicomStreamReader reader = DicomStreamReader.open(new TeeInputStream(part, recorded), ReaderOptions.DEFAULTS, -1);
      KeyAttributes keys = KeyAttributes.read(reader);
      return new HeaderPrefix(keys, recorded.toByteArray(), part);
    } catch (HeaderTooLarge tooLarge) {
      throw new DicomParseException(recorded.size(),
          "the attributes before Series Instance UID exceed " + MAX_HEADER + " bytes");
    }
  }

  KeyAttributes keys() {
    return keys;
  }

  /** The whole part again: the recorded header, then the rest. Read it once. */
  InputStream whole() {
    return new SequenceInputStream(new ByteArrayInputStream(prefix), rest);
  }

  /** Keeps what is written, up to the limit. */
  private static final class Bounded extends ByteArrayOutputStream {
    @Override
    public void write(byte[] buffer, int offset, int length) {
      if (size() + length > MAX_HEADER) {
        throw new HeaderTooLarge();
      }
      super.write(buffer, offset, length);
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }
  }

  private static final class HeaderTooLarge extends RuntimeException {
    HeaderTooLarge() {
      super(null, null, false, false);
    }
  }
}
