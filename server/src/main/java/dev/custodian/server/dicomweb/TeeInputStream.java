package dev.custodian.server.dicomweb;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies every byte read (or skipped) from a stream to an output as it passes: the parser reads a
 * STOW-RS part while the very same bytes stream into the encrypted blob, so what is stored is
 * byte for byte what was received.
 */
final class TeeInputStream extends FilterInputStream {

  private final OutputStream copy;

  TeeInputStream(InputStream in, OutputStream copy) {
    super(in);
    this.copy = copy;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      copy.write(b);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = in.read(buffer, offset, length);
    if (n > 0) {
      copy.write(buffer, offset, n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buffer = new byte[(int) Math.min(n, 8192)];
    long skipped = 0;
    while (skipped < n) {
      int k = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (k < 0) {
        break;
      }
      skipped += k;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** Reads (and so copies) whatever is left. */
  void drain() throws IOException {
    byte[] buffer = new byte[8192];
    while (read(buffer, 0, buffer.length) >= 0) {
      // copied by read
    }
  }
}
