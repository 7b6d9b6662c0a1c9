package dev.custodian.dicom.parse;

import dev.custodian.dicom.DicomParseException;

import java.io.IOException;
import java.io.InputStream;

/**
 * Buffered, position-counting input with the primitive reads the parser needs.
 * Running out of data where the format promises more is a {@link DicomParseException}
 * (a truncated file), never an EOFException or a short read. Lengths read from the
 * file are never used to size a buffer here.
 */
final class DicomInput {
    private static final int BUFFER = 16 * 1024;

    private final InputStream in;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int lim;
    /** Stream offset of buf[0]. */
    private long base;
    private final long totalLength;
    private final boolean inflated;
    private boolean eof;

    /**
     * @param totalLength number of bytes the stream will deliver, -1 if unknown
     * @param inflated    the stream is an inflated data set (offsets in messages say so)
     */
    DicomInput(InputStream in, long totalLength, boolean inflated) {
        this.in = in;
        this.totalLength = totalLength;
        this.inflated = inflated;
    }

    long position() {
        return base + pos;
    }

    /** Bytes left before the end of input if known, else Long.MAX_VALUE. */
    long remaining() {
        return totalLength < 0 ? Long.MAX_VALUE : totalLength - position();
    }

    boolean isInflated() {
        return inflated;
    }

    DicomParseException error(String reason) {
        return error(position(), reason);
    }

    DicomParseException error(long at, String reason) {
        return new DicomParseException(at, inflated ? reason + " in the inflated data set" : reason);
    }

    /** True if at least one more byte is available. */
    boolean hasMore() throws IOException {
        return pos < lim || fill() > 0;
    }

    /** Reads more into the buffer, keeping unread bytes; returns the number added or -1. */
    private int fill() throws IOException {
        if (eof) {
            return -1;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            base += pos;
            lim -= pos;
            pos = 0;
        }
        int n = in.read(buf, lim, buf.length - lim);
        if (n < 0) {
            eof = true;
            return -1;
        }
        lim += n;
        return n;
    }

    private void ensure(int n, String what) throws IOException {
        while (lim - pos < n) {
            if (fill() < 0) {
                throw error("unexpected end of data: " + what + " needs " + n + " bytes, "
                        + (lim - pos) + " left");
            }
        }
    }

    int peekU16LE(String what) throws IOException {
        ensure(2, what);
        return (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8;
    }

    int u8(String what) throws IOException {
        ensure(1, what);
        return buf[pos++] & 0xFF;
    }

    int u16(boolean bigEndian, String what) throws IOException {
        ensure(2, what);
        int a = buf[pos] & 0xFF;
        int b = buf[pos + 1] & 0xFF;
        pos += 2;
        return bigEndian ? a << 8 | b : b << 8 | a;
    }

    long u32(boolean bigEndian, String what) throws IOException {
        ensure(4, what);
        long a = buf[pos] & 0xFF;
        long b = buf[pos + 1] & 0xFF;
        long c = buf[pos + 2] & 0xFF;
        long d = buf[pos + 3] & 0xFF;
        pos += 4;
        return bigEndian ? a << 24 | b << 16 | c << 8 | d : d << 24 | c << 16 | b << 8 | a;
    }

    void readFully(byte[] dst, int off, int len, String what) throws IOException {
        while (len > 0) {
            if (pos == lim && fill() < 0) {
                throw error("unexpected end of data inside " + what + " (" + len + " bytes missing)");
            }
            int n = Math.min(len, lim - pos);
            System.arraycopy(buf, pos, dst, off, n);
            pos += n;
            off += n;
            len -= n;
        }
    }

    /** Up to len bytes, -1 at end of input. */
    int readSome(byte[] dst, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos == lim && fill() < 0) {
            return -1;
        }
        int n = Math.min(len, lim - pos);
        System.arraycopy(buf, pos, dst, off, n);
        pos += n;
        return n;
    }

    void skip(long n, String what) throws IOException {
        while (n > 0) {
            if (pos == lim && fill() < 0) {
                throw error("unexpected end of data inside " + what + " (" + n + " bytes missing)");
            }
            int k = (int) Math.min(n, lim - pos);
            pos += k;
            n -= k;
        }
    }

    /** The unread rest of the input as a stream (buffered bytes first), for inflating. */
    InputStream rest() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return readSome(b, off, len);
            }
        };
    }
}
