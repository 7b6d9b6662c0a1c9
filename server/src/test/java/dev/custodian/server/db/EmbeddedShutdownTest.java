package dev.custodian.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.support.ChildServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A server stopped the ordinary way (SIGTERM) stops its embedded PostgreSQL last: the final audit
 * checkpoint is signed over the chain's last event and nothing fails against a database that is going
 * away. (The zonky library's own shutdown hook used to stop PostgreSQL at once, alongside the
 * server's, and the last checkpoint failed with "terminating connection due to administrator
 * command".)
 */
class EmbeddedShutdownTest {

  @Test
  void aStoppedServerSignsItsLastCheckpointBeforeItsDatabaseStops() throws Exception {
    Path work = Path.of("target", "child-servers", "shutdown-" + UUID.randomUUID()).toAbsolutePath();
    List<String> arguments = List.of(
        "--custodian.db.embedded.data-dir=" + work.resolve("postgres"),
        "--custodian.auth.signing-keystore=" + work.resolve("token-signing.p12"),
        "--custodian.audit.checkpoint-keystore=" + work.resolve("audit.p12"),
        "--custodian.storage.blob-dir=" + work.resolve("blobs"),
        "--custodian.storage.keystore=" + work.resolve("blob-kek.p12"),
        "--custodian.demo.enabled=false");
    ChildServer first = ChildServer.start(work, arguments);
    long lastEvent;
    try (first) {
      HttpClient client = HttpClient.newHttpClient();
      for (int i = 0; i < 5; i++) {
        // refused requests are audited too: the chain grows past the checkpoint signed at start
        assertThat(client.send(HttpRequest.newBuilder(URI.create(first.baseUrl() + "/fhir/Patient/anyone")).GET().build(),
            HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
      }
      lastEvent = query(first.log(), "select max(sequence) from custodian_audit_event");
      assertThat(query(first.log(), "select coalesce(max(sequence), 0) from custodian_audit_checkpoint"))
          .as("no checkpoint covers the last events yet").isLessThan(lastEvent);
    } // SIGTERM, and wait for the process to end
    String stopped = first.log();
    assertThat(stopped).doesNotContain("Could not sign an audit checkpoint");
    assertThat(stopped).as("the server stopped its PostgreSQL itself").contains("Embedded PostgreSQL with data in")
        .containsPattern("Embedded PostgreSQL with data in .* stopped");

    try (ChildServer second = ChildServer.start(work, arguments)) {
      assertThat(second.log()).doesNotContain("after an unclean stop");
      assertThat(query(second.log(), "select max(sequence) from custodian_audit_checkpoint"))
          .as("the checkpoint signed at the stop covers the last event").isGreaterThanOrEqualTo(lastEvent);
    }
  }

  /** A single number from the embedded PostgreSQL the server logged it started. */
  private static long query(String serverLog, String sql) throws Exception {
    Matcher port = Pattern.compile("Embedded PostgreSQL \\((?:new|existing) cluster\\) on port (\\d+)").matcher(serverLog);
    assertThat(port.find()).isTrue();
    try (Connection db = DriverManager.getConnection("jdbc:postgresql://localhost:" + port.group(1) + "/postgres", "postgres", "");
        Statement statement = db.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    }
  }
}
