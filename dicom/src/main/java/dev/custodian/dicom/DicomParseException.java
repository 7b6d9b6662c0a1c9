package dev.custodian.dicom;

import java.io.IOException;

/**
 * The input is not DICOM we accept. Every malformed-input path of the reader ends
 * here (never in an unchecked exception), so callers can map it to a DICOM failure
 * reason with a single catch.
 */
public class DicomParseException extends IOException {

    private final long offset;
    private final String reason;

    /**
     * @param offset byte offset where the problem was found; for deflated data sets
     *               this is an offset in the inflated stream. -1 if unknown.
     * @param reason what is wrong, in words a user can act on
     */
    public DicomParseException(long offset, String reason) {
        super(offset >= 0 ? reason + " (at offset " + offset + ")" : reason);
        this.offset = offset;
        this.reason = reason;
    }

    public DicomParseException(long offset, String reason, Throwable cause) {
        this(offset, reason);
        initCause(cause);
    }

    /** Byte offset where the problem was found, or -1 if unknown. */
    public long offset() {
        return offset;
    }

    /** The reason without the offset. */
    public String reason() {
        return reason;
    }
}
