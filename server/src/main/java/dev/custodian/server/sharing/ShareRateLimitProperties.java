package dev.custodian.server.sharing;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The per-address throttle of share-link attempts ({@code custodian.share.rate-limit.*}).
 *
 * @param maxFailures failed attempts (unknown or spent tokens, wrong PINs) one client address may make
 *     in one window before it is answered 429 (default 20)
 * @param window the length of that window, and the longest wait (default 15 minutes)
 * @param exemptAddresses client addresses never throttled (default none; e.g. a monitor behind the
 *     same proxy)
 */
@ConfigurationProperties("custodian.share.rate-limit")
public record ShareRateLimitProperties(Integer maxFailures, Duration window, List<String> exemptAddresses) {

  public ShareRateLimitProperties {
    maxFailures = maxFailures == null ? 20 : maxFailures;
    window = window == null ? Duration.ofMinutes(15) : window;
    exemptAddresses = exemptAddresses == null ? List.of() : List.copyOf(exemptAddresses);
    if (maxFailures < 1 || window.isNegative() || window.toSeconds() < 1) {
      throw new IllegalArgumentException("custodian.share.rate-limit: max-failures and window must be positive");
    }
  }
}
