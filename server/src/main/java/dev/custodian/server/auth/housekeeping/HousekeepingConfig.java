package dev.custodian.server.auth.housekeeping;

import dev.custodian.server.auth.backend.SeenAssertions;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The periodic purge of expired grants, launches and assertion ids. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HousekeepingConfig.HousekeepingProperties.class)
public class HousekeepingConfig {

  /**
   * {@code custodian.auth.housekeeping.*}.
   *
   * @param interval how often expired records are purged (default one hour)
   */
  @ConfigurationProperties(prefix = "custodian.auth.housekeeping")
  public record HousekeepingProperties(Duration interval) {
    public HousekeepingProperties {
      interval = interval == null || interval.isNegative() || interval.isZero() ? Duration.ofHours(1) : interval;
    }
  }

  @Bean
  public ExpiredRecords expiredRecords(JdbcTemplate authJdbcTemplate, SeenAssertions seenAssertions) {
    return new ExpiredRecords(authJdbcTemplate, seenAssertions, Clock.systemUTC());
  }

  @Bean
  public HousekeepingSchedule housekeepingSchedule(ExpiredRecords expiredRecords, HousekeepingProperties properties) {
    return new HousekeepingSchedule(expiredRecords, properties.interval());
  }
}
