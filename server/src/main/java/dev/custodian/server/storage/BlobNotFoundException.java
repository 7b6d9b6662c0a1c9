package dev.custodian.server.storage;

import java.io.IOException;

/** There is no blob under the key asked for. */
public class BlobNotFoundException extends IOException {

  public BlobNotFoundException(String message) {
    super(message);
  }
}
