package dev.custodian.dicom.multipart;

import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * Streaming writer of a multipart/related body (RFC 2387, framing per RFC 2046).
 * Bodies are copied straight to the output; nothing is buffered. The boundary must
 * not occur in any body: {@link #newBoundary()} makes a random 128-bit one, which
 * makes a collision practically impossible without scanning the data.
 *
 * <pre>{@code
 * String boundary = MultipartRelatedWriter.newBoundary();
 * response.setContentType(MultipartRelatedWriter.contentType("application/dicom", boundary));
 * try (MultipartRelatedWriter w = new MultipartRelatedWriter(out, boundary)) {
 *     w.writePart(Map.of("Content-Type", "application/dicom"), instanceStream);
 * }
 * }</pre>
 */
public final class MultipartRelatedWriter implements Closeable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OutputStream out;
    private final byte[] boundary;
    private boolean first = true;
    private boolean finished;

    public MultipartRelatedWriter(OutputStream out, String boundary) throws MultipartParseException {
        MultipartRelatedReader.validateBoundary(boundary, MultipartRelatedReader.MAX_BOUNDARY);
        this.out = out;
        this.boundary = boundary.getBytes(StandardCharsets.US_ASCII);
    }

    public static String newBoundary() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return "custodian-" + HexFormat.of().formatHex(b);
    }

    /** {@code multipart/related; type="<type>"; boundary=<boundary>} */
    public static String contentType(String type, String boundary) {
        return "multipart/related; type=" + ContentType.quoteIfNeeded(type) + "; boundary="
                + ContentType.quoteIfNeeded(boundary);
    }

    /**
     * Starts a part: writes the delimiter and headers and returns a stream for the
     * body. Closing that stream does not close the output. Header names and values
     * must not contain CR or LF.
     */
    public OutputStream beginPart(Map<String, String> headers) throws IOException {
        if (finished) {
            throw new IllegalStateException("multipart body already finished");
        }
        out.write(first ? new byte[] {'-', '-'} : new byte[] {'\r', '\n', '-', '-'});
        first = false;
        out.write(boundary);
        out.write('\r');
        out.write('\n');
        for (Map.Entry<String, String> h : headers.entrySet()) {
            checkHeader(h.getKey());
            checkHeader(h.getValue());
            if (h.getKey().isEmpty() || h.getKey().indexOf(':') >= 0) {
                throw new IllegalArgumentException("bad header name '" + h.getKey() + "'");
            }
            out.write((h.getKey() + ": " + h.getValue() + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        out.write('\r');
        out.write('\n');
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }

    public void writePart(Map<String, String> headers, InputStream body) throws IOException {
        try (OutputStream o = beginPart(headers)) {
            body.transferTo(o);
        }
    }

    public void writePart(Map<String, String> headers, byte[] body) throws IOException {
        try (OutputStream o = beginPart(headers)) {
            o.write(body);
        }
    }

    /** Writes the close delimiter. A body with no parts is not valid multipart. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        if (first) {
            throw new IllegalStateException("a multipart body needs at least one part");
        }
        finished = true;
        out.write(new byte[] {'\r', '\n', '-', '-'});
        out.write(boundary);
        out.write(new byte[] {'-', '-', '\r', '\n'});
        out.flush();
    }

    /**
     * Finishes the body if a part was written (so an exception before the first part
     * is not masked); does not close the underlying stream.
     */
    @Override
    public void close() throws IOException {
        if (!first) {
            finish();
        }
    }

    private static void checkHeader(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c > 0xFF) {
                throw new IllegalArgumentException("header text may not contain CR, LF or non-Latin-1 characters");
            }
        }
    }
}
