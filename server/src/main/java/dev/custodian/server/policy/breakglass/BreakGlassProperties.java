package dev.custodian.server.policy.breakglass;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Break-the-glass ({@code custodian.policy.break-glass.*}).
 *
 * @param window how long a clinician who broke the glass may read that patient's records (default
 *     60 minutes, at most 24 hours: a longer need is a care relationship — a CareTeam or Encounter —
 *     not an emergency)
 */
@ConfigurationProperties(prefix = "custodian.policy.break-glass")
public record BreakGlassProperties(Duration window) {

  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(60);
  public static final Duration MAX_WINDOW = Duration.ofHours(24);

  public BreakGlassProperties {
    window = window == null ? DEFAULT_WINDOW : window;
    if (window.isNegative() || window.isZero() || window.compareTo(MAX_WINDOW) > 0) {
      throw new IllegalArgumentException(
          "custodian.policy.break-glass.window must be positive and at most " + MAX_WINDOW + ", not " + window);
    }
  }
}
