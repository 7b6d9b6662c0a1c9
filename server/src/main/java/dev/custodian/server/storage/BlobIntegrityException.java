package dev.custodian.server.storage;

import java.io.IOException;

/**
 * A stored blob failed authentication while it was decrypted: it was altered, truncated, moved
 * from another study or blob key, or is not ours. Never followed by more bytes of that blob.
 *
 * <p>Blobs are authenticated segment by segment (64 KiB) as they stream, so this can be thrown
 * after the earlier, authentic segments have been delivered to the reader. A reader that must not
 * act on a partial blob buffers or discards what it got; the DICOMweb layer streams through and
 * buffers nothing, so a client sees its response break off, and the failure is audited.
 */
public class BlobIntegrityException extends IOException {

  public BlobIntegrityException(String message, Throwable cause) {
    super(message, cause);
  }
}
