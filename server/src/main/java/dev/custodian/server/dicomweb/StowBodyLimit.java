package dev.custodian.server.dicomweb;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A STOW-RS request body counted as it is read: reading past {@code maxBytes} throws {@link
 * TooLarge} (and keeps throwing), so a body without a Content-Length, or with a false one, cannot
 * grow past the limit either.
 */
final class StowBodyLimit extends FilterInputStream {

  private final long maxBytes;
  private long count;
  private boolean exceeded;

  StowBodyLimit(InputStream in, long maxBytes) {
    super(in);
    this.maxBytes = maxBytes;
  }

  /** Whether the body went past the limit (whatever a reader made of the exception). */
  boolean exceeded() {
    return exceeded;
  }

  @Override
  public int read() throws IOException {
    check(0);
    int b = in.read();
    if (b >= 0) {
      check(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    check(0);
    int n = in.read(buffer, offset, length);
    if (n > 0) {
      check(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] buffer = new byte[(int) Math.min(Math.max(n, 1), 8192)];
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

  private void check(int more) throws TooLarge {
    count += more;
    if (count > maxBytes) {
      exceeded = true;
    }
    if (exceeded) {
      throw new TooLarge(maxBytes);
    }
  }

  /** The body is larger than the limit. */
  static final class TooLarge extends IOException {
    TooLarge(long maxBytes) {
      super("the STOW-RS request body is larger than " + maxBytes + " bytes");
    }
  }
}
