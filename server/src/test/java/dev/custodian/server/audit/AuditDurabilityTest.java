package dev.custodian.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.support.ChildServer;
import dev.custodian.server.support.ServerTestBase;
import dev.custodian.server.support.StoredAuditJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hl7.fhir.r4.model.Parameters;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The audit trail across processes: a second server node on the same database extends the same
 * gapless chain, and a node killed with SIGKILL in the middle of a load has recorded every request
 * it answered. The second node is a separate JVM (started from the test classpath) using the shared
 * test server's database and checkpoint key, as nodes of one installation do.
 */
class AuditDurabilityTest extends ServerTestBase {

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Autowired JdbcTemplate authJdbcTemplate;

  @Test
  void twoNodesOneChainAndAKilledNodeLosesNothingItAnswered() throws Exception {
    Path work = ChildServer.newWorkDir();
    Set<String> answeredByKilledNode;
    try (ChildServer second = ChildServer.startNode(context, work)) {
      // two nodes, one chain: concurrent requests on both
      Set<String> sent = ConcurrentHashMap.newKeySet();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      for (int i = 0; i < 120; i++) {
        String base = i % 2 == 0 ? baseUrl() : second.baseUrl();
        pool.submit(() -> {
          String id = "two-nodes-" + UUID.randomUUID();
          if (unauthenticatedRead(base, id) == 401) {
            sent.add(id);
          }
        });
      }
      pool.shutdown();
      assertThat(pool.awaitTermination(3, TimeUnit.MINUTES)).isTrue();
      assertThat(sent).hasSize(120);
      assertThat(recorded(sent)).isEqualTo(120);
      assertThat(verify()).as("the chain written by both nodes").isEqualTo("true");

      // kill -9 in the middle of a load: every answered request is in the trail
      answeredByKilledNode = ConcurrentHashMap.newKeySet();
      AtomicBoolean loading = new AtomicBoolean(true);
      ExecutorService load = Executors.newFixedThreadPool(8);
      for (int t = 0; t < 8; t++) {
        load.submit(() -> {
          while (loading.get()) {
            String id = "killed-" + UUID.randomUUID();
            if (unauthenticatedRead(second.baseUrl(), id) == 401) {
              answeredByKilledNode.add(id);
            }
          }
        });
      }
      Thread.sleep(3000);
      second.kill();
      loading.set(false);
      load.shutdown();
      assertThat(load.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
    }
    assertThat(answeredByKilledNode).isNotEmpty();
    assertThat(recorded(answeredByKilledNode)).isEqualTo(answeredByKilledNode.size());

    // a restarted node continues the chain
    try (ChildServer restarted = ChildServer.startNode(context, work)) {
      String id = "after-restart-" + UUID.randomUUID();
      assertThat(unauthenticatedRead(restarted.baseUrl(), id)).isEqualTo(401);
      assertThat(recorded(Set.of(id))).isEqualTo(1);
    }
    assertThat(verify()).isEqualTo("true");
  }

  /** A read without a token: refused with 401 and recorded before the answer. -1 when no answer came. */
  private static int unauthenticatedRead(String base, String requestId) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/fhir/ImagingStudy/alice-ct-chest"))
          .header("X-Request-ID", requestId).timeout(Duration.ofSeconds(30)).GET().build();
      return CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.io.IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private int recorded(Set<String> requestIds) {
    List<String> quoted = requestIds.stream().map(id -> "\"" + id + "\"").toList();
    try (java.sql.Connection db = authJdbcTemplate.getDataSource().getConnection()) {
      return (int) StoredAuditJson.all(db).stream().filter(json -> quoted.stream().anyMatch(json::contains)).count();
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private String verify() {
    Parameters result = as("audit.gray", "user/AuditEvent.rs").get("$verify-audit-trail").resource(Parameters.class);
    return result.getParameter("valid").getValue().primitiveValue()
        + (result.getParameter("message") == null ? "" : " " + result.getParameter("message").getValue().primitiveValue());
  }
}
