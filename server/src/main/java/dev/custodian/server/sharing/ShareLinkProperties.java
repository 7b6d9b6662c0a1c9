package dev.custodian.server.sharing;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Share links ({@code custodian.share.*}).
 *
 * @param maxExpiry the longest a link may stay valid (default 7 days)
 * @param maxUses the most redemptions a link may allow (default 20; a link allows 1 unless asked)
 * @param maxPinAttempts wrong PINs after which a link is burnt (default 5)
 */
@ConfigurationProperties("custodian.share")
public record ShareLinkProperties(Duration maxExpiry, Integer maxUses, Integer maxPinAttempts) {

  public ShareLinkProperties {
    maxExpiry = maxExpiry == null ? Duration.ofDays(7) : maxExpiry;
    maxUses = maxUses == null ? 20 : maxUses;
    maxPinAttempts = maxPinAttempts == null ? 5 : maxPinAttempts;
    if (maxExpiry.isNegative() || maxExpiry.isZero() || maxUses < 1 || maxPinAttempts < 1) {
      throw new IllegalArgumentException("custodian.share: max-expiry, max-uses and max-pin-attempts must be positive");
    }
  }
}
