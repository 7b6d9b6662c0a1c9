package dev.custodian.server.auth.mfa;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Sign-in rules ({@code custodian.auth.login.*}).
 *
 * @param maxFailures wrong passwords or codes in a row before the account locks
 * @param lockDuration how long a locked account stays locked
 * @param patientMfa whether patients must have a second factor ({@code required}) or may choose
 *     ({@code optional}, the default); staff always must
 */
@ConfigurationProperties(prefix = "custodian.auth.login")
public record LoginProperties(int maxFailures, Duration lockDuration, PatientMfa patientMfa) {

  /** The second-factor rule for patients. */
  public enum PatientMfa { REQUIRED, OPTIONAL }

  public LoginProperties {
    maxFailures = maxFailures > 0 ? maxFailures : 5;
    lockDuration = lockDuration == null ? Duration.ofMinutes(15) : lockDuration;
    patientMfa = patientMfa == null ? PatientMfa.OPTIONAL : patientMfa;
  }

  /** Whether {@code account} must have a second factor to finish signing in: staff always. */
  public boolean secondFactorRequired(dev.custodian.server.auth.users.UserAccount account) {
    return account.isStaff() || patientMfa == PatientMfa.REQUIRED;
  }
}
