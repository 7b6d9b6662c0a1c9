package dev.custodian.dicom.multipart;

import java.io.IOException;

/** The body is not a well-formed multipart message (RFC 2046 5.1). */
public class MultipartParseException extends IOException {
    public MultipartParseException(String message) {
        super(message);
    }
}
