package dev.custodian.server.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Encrypted blob storage and its keys ({@code custodian.storage.*}).
 *
 * @param blobDir where encrypted blobs live (default {@code <data dir>/blobs})
 * @param keystore the PKCS#12 keystore of the key-encryption keys, created on first start (default
 *     {@code <data dir>/keys/blob-kek.p12}); back it up, with its password: without it no blob can
 *     be decrypted
 * @param keystorePassword the keystore's password ({@code CUSTODIAN_STORAGE_KEYSTORE_PASSWORD})
 * @param keystorePasswordFile a file holding the password instead (its first line), e.g. a
 *     container secret ({@code CUSTODIAN_STORAGE_KEYSTORE_PASSWORD_FILE})
 */
@ConfigurationProperties(prefix = "custodian.storage")
public record StorageProperties(Path blobDir, Path keystore, String keystorePassword, Path keystorePasswordFile) {

  /** Used when no password is configured: for demos and development only, and logged as such. */
  public static final String INSECURE_DEFAULT_PASSWORD = "change-me";

  public StorageProperties {
    blobDir = blobDir == null || blobDir.toString().isBlank() ? Path.of("data", "blobs") : blobDir;
    keystore = keystore == null || keystore.toString().isBlank() ? Path.of("data", "keys", "blob-kek.p12") : keystore;
    keystorePasswordFile = keystorePasswordFile == null || keystorePasswordFile.toString().isBlank() ? null : keystorePasswordFile;
  }

  /** True when neither a password nor a password file is configured. */
  public boolean usesInsecureDefaultPassword() {
    return keystorePasswordFile == null && (keystorePassword == null || keystorePassword.isEmpty());
  }

  /** The keystore password: from the file if one is named, else the property, else the insecure default. */
  public char[] resolvePassword() {
    boolean hasPassword = keystorePassword != null && !keystorePassword.isEmpty();
    if (keystorePasswordFile != null) {
      if (hasPassword) {
        throw new IllegalStateException(
            "Set either custodian.storage.keystore-password or custodian.storage.keystore-password-file, not both");
      }
      try {
        String content = Files.readString(keystorePasswordFile, StandardCharsets.UTF_8);
        String firstLine = content.lines().findFirst().orElse("");
        if (firstLine.isEmpty()) {
          throw new IllegalStateException("The keystore password file " + keystorePasswordFile + " is empty");
        }
        return firstLine.toCharArray();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the keystore password file " + keystorePasswordFile, e);
      }
    }
    return (hasPassword ? keystorePassword : INSECURE_DEFAULT_PASSWORD).toCharArray();
  }
}
