package dev.custodian.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many more concurrent requests than the database pool has connections (10) are all answered at once.
 * Two ways in which a request held one connection while it waited for another stalled the whole
 * server until the pool's 30 s timeout, at 24 concurrent reads, and then failed every request: the
 * token store's nested client lookup (now one connection per call, {@code
 * SharedConnectionAuthorizations}) and the audit writer, which requests wait for, drawing from their
 * pool (now a pool of its own). This test failed, by timeout, with neither fix and with the writer's
 * own pool alone.
 */
class ConcurrentRequestsTest extends ServerTestBase {

  private static final int CLIENTS = 48;
  private static final int READS_EACH = 4;

  @Test
  void moreConcurrentReadersThanPooledConnectionsAreAllAnsweredPromptly() throws Exception {
    FhirHttp chen = as("dr.chen", "user/*.rs");
    assertThat(chen.get("ImagingStudy/alice-ct-chest").status()).isEqualTo(200);
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    long started = System.nanoTime();
    try {
      List<Future<List<Integer>>> answers = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        answers.add(clients.submit(() -> {
          List<Integer> statuses = new ArrayList<>();
          for (int i = 0; i < READS_EACH; i++) {
            statuses.add(chen.get("ImagingStudy/alice-ct-chest").status());
          }
          return statuses;
        }));
      }
      for (Future<List<Integer>> answer : answers) {
        assertThat(answer.get(60, TimeUnit.SECONDS)).containsOnly(200);
      }
    } finally {
      clients.shutdownNow();
    }
    // well under the pool's 30 s connection timeout, which a stalled pool would have run into
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).isLessThan(20);
  }
}
