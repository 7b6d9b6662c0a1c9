package dev.custodian.dicom.multipart;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Streaming reader of a multipart body (RFC 2046 5.1, as used by multipart/related,
 * RFC 2387). Parts come one at a time; each body is an InputStream that ends at the
 * next delimiter. Memory is one fixed buffer: to find a delimiter the reader only
 * looks ahead by the delimiter's length, so parts of any size stream through.
 *
 * <p>Rules applied: the delimiter is CRLF "--" boundary and belongs to neither part;
 * the first delimiter may start the body (no preamble) or follow a preamble; text
 * after the close delimiter (epilogue) is ignored; transport padding (spaces, tabs)
 * after a boundary is allowed; a missing close delimiter is an error, as are header
 * blocks larger than 16 KiB.
 *
 * <pre>{@code
 * MultipartRelatedReader r = MultipartRelatedReader.fromContentType(in, request.getContentType());
 * for (Part p = r.next(); p != null; p = r.next()) {
 *     store(p.headers().contentType(), p.body());
 * }
 * }</pre>
 */
public final class MultipartRelatedReader implements Closeable {
    static final int DEFAULT_BUFFER = 64 * 1024;
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    /** RFC 2046 allows 70; what we write. */
    static final int MAX_BOUNDARY = 70;
    /**
     * What we read: some senders exceed RFC 2046's 70 (Orthanc's DICOMweb plugin sends 73), and the
     * length only sizes a small buffer, so the reader is lenient up to this bound.
     */
    static final int MAX_READ_BOUNDARY = 200;

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buf;
    private int pos;
    private int lim;
    private boolean eof;
    private boolean started;
    private boolean finished;
    private Body current;

    public MultipartRelatedReader(InputStream in, String boundary) throws MultipartParseException {
        this(in, boundary, DEFAULT_BUFFER);
    }

    /** With a given buffer size (tests use small ones to exercise refills). */
    MultipartRelatedReader(InputStream in, String boundary, int bufferSize) throws MultipartParseException {
        validateBoundary(boundary, MAX_READ_BOUNDARY);
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
        this.buf = new byte[Math.max(bufferSize, 4 * delimiter.length)];
        // A virtual CRLF before the body lets a boundary on the very first line match
        // the same delimiter as all later ones.
        buf[0] = '\r';
        buf[1] = '\n';
        lim = 2;
    }

    /** 1 to {@code max} characters (RFC 2046: 70); we accept any printable ASCII among them. */
    static void validateBoundary(String boundary, int max) throws MultipartParseException {
        if (boundary == null || boundary.isEmpty() || boundary.length() > max) {
            throw new MultipartParseException("boundary must be 1 to " + max + " characters");
        }
        for (int i = 0; i < boundary.length(); i++) {
            char c = boundary.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new MultipartParseException("boundary has a character outside printable ASCII");
            }
        }
    }

    /** A reader for a body whose Content-Type is multipart/* with a boundary parameter. */
    public static MultipartRelatedReader fromContentType(InputStream in, String contentType)
            throws MultipartParseException {
        ContentType ct = ContentType.parse(contentType);
        if (!ct.mediaType().startsWith("multipart/")) {
            throw new MultipartParseException("not a multipart Content-Type: " + ct.mediaType());
        }
        String boundary = ct.parameter("boundary");
        if (boundary == null) {
            throw new MultipartParseException("Content-Type has no boundary parameter");
        }
        return new MultipartRelatedReader(in, boundary);
    }

    /** The next part, or null after the close delimiter. */
    public Part next() throws IOException {
        if (finished) {
            return null;
        }
        if (!started) {
            started = true;
            try {
                new Body().drain(); // the preamble
            } catch (MultipartParseException e) {
                throw new MultipartParseException("no boundary found in the body");
            }
        } else if (current != null) {
            current.drain();
        }
        current = null;
        // Just after a delimiter: "--" closes, else padding and CRLF open a part.
        if (!fill(2)) {
            throw new MultipartParseException("body ends right after a boundary");
        }
        if (buf[pos] == '-' && buf[pos + 1] == '-') {
            pos += 2;
            finished = true; // the epilogue is not read
            return null;
        }
        skipPaddingAndCrlf();
        PartHeaders headers = readHeaders();
        current = new Body();
        return new Part(headers, current);
    }

    private void skipPaddingAndCrlf() throws IOException {
        while (fill(1) && (buf[pos] == ' ' || buf[pos] == '\t')) {
            pos++;
        }
        if (!fill(2) || buf[pos] != '\r' || buf[pos + 1] != '\n') {
            throw new MultipartParseException("boundary line not followed by CRLF");
        }
        pos += 2;
    }

    private PartHeaders readHeaders() throws IOException {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        int total = 0;
        while (true) {
            String line = readLine();
            total += line.length() + 2;
            if (total > MAX_HEADER_BYTES) {
                throw new MultipartParseException("part headers exceed " + MAX_HEADER_BYTES + " bytes");
            }
            if (line.isEmpty()) {
                return new PartHeaders(headers);
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && !headers.isEmpty()) {
                // obsolete line folding: continue the previous header's value
                Map.Entry<String, String> last = headers.remove(headers.size() - 1);
                headers.add(new AbstractMap.SimpleImmutableEntry<>(last.getKey(),
                        last.getValue() + " " + line.strip()));
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MultipartParseException("malformed part header line");
            }
            headers.add(new AbstractMap.SimpleImmutableEntry<>(line.substring(0, colon).strip(),
                    line.substring(colon + 1).strip()));
        }
    }

    /** A header line without its CRLF; bounded by the header limit. */
    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (!fill(2)) {
                throw new MultipartParseException("body ends inside part headers");
            }
            if (buf[pos] == '\r' && buf[pos + 1] == '\n') {
                pos += 2;
                return sb.toString();
            }
            sb.append((char) (buf[pos++] & 0xFF)); // header bytes are ISO-8859-1 (RFC 822)
            if (sb.length() > MAX_HEADER_BYTES) {
                throw new MultipartParseException("part header line exceeds " + MAX_HEADER_BYTES + " bytes");
            }
        }
    }

    /** Makes at least n bytes available unless the input ends; returns whether it did. */
    private boolean fill(int n) throws IOException {
        while (lim - pos < n) {
            if (eof) {
                return false;
            }
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, lim - pos);
                lim -= pos;
                pos = 0;
            }
            int k = in.read(buf, lim, buf.length - lim);
            if (k < 0) {
                eof = true;
            } else {
                lim += k;
            }
        }
        return true;
    }

    /** Index of the delimiter in buf[pos, lim), or -1. */
    private int findDelimiter() {
        int last = lim - delimiter.length;
        outer:
        for (int i = pos; i <= last; i++) {
            if (buf[i] != '\r') {
                continue;
            }
            for (int j = 1; j < delimiter.length; j++) {
                if (buf[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The body of the current part (or the preamble): ends where the next delimiter starts. */
    private final class Body extends InputStream {
        private boolean done;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            while (true) {
                int at = findDelimiter();
                if (at == pos) {
                    pos += delimiter.length;
                    done = true;
                    return -1;
                }
                // Bytes before a found delimiter, or all but the last delimiter-1 bytes
                // (which could be the start of a delimiter split across reads), are body.
                int safe = at >= 0 ? at - pos : lim - pos - (delimiter.length - 1);
                if (safe > 0) {
                    int n = Math.min(len, safe);
                    System.arraycopy(buf, pos, b, off, n);
                    pos += n;
                    return n;
                }
                if (!fill(lim - pos + 1)) {
                    throw new MultipartParseException("body ends without a closing boundary");
                }
            }
        }

        /** Skips to the end of this body. */
        void drain() throws IOException {
            byte[] skip = new byte[8192];
            while (read(skip, 0, skip.length) >= 0) {
                // discard
            }
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
