package dev.custodian.server.storage;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.subtle.AesGcmJce;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.Enumeration;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key-encryption keys (KEKs): AES-256 keys in a PKCS#12 keystore (by default
 * {@code <data dir>/keys/blob-kek.p12}), one entry per version ({@code blob-kek-v1},
 * {@code blob-kek-v2}, …). They only ever encrypt data keys (AES-256-GCM), never blobs.
 *
 * <p>The keystore is created with version 1 on first start. Every server node must use the same
 * keystore file; a node that meets a version it does not know re-reads the file (another node or
 * the rotation command may have added it). The file is rewritten atomically.
 */
public final class KeyEncryptionKeys {

  private static final Logger log = LoggerFactory.getLogger(KeyEncryptionKeys.class);
  static final String ALIAS_PREFIX = "blob-kek-v";
  private static final String TYPE = "PKCS12";

  private final Path keystore;
  private final char[] password;
  private final boolean created;
  private volatile NavigableMap<Integer, Aead> versions;

  private KeyEncryptionKeys(Path keystore, char[] password, boolean created, NavigableMap<Integer, Aead> versions) {
    this.keystore = keystore;
    this.password = password.clone();
    this.created = created;
    this.versions = versions;
  }

  /** Opens the keystore, or creates it with a first KEK when the file does not exist. */
  public static synchronized KeyEncryptionKeys openOrCreate(Path keystore, char[] password) {
    Path file = keystore.toAbsolutePath();
    try {
      if (Files.exists(file)) {
        return new KeyEncryptionKeys(file, password, false, read(file, password));
      }
      KeyStore store = KeyStore.getInstance(TYPE);
      store.load(null, password);
      addEntry(store, 1, password);
      save(store, file, password);
      log.info("Created a new key-encryption keystore for blobs in {}", file);
      return new KeyEncryptionKeys(file, password, true, read(file, password));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "Cannot open the key-encryption keystore " + file + " (wrong password, or damaged?): " + e.getMessage(), e);
    }
  }

  /** True when this start created the keystore (there was no file). */
  public boolean createdNow() {
    return created;
  }

  public Path path() {
    return keystore;
  }

  /** The newest version in the keystore; which version wraps new data keys is recorded in the database (custodian_kek_state). */
  public int newestVersion() {
    return versions.lastKey();
  }

  public NavigableSet<Integer> versions() {
    return Collections.unmodifiableNavigableSet(versions.navigableKeySet());
  }

  public boolean has(int version) {
    return versions.containsKey(version) || reloadedVersions().containsKey(version);
  }

  /** The KEK of a version as an AEAD; re-reads the keystore once when the version is not known yet. */
  public Aead aead(int version) throws StudyKeyUnavailableException {
    Aead aead = versions.get(version);
    if (aead == null) {
      aead = reloadedVersions().get(version);
    }
    if (aead == null) {
      throw new StudyKeyUnavailableException(
          StudyKeyUnavailableException.Reason.UNWRAPPABLE,
          "Key-encryption key version " + version + " is not in the keystore " + keystore);
    }
    return aead;
  }

  /** Adds a new, newest version to the keystore file and returns it. */
  public synchronized int addVersion() {
    try {
      KeyStore store = load(keystore, password);
      int version = highest(store) + 1;
      addEntry(store, version, password);
      save(store, keystore, password);
      versions = read(keystore, password);
      log.info("Added key-encryption key version {} to {}", version, keystore);
      return version;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("Cannot add a key-encryption key to " + keystore, e);
    }
  }

  /** Removes a version that no data key uses any more. The newest version is never removed. */
  public synchronized void removeVersion(int version) {
    try {
      KeyStore store = load(keystore, password);
      if (version >= highest(store)) {
        throw new IllegalArgumentException("The newest key-encryption key (version " + version + ") is never removed");
      }
      store.deleteEntry(ALIAS_PREFIX + version);
      save(store, keystore, password);
      versions = read(keystore, password);
      log.info("Removed key-encryption key version {} from {}: no data key uses it", version, keystore);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("Cannot remove a key-encryption key from " + keystore, e);
    }
  }

  private synchronized NavigableMap<Integer, Aead> reloadedVersions() {
    try {
      versions = read(keystore, password);
      return versions;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("Cannot re-read the key-encryption keystore " + keystore, e);
    }
  }

  private static NavigableMap<Integer, Aead> read(Path file, char[] password) throws IOException, GeneralSecurityException {
    KeyStore store = load(file, password);
    NavigableMap<Integer, Aead> result = new TreeMap<>();
    for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements(); ) {
      String alias = aliases.nextElement();
      Integer version = version(alias);
      if (version != null) {
        SecretKey key = (SecretKey) store.getKey(alias, password);
        result.put(version, new AesGcmJce(key.getEncoded()));
      }
    }
    if (result.isEmpty()) {
      throw new GeneralSecurityException("no " + ALIAS_PREFIX + "N entry in " + file);
    }
    return Collections.unmodifiableNavigableMap(result);
  }

  private static KeyStore load(Path file, char[] password) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(TYPE);
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, password);
    }
    return store;
  }

  private static void save(KeyStore store, Path file, char[] password) throws IOException {
    AtomicFiles.write(file, out -> {
      try {
        store.store(out, password);
      } catch (GeneralSecurityException e) {
        throw new IOException("Cannot write the keystore", e);
      }
    });
  }

  private static void addEntry(KeyStore store, int version, char[] password) throws GeneralSecurityException {
    KeyGenerator generator = KeyGenerator.getInstance("AES");
    generator.init(256, new SecureRandom());
    store.setEntry(
        ALIAS_PREFIX + version,
        new KeyStore.SecretKeyEntry(generator.generateKey()),
        new KeyStore.PasswordProtection(password));
  }

  private static int highest(KeyStore store) throws GeneralSecurityException {
    int highest = 0;
    for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements(); ) {
      Integer version = version(aliases.nextElement());
      if (version != null) {
        highest = Math.max(highest, version);
      }
    }
    return highest;
  }

  private static Integer version(String alias) {
    if (!alias.startsWith(ALIAS_PREFIX)) {
      return null;
    }
    try {
      return Integer.valueOf(alias.substring(ALIAS_PREFIX.length()));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
