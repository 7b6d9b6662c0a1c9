package dev.custodian.server.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.audit.AuditProperties;
import dev.custodian.server.db.DataSourceConfig;
import dev.custodian.server.db.EmbeddedPostgresServer;
import dev.custodian.server.storage.StorageProperties;
import dev.custodian.server.support.ChildServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two server nodes on one database (the second a JVM of its own), 50 concurrent redemptions of a
 * one-time link spread over both: exactly one succeeds, 49 answer 410, and the database counted one use.
 */
class ShareLinkRaceTest extends ShareLinkTestBase {

  @Autowired DataSourceConfig.EmbeddedPostgresHolder database;
  @Autowired AuditProperties audit;
  @Autowired StorageProperties storage;
  @Autowired JdbcTemplate authJdbcTemplate;

  @Test
  void fiftyConcurrentRedemptionsOnTwoNodesHaveExactlyOneWinner() throws Exception {
    Path work = Path.of("target", "child-servers", UUID.randomUUID().toString());
    try (ChildServer second = ChildServer.start(work, nodeArguments(work))) {
      String url = link(alice(), chestCt()).get("url").asText();
      String token = url.substring(url.lastIndexOf('/') + 1);
      ExecutorService pool = Executors.newFixedThreadPool(50);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        String base = i % 2 == 0 ? baseUrl() : second.baseUrl();
        Callable<Integer> attempt = () -> {
          start.await();
          return redeem(base + "/share/" + token, null, true).status();
        };
        answers.add(pool.submit(attempt));
      }
      start.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> answer : answers) {
        statuses.add(answer.get());
      }
      pool.shutdown();
      assertThat(statuses.stream().filter(s -> s == 200).count()).as(statuses.toString()).isEqualTo(1);
      assertThat(statuses.stream().filter(s -> s == 410).count()).as(statuses.toString()).isEqualTo(49);
      assertThat(authJdbcTemplate.queryForObject("SELECT uses FROM custodian_share_link WHERE token_hash = sha256(?::bytea)",
          Integer.class, token)).isEqualTo(1);
      // the link is spent on both nodes
      assertGone(get(second.baseUrl() + "/share/" + token, "text/html"));
      assertGone(get(url, "text/html"));
    }
  }

  private List<String> nodeArguments(Path work) {
    EmbeddedPostgresServer shared = database.server();
    return List.of(
        "--custodian.db.url=" + shared.jdbcUrl(),
        "--custodian.db.user=" + shared.user(),
        "--custodian.db.password=",
        "--custodian.db.embedded.data-dir=" + work.resolve("unused-postgres"),
        "--custodian.auth.signing-keystore=" + work.resolve("token-signing.p12"),
        "--custodian.audit.checkpoint-keystore=" + audit.checkpointKeystore().toAbsolutePath(),
        "--custodian.audit.checkpoint-keystore-password=" + audit.checkpointKeystorePassword(),
        "--custodian.storage.blob-dir=" + storage.blobDir().toAbsolutePath(),
        "--custodian.storage.keystore=" + storage.keystore().toAbsolutePath(),
        "--custodian.demo.enabled=false",
        "--custodian.share.rate-limit.exempt-addresses=" + dev.custodian.server.support.CustodianServerTest.LOOPBACK);
  }
}
