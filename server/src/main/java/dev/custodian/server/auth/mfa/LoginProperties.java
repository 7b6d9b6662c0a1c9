package dev.custodian.server.auth.mfa;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Sign-in rules ({@code custodian.auth.login.*}).
 *
 * @param maxFailures wrong passwords or codes in a row before the account locks
 * @param lockDuration how long a locked account stays locked
 */
@ConfigurationProperties(prefix = "custodian.auth.login")
public record LoginProperties(int maxFailures, Duration lockDuration) {

  public LoginProperties {
    maxFailures = maxFailures > 0 ? maxFailures : 5;
    lockDuration = lockDuration == null ? Duration.ofMinutes(15) : lockDuration;
  }
}
