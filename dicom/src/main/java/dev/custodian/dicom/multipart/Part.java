package dev.custodian.dicom.multipart;

import java.io.InputStream;

/**
 * One body part. The body streams straight from the message and is valid only until
 * the reader's next {@link MultipartRelatedReader#next()}, which skips whatever of
 * it was not read.
 */
public record Part(PartHeaders headers, InputStream body) {
}
