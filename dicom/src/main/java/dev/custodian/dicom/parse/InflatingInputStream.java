package dev.custodian.dicom.parse;

import dev.custodian.dicom.DicomParseException;

import java.io.IOException;
import java.io.InputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Raw-deflate (RFC 1951, no zlib header: PS3.5 A.5) decoding stream with a cap on
 * the inflated size, so a deflate bomb fails fast instead of inflating gigabytes.
 * Hand-written instead of InflaterInputStream because that class reports corrupt
 * or truncated input as ZipException/EOFException, and we want typed parse errors.
 */
final class InflatingInputStream extends InputStream {
    private final InputStream source;
    private final Inflater inflater = new Inflater(true);
    private final byte[] input = new byte[8192];
    private final long maxInflated;
    private long inflated;
    private boolean sentDummyByte;

    InflatingInputStream(InputStream source, long maxInflated) {
        this.source = source;
        this.maxInflated = maxInflated;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int idle = 0;
        while (true) {
            if (++idle > 1000) {
                throw new DicomParseException(inflated, "deflate stream makes no progress");
            }
            if (inflater.finished()) {
                return -1; // bytes after the end of the deflate stream are ignored
            }
            if (inflater.needsDictionary()) {
                throw new DicomParseException(inflated, "deflated data set asks for a preset dictionary");
            }
            if (inflater.needsInput()) {
                int n = source.read(input, 0, input.length);
                if (n < 0) {
                    if (sentDummyByte) {
                        throw new DicomParseException(inflated,
                                "deflated data set is truncated: the deflate stream does not end");
                    }
                    // With nowrap, zlib may need one extra byte past the stream end.
                    sentDummyByte = true;
                    inflater.setInput(new byte[1], 0, 1);
                } else if (n > 0) {
                    inflater.setInput(input, 0, n);
                }
                continue;
            }
            int k;
            try {
                k = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw new DicomParseException(inflated, "corrupt deflate data: " + e.getMessage());
            }
            if (k > 0) {
                inflated += k;
                if (inflated > maxInflated) {
                    throw new DicomParseException(inflated,
                            "inflated data set exceeds the limit of " + maxInflated + " bytes");
                }
                return k;
            }
        }
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        source.close();
    }
}
