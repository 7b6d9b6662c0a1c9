package dev.custodian.server.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custodian.server.policy.breakglass.BreakGlassProperties;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The break-the-glass window: 60 minutes unless configured, positive, at most a day. */
class BreakGlassPropertiesTest {

  @Test
  void theWindowIsAnHourByDefaultAndBetweenZeroAndADay() {
    assertThat(new BreakGlassProperties(null).window()).isEqualTo(Duration.ofMinutes(60));
    assertThat(new BreakGlassProperties(Duration.ofMinutes(15)).window()).isEqualTo(Duration.ofMinutes(15));
    assertThat(new BreakGlassProperties(Duration.ofHours(24)).window()).isEqualTo(Duration.ofHours(24));
    for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofMinutes(-5), Duration.ofHours(25)}) {
      assertThatThrownBy(() -> new BreakGlassProperties(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("custodian.policy.break-glass.window");
    }
  }
}
