package dev.custodian.server.storage;

import dev.custodian.server.db.CustodianSchema;
import dev.custodian.server.db.DataSourceConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code ./custodian.sh --rotate-kek}: rotates the blob key-encryption key and exits. Starts only
 * the database (embedded or external, as configured), the schema and the keys — no HTTP server,
 * no FHIR — so it takes seconds. With the embedded database, stop the server first (its data
 * directory can be open by one process only); with an external database it may run while the
 * nodes serve: they pick up the new KEK version from the shared keystore file.
 */
public final class KekRotationCommand {

  public static final String SWITCH = "--rotate-kek";
  private static final Logger log = LoggerFactory.getLogger(KekRotationCommand.class);

  private KekRotationCommand() {}

  /** Runs the rotation with the other arguments as Spring properties; returns the exit code. */
  public static int run(String[] args) {
    SpringApplication application =
        new SpringApplication(DataSourceConfig.class, CustodianSchema.class, StorageConfig.class);
    application.setWebApplicationType(WebApplicationType.NONE);
    application.setBannerMode(Banner.Mode.OFF);
    try (ConfigurableApplicationContext context = application.run(args)) {
      StudyKeys.KekRotation rotation = context.getBean(StudyKeys.class).rotateKek();
      log.info(
          "Rotated the blob key-encryption key: version {} -> {}, {} data keys re-wrapped, {} failed, retired {}, keystore holds {}",
          rotation.previousVersion(), rotation.newVersion(), rotation.rewrapped(), rotation.failed(), rotation.retired(),
          rotation.remaining());
      return rotation.failed() == 0 ? 0 : 2;
    } catch (RuntimeException e) {
      log.error("Key-encryption key rotation failed: {}", e.getMessage(), e);
      return 1;
    }
  }
}
