package dev.custodian.server.storage;

import java.io.IOException;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.custodian.server.bench.BenchmarkSwitches;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Encrypted blob storage: the key-encryption keystore (created on first start), the study data
 * keys in PostgreSQL, the filesystem blob store, and {@link EncryptedBlobs} on top.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StorageProperties.class)
public class StorageConfig {

  private static final Logger log = LoggerFactory.getLogger(StorageConfig.class);

  @Bean
  public KeyEncryptionKeys keyEncryptionKeys(StorageProperties properties) {
    if (properties.usesInsecureDefaultPassword()) {
      log.warn("The blob key-encryption keystore {} uses the built-in demo password: set CUSTODIAN_STORAGE_KEYSTORE_PASSWORD"
          + " or CUSTODIAN_STORAGE_KEYSTORE_PASSWORD_FILE before storing real images", properties.keystore().toAbsolutePath());
    }
    return KeyEncryptionKeys.openOrCreate(properties.keystore(), properties.resolvePassword());
  }

  /** Depends on Flyway so its tables exist; refuses to start with a keystore that lacks keys the database needs. */
  @Bean
  public StudyKeys studyKeys(DataSource dataSource, Flyway custodianFlyway, KeyEncryptionKeys keks) {
    StudyKeys keys = new StudyKeys(dataSource, keks);
    keys.verifyKeystore();
    return keys;
  }

  /** The filesystem store; at start, a background thread removes what writes cut short by a crash left behind. */
  @Bean
  public BlobStore blobStore(StorageProperties properties) throws IOException {
    FileSystemBlobStore store = new FileSystemBlobStore(properties.blobDir());
    Thread sweep = new Thread(() -> {
      try {
        int removed = store.removeAbandonedTemporaryFiles(Duration.ofHours(1));
        if (removed > 0) {
          log.info("Removed {} temporary blob files left by interrupted writes", removed);
        }
      } catch (IOException | RuntimeException e) {
        log.warn("Could not look for abandoned temporary blob files in {}: {}", store.root(), e.getMessage());
      }
    }, "blob-temp-sweep");
    sweep.setDaemon(true);
    sweep.start();
    return store;
  }

  /**
   * Encrypted, always, except for the benchmark baseline ({@code custodian.bench.plaintext-blobs}, loopback only).
   * Commands that start only the storage (such as {@code --rotate-kek}) have no benchmark switches: encrypted.
   */
  @Bean
  public EncryptedBlobs encryptedBlobs(BlobStore blobStore, StudyKeys studyKeys, ObjectProvider<BenchmarkSwitches> bench,
      @Value("${server.address:}") String bindAddress) {
    BenchmarkSwitches switches = bench.getIfAvailable();
    return switches == null || switches.blobsEncrypted(bindAddress)
        ? new EncryptedBlobs(blobStore, studyKeys)
        : EncryptedBlobs.plaintextForBenchmark(blobStore, studyKeys);
  }
}
