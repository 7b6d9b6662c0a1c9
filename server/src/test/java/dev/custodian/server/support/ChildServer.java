package dev.custodian.server.support;

import dev.custodian.server.CustodianApplication;
import dev.custodian.server.audit.AuditProperties;
import dev.custodian.server.db.DataSourceConfig;
import dev.custodian.server.db.EmbeddedPostgresServer;
import dev.custodian.server.storage.StorageProperties;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.context.ApplicationContext;

/**
 * A Custodian server in a JVM of its own, started from the test classpath, for what one JVM cannot
 * show: a second node on the same database, a process killed with SIGKILL ({@code kill -9}), and one
 * stopped with SIGTERM.
 */
public final class ChildServer implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path log;

  private ChildServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** A new, empty work directory for a child server, under {@code target/child-servers}. */
  public static Path newWorkDir() {
    return Path.of("target", "child-servers", UUID.randomUUID().toString());
  }

  /**
   * Starts another node of the test server's installation (the JVM's shared server, whose beans
   * {@code testServer} holds): the same database, audit checkpoint key, image store and
   * key-encryption keystore, no demo data. Its own files (its token-signing key, an unused embedded
   * database directory) live in {@code workDir}, so a node started again there is the same node.
   */
  public static ChildServer startNode(ApplicationContext testServer, Path workDir) throws IOException, InterruptedException {
    EmbeddedPostgresServer database = testServer.getBean(DataSourceConfig.EmbeddedPostgresHolder.class).server();
    AuditProperties audit = testServer.getBean(AuditProperties.class);
    StorageProperties storage = testServer.getBean(StorageProperties.class);
    return start(workDir, List.of(
        "--custodian.db.url=" + database.jdbcUrl(),
        "--custodian.db.user=" + database.user(),
        "--custodian.db.password=",
        "--custodian.db.embedded.data-dir=" + workDir.resolve("unused-postgres"),
        "--custodian.auth.signing-keystore=" + workDir.resolve("token-signing.p12"),
        "--custodian.audit.checkpoint-keystore=" + audit.checkpointKeystore().toAbsolutePath(),
        "--custodian.audit.checkpoint-keystore-password=" + audit.checkpointKeystorePassword(),
        "--custodian.storage.blob-dir=" + storage.blobDir().toAbsolutePath(),
        "--custodian.storage.keystore=" + storage.keystore().toAbsolutePath(),
        "--custodian.demo.enabled=false",
        // like the test server: the tests' own deliberate failed redemptions are not throttled
        "--custodian.share.rate-limit.exempt-addresses=" + CustodianServerTest.LOOPBACK));
  }

  /** Starts a server with {@code arguments} ({@code --name=value}) and waits until it is ready. */
  public static ChildServer start(Path workDir, List<String> arguments) throws IOException, InterruptedException {
    return start(workDir, List.of("-Xmx1g", "-XX:TieredStopAtLevel=1"), arguments);
  }

  /** As {@link #start(Path, List)}, with these JVM options (heap size, JIT) instead of the defaults. */
  public static ChildServer start(Path workDir, List<String> jvmOptions, List<String> arguments)
      throws IOException, InterruptedException {
    return start(workDir, jvmOptions, arguments, Duration.ofMinutes(4));
  }

  /** As {@link #start(Path, List, List)}, waiting up to {@code readyWithin} for the server to be ready. */
  public static ChildServer start(Path workDir, List<String> jvmOptions, List<String> arguments, Duration readyWithin)
      throws IOException, InterruptedException {
    int port = freePort();
    Files.createDirectories(workDir);
    Path log = Files.createTempFile(workDir, "child-server-", ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of(
        "-cp", System.getProperty("java.class.path"),
        CustodianApplication.class.getName(),
        "--server.port=" + port,
        "--custodian.auth.issuer=http://localhost:" + port,
        "--logging.level.root=WARN",
        "--logging.level.dev.custodian=INFO"));
    command.addAll(arguments);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    ChildServer child = new ChildServer(process, port, log);
    Instant deadline = Instant.now().plus(readyWithin);
    while (Instant.now().isBefore(deadline)) {
      if (Files.readString(log).contains("Custodian ready at")) {
        return child;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("the child server exited:\n" + tail(log));
      }
      Thread.sleep(500);
    }
    process.destroyForcibly();
    throw new IllegalStateException("the child server did not become ready:\n" + tail(log));
  }

  /**
   * The arguments of a server on its own embedded PostgreSQL, keys and blobs in {@code workDir},
   * without demo data: the default installation, as a fresh or restarted server sees it.
   */
  public static List<String> onEmbeddedDatabase(Path workDir) {
    return List.of(
        "--custodian.db.embedded.data-dir=" + workDir.resolve("postgres"),
        "--custodian.auth.signing-keystore=" + workDir.resolve("token-signing.p12"),
        "--custodian.audit.checkpoint-keystore=" + workDir.resolve("audit.p12"),
        "--custodian.storage.blob-dir=" + workDir.resolve("blobs"),
        "--custodian.storage.keystore=" + workDir.resolve("blob-kek.p12"),
        "--custodian.demo.enabled=false");
  }

  /** A connection to the embedded PostgreSQL this server logged it started (on its loopback port). */
  public Connection embeddedDatabase() throws IOException, SQLException {
    Matcher started = Pattern.compile("Embedded PostgreSQL \\((?:new|existing) cluster\\) on port (\\d+)").matcher(log());
    if (!started.find()) {
      throw new IllegalStateException("the child server logged no embedded PostgreSQL");
    }
    return DriverManager.getConnection("jdbc:postgresql://localhost:" + started.group(1) + "/postgres", "postgres", "");
  }

  /** The server's process id (for {@code jcmd}). */
  public long pid() {
    return process.pid();
  }

  public int port() {
    return port;
  }

  public String baseUrl() {
    return "http://localhost:" + port;
  }

  /** What the server logged so far. */
  public String log() throws IOException {
    return Files.readString(log);
  }

  /** SIGKILL: no shutdown hooks, no flushing, nothing. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        kill();
      }
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
