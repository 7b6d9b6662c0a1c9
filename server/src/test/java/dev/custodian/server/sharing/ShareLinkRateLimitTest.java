package dev.custodian.server.sharing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.support.HttpAnswer;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Failed attempts are throttled per client address: after {@code custodian.share.rate-limit.max-failures}
 * (default 20) unknown or spent tokens and wrong PINs, the address gets 429 with Retry-After on every
 * link — a live one exactly like an unknown one — while other addresses are unaffected. The requests
 * come from loopback addresses of their own (127.0.0.x), as distinct clients.
 */
class ShareLinkRateLimitTest extends ShareLinkTestBase {

  private static String unknownToken() {
    byte[] random = new byte[32];
    ThreadLocalRandom.current().nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  private static FromAddress from(String address) {
    return new FromAddress(address);
  }

  /** The same URL on the loopback address the server listens on (the client's address is then its own). */
  private static String direct(String url) {
    return url.replace("http://localhost:", "http://127.0.0.1:");
  }

  @Test
  void anAddressThatFailsTooOftenIsThrottledOnEveryLinkAndOthersAreNot() {
    String live = direct(link(alice(), chestCt()).get("url").asText());
    String withPin = direct(link(alice(), chestCt().put("pin", "4711").put("maxUses", 2)).get("url").asText());
    FromAddress guesser = from("127.0.0.23");
    String base = direct(baseUrl());

    // three wrong PINs and seventeen unknown tokens: twenty failures, each answered as usual
    for (int i = 0; i < 3; i++) {
      assertThat(guesser.redeem(withPin, "0000", true).status()).isEqualTo(403);
    }
    for (int i = 0; i < 17; i++) {
      HttpAnswer answer = i % 2 == 0 ? guesser.redeem(base + "/share/" + unknownToken(), null, true)
          : guesser.get(base + "/share/" + unknownToken(), "text/html");
      assertThat(answer.status()).as("attempt " + i).isEqualTo(410);
    }

    // now every link answers 429 — the live one exactly as an unknown one — with Retry-After
    HttpAnswer unknown = guesser.redeem(base + "/share/" + unknownToken(), null, true);
    HttpAnswer real = guesser.redeem(live, null, true);
    for (HttpAnswer throttled : new HttpAnswer[] {unknown, real,
        guesser.redeem(withPin, "4711", true), guesser.get(live, "text/html")}) {
      assertThat(throttled.status()).as(throttled.toString()).isEqualTo(429);
      assertThat(Long.parseLong(throttled.header("Retry-After"))).isBetween(1L, 900L);
      assertThat(throttled.text()).doesNotContain("alice", "ImagingStudy", "chest");
    }
    assertThat(real.text()).isEqualTo(unknown.text());
    assertThat(guesser.get(live, "text/html").text()).contains("Too many attempts")
        .isEqualTo(guesser.get(base + "/share/" + unknownToken(), "text/html").text());

    // the live link was not used, and the right PIN was not burnt: another address redeems both
    FromAddress recipient = from("127.0.0.24");
    assertThat(recipient.redeem(live, null, true).status()).isEqualTo(200);
    assertThat(recipient.redeem(withPin, "4711", true).status()).isEqualTo(200);

    // throttled attempts are audited with the address
    String audit = as("audit.gray", "user/AuditEvent.rs").get("AuditEvent?_count=200&_sort=-date").body();
    assertThat(audit).contains("too many failed attempts from this address", "127.0.0.23");
  }

  @Test
  void rowsOfEndedWindowsAreDroppedWithTheNextFailure() {
    JdbcTemplate jdbc = context.getBean("authJdbcTemplate", JdbcTemplate.class);
    jdbc.update("INSERT INTO custodian_share_attempt (address, window_start, failures) VALUES (?, now() - interval '1 day', 20)"
        + " ON CONFLICT (address) DO UPDATE SET window_start = EXCLUDED.window_start, failures = 20", "192.0.2.77");
    jdbc.update("INSERT INTO custodian_share_attempt (address, window_start, failures) VALUES (?, now(), 3)"
        + " ON CONFLICT (address) DO UPDATE SET window_start = EXCLUDED.window_start, failures = 3", "192.0.2.78");

    assertThat(from("127.0.0.26").redeem(direct(baseUrl()) + "/share/" + unknownToken(), null, true).status()).isEqualTo(410);

    assertThat(jdbc.queryForList("SELECT address FROM custodian_share_attempt", String.class))
        .contains("127.0.0.26", "192.0.2.78").doesNotContain("192.0.2.77");
  }

  @Test
  void successesDoNotCountAndALinkOpenedManyTimesIsNoGuessing() {
    FromAddress reader = from("127.0.0.25");
    String url = direct(link(alice(), chestCt().put("maxUses", 1)).get("url").asText());
    for (int i = 0; i < 30; i++) {
      assertThat(reader.get(url, "text/html").status()).as("page view " + i).isEqualTo(200);
    }
    assertThat(reader.redeem(url, null, true).status()).isEqualTo(200);
  }
}
