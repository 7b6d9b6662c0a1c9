package dev.custodian.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.support.ChildServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
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
    List<String> arguments = ChildServer.onEmbeddedDatabase(work);
    ChildServer first = ChildServer.start(work, arguments);
    long lastEvent;
    try (first) {
      HttpClient client = HttpClient.newHttpClient();
      for (int i = 0; i < 5; i++) {
        // refused requests are audited too: the chain grows, and no checkpoint covers it yet
        assertThat(client.send(HttpRequest.newBuilder(URI.create(first.baseUrl() + "/fhir/Patient/anyone")).GET().build(),
            HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
      }
      lastEvent = query(first, "select max(sequence) from custodian_audit_event");
      assertThat(query(first, "select coalesce(max(sequence), 0) from custodian_audit_checkpoint"))
          .as("no checkpoint covers the last events yet").isLessThan(lastEvent);
    } // SIGTERM, and wait for the process to end
    String stopped = first.log();
    assertThat(stopped).doesNotContain("Could not sign an audit checkpoint");
    assertThat(stopped).as("the server stopped its PostgreSQL itself").containsPattern("Embedded PostgreSQL with data in .* stopped");

    try (ChildServer second = ChildServer.start(work, arguments)) {
      assertThat(second.log()).doesNotContain("after an unclean stop");
      assertThat(query(second, "select max(sequence) from custodian_audit_checkpoint"))
          .as("the checkpoint signed at the stop covers the last event").isGreaterThanOrEqualTo(lastEvent);
    }
  }

  /** A single number from the child server's embedded PostgreSQL. */
  private static long query(ChildServer server, String sql) throws Exception {
    try (Connection db = server.embeddedDatabase();
        Statement statement = db.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getLong(1);
    }
  }
}
