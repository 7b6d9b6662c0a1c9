package dev.custodian.server.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 17 server started from the zonky binaries, with its data directory kept between
 * runs. Closing it stops the server cleanly; the data stays.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

  private final EmbeddedPostgres postgres;
  private final Path dataDir;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDir) {
    this.postgres = postgres;
    this.dataDir = dataDir;
  }

  /** Starts a server on {@code dataDir}, creating the cluster the first time only. */
  public static EmbeddedPostgresServer start(Path dataDir, int port) {
    Path absolute = dataDir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(absolute);
      boolean existing = Files.exists(absolute.resolve("PG_VERSION"));
      long started = System.nanoTime();
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(absolute)
              .setCleanDataDirectory(false)
              .setPGStartupWait(Duration.ofSeconds(60))
              // listen on loopback only: the embedded database is never reachable from outside
              .setServerConfig("listen_addresses", "127.0.0.1");
      if (port > 0) {
        builder.setPort(port);
      }
      EmbeddedPostgres postgres = builder.start();
      log.info(
          "Embedded PostgreSQL ({} cluster) on port {} with data in {} started in {} ms",
          existing ? "existing" : "new",
          postgres.getPort(),
          absolute,
          (System.nanoTime() - started) / 1_000_000);
      return new EmbeddedPostgresServer(postgres, absolute);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + absolute, e);
    }
  }

  public String jdbcUrl() {
    return postgres.getJdbcUrl("postgres", "postgres");
  }

  public String user() {
    return "postgres";
  }

  public int port() {
    return postgres.getPort();
  }

  public Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
