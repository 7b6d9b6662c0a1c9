package dev.custodian.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.support.ChildServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The default installation — embedded PostgreSQL — survives {@code kill -9} of the server: the
 * server's PostgreSQL outlives the JVM, and the next start shuts that orphan down and starts on the
 * same data, with every answered request's audit record in it. Its commits are durable (fsync and
 * synchronous commit on), so a power cut would not lose them either.
 */
class EmbeddedCrashRecoveryTest {

  @Test
  void aKilledServerRestartsOnItsDataWithNothingItAnsweredLost() throws Exception {
    Path work = Path.of("target", "child-servers", "embedded-" + UUID.randomUUID()).toAbsolutePath();
    List<String> arguments = ChildServer.onEmbeddedDatabase(work);
    List<String> answered = new ArrayList<>();
    ChildServer first = ChildServer.start(work, arguments);
    try {
      HttpClient client = HttpClient.newHttpClient();
      for (int i = 0; i < 20; i++) {
        String id = "crash-" + UUID.randomUUID();
        int status = client.send(HttpRequest.newBuilder(URI.create(first.baseUrl() + "/fhir/Patient/anyone"))
            .header("X-Request-ID", id).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        assertThat(status).isEqualTo(401);
        answered.add(id);
      }
    } finally {
      first.kill();
    }

    try (ChildServer second = ChildServer.start(work, arguments)) {
      assertThat(second.log()).contains("after an unclean stop");
      assertThat(second.log()).contains("Embedded PostgreSQL (existing cluster)");
      try (Connection db = second.embeddedDatabase()) {
        for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
          try (PreparedStatement show = db.prepareStatement("show " + setting); ResultSet value = show.executeQuery()) {
            value.next();
            assertThat(value.getString(1)).as(setting).isEqualTo("on");
          }
        }
      }
      try (Connection db = second.embeddedDatabase()) {
        List<String> stored = dev.custodian.server.support.StoredAuditJson.all(db);
        assertThat(answered).allSatisfy(id -> assertThat(stored).filteredOn(json -> json.contains("\"" + id + "\"")).hasSize(1));
      }
    }
  }
}
