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
      stopOrphanedServer(absolute);
      long started = System.nanoTime();
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(absolute)
              .setCleanDataDirectory(false)
              .setPGStartupWait(Duration.ofSeconds(60))
              // listen on loopback only: the embedded database is never reachable from outside
              .setServerConfig("listen_addresses", "127.0.0.1")
              // durable commits: the zonky library starts PostgreSQL as a throw-away test database
              // (-F, that is fsync off, and synchronous_commit off), where a power cut or an OS
              // crash loses committed records, audit events among them, or corrupts the cluster.
              // A later -c fsync=on overrides its -F; a commit returns once its WAL is on disk.
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              // stopped by whoever started it (the server's context closes it last, after requests
              // in flight, the audit writer and the final audit checkpoint): the library's own JVM
              // shutdown hook would stop it at once on SIGTERM, alongside the context's, and
              // those would fail against a database that is going away
              .setRegisterShutdownHook(false);
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

  /**
   * After a crash of Custodian's JVM ({@code kill -9}, out of memory) its PostgreSQL keeps running on
   * the data directory, and a new server could not start on it. Such an orphan — the process named in
   * {@code postmaster.pid}, alive, and a postgres process — is asked to shut down (SIGTERM: its
   * clients died with the JVM, so it finishes at once, checkpointing what was committed) before this
   * server starts. Written here because the zonky library only manages the server it started itself.
   */
  static void stopOrphanedServer(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
    } catch (RuntimeException e) {
      return; // unreadable: PostgreSQL itself decides whether the file is stale
    }
    var orphan = ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.endsWith("/postgres") || c.endsWith("/postgres.exe")).orElse(false));
    if (orphan.isEmpty()) {
      return;
    }
    log.warn("An embedded PostgreSQL (pid {}) is still running on {} after an unclean stop; shutting it down", pid, dataDir);
    orphan.get().destroy();
    try {
      orphan.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("The orphaned PostgreSQL (pid " + pid + ") on " + dataDir + " did not stop", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while stopping the orphaned PostgreSQL", e);
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
      log.info("Embedded PostgreSQL with data in {} stopped", dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
