package dev.custodian.server.dicomweb;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A DICOMweb response whose bytes are held back until the request's audit record is committed, so
 * that nothing of an answer — not its status line, not its first instance — leaves unrecorded.
 *
 * <p>Answers up to {@link #HELD_BYTES} are held whole and sent after the record is written at the end
 * of the request (most QIDO answers, metadata, errors). A longer answer (a retrieval streams a whole
 * study) cannot be held — a study is never loaded into memory — so when the held bytes would
 * overflow, the record is written first ({@link BeforeFirstByte}) and the answer then streams. A
 * flush sends nothing while the answer is held. A record that cannot be written fails the write that
 * needed it, with nothing sent.
 *
 * <p>Written here, not taken from a library: it is the servlet wrapper's few methods plus a byte
 * array; the point is where the record is written.
 */
final class HeldUntilRecorded extends HttpServletResponseWrapper {

  /** The largest answer held whole: above it, the record is written before the answer streams. */
  static final int HELD_BYTES = 32 * 1024;

  /** Writes the request's record; throws when it cannot be written. */
  @FunctionalInterface
  interface BeforeFirstByte {
    void record(int status);
  }

  private final BeforeFirstByte beforeFirstByte;
  private byte[] held = new byte[1024];
  private int heldLength;
  /** Whether the bytes go straight to the response: the record is written (or none is needed). */
  private boolean released;
  private HeldStream stream;
  private PrintWriter writer;

  HeldUntilRecorded(HttpServletResponse response, BeforeFirstByte beforeFirstByte) {
    super(response);
    this.beforeFirstByte = beforeFirstByte;
  }

  /** Whether the answer started streaming, its record written before it did. */
  boolean released() {
    return released;
  }

  /**
   * Sends what is held, after the record was written (or, when none could be, after the held answer
   * was replaced by an error that carries none of the data).
   */
  void sendHeld() throws IOException {
    if (writer != null) {
      writer.flush(); // into the held bytes (or, were they to overflow, out after the record)
    }
    if (!released) {
      passHeld();
    }
  }

  /** The held bytes would overflow: writes the record, then lets them and all later ones through. */
  private void release() throws IOException {
    if (!released) {
      beforeFirstByte.record(getStatus());
      passHeld();
    }
  }

  private void passHeld() throws IOException {
    released = true;
    getResponse().getOutputStream().write(held, 0, heldLength);
    held = null;
  }

  private void hold(byte[] bytes, int offset, int length) throws IOException {
    if (heldLength + length > HELD_BYTES) {
      release();
      getResponse().getOutputStream().write(bytes, offset, length);
      return;
    }
    if (heldLength + length > held.length) {
      held = Arrays.copyOf(held, Math.min(HELD_BYTES, Math.max(held.length * 2, heldLength + length)));
    }
    System.arraycopy(bytes, offset, held, heldLength, length);
    heldLength += length;
  }

  @Override
  public ServletOutputStream getOutputStream() {
    if (stream == null) {
      stream = new HeldStream();
    }
    return stream;
  }

  @Override
  public PrintWriter getWriter() {
    if (writer == null) {
      String encoding = getCharacterEncoding();
      Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
      writer = new PrintWriter(new OutputStreamWriter((OutputStream) getOutputStream(), charset));
    }
    return writer;
  }

  /** Sends nothing while the answer is held: the record is written first, at overflow or at the end. */
  @Override
  public void flushBuffer() throws IOException {
    if (released) {
      if (writer != null) {
        writer.flush();
      }
      super.flushBuffer();
    }
  }

  @Override
  public boolean isCommitted() {
    return released && super.isCommitted();
  }

  @Override
  public void reset() {
    resetBuffer();
    super.reset();
  }

  @Override
  public void resetBuffer() {
    if (released) {
      super.resetBuffer(); // throws once the answer has started, as the container's does
      return;
    }
    heldLength = 0;
    writer = null;
    stream = null;
  }

  @Override
  public void setBufferSize(int size) {
    // the held bytes are this response's buffer
  }

  @Override
  public int getBufferSize() {
    return HELD_BYTES;
  }

  private final class HeldStream extends ServletOutputStream {
    private final byte[] one = new byte[1];

    @Override
    public void write(int b) throws IOException {
      one[0] = (byte) b;
      write(one, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      if (released) {
        getResponse().getOutputStream().write(bytes, offset, length);
      } else {
        hold(bytes, offset, length);
      }
    }

    /** Sends nothing while the answer is held (see {@link #flushBuffer}). */
    @Override
    public void flush() throws IOException {
      if (released) {
        getResponse().getOutputStream().flush();
      }
    }

    @Override
    public boolean isReady() {
      return true;
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      throw new UnsupportedOperationException("DICOMweb answers are written blocking");
    }
  }
}
