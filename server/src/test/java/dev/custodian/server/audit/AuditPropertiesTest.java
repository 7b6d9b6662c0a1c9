package dev.custodian.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Period;
import org.junit.jupiter.api.Test;

/** The audit settings' defaults, and the values refused at start rather than obeyed. */
class AuditPropertiesTest {

  @Test
  void defaultsKeepSixYearsAndDelayCommitsOneMillisecond() {
    AuditProperties defaults = new AuditProperties(null, null, null, null, null);
    assertThat(defaults.retention()).isEqualTo(Period.ofYears(6));
    assertThat(defaults.commitDelay()).isEqualTo(Duration.ofMillis(3));
    assertThat(defaults.checkpointInterval()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void aCommitDelayOfZeroTurnsItOff() {
    assertThat(new AuditProperties(null, null, null, null, Duration.ZERO).commitDelay()).isZero();
  }

  @Test
  void negativeOrLongCommitDelaysAreRefused() {
    assertThatThrownBy(() -> new AuditProperties(null, null, null, null, Duration.ofMillis(-1)))
        .hasMessageContaining("custodian.audit.commit-delay");
    assertThatThrownBy(() -> new AuditProperties(null, null, null, null, Duration.ofMillis(101)))
        .hasMessageContaining("custodian.audit.commit-delay");
  }

  @Test
  void aRetentionShorterThanSixYearsIsRefused() {
    assertThatThrownBy(() -> new AuditProperties(null, null, null, Period.ofYears(5), null))
        .hasMessageContaining("custodian.audit.retention");
  }
}
