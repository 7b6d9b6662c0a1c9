package dev.custodian.server.policy.breakglass;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import dev.custodian.policy.enforce.CallerResolver;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Break-the-glass: the grants in PostgreSQL, the {@code $break-the-glass} operation that records them
 * with their review item, and the guard that keeps review items a faithful record. The policy reads
 * the grants through {@code DatabasePolicyFacts}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BreakGlassProperties.class)
public class BreakGlassConfig {

  @Bean
  public BreakGlassGrants breakGlassGrants(JdbcTemplate authJdbcTemplate) {
    return new BreakGlassGrants(authJdbcTemplate);
  }

  /**
   * The grant (JDBC) and its review item (HAPI JPA) are written in one transaction of the JPA
   * transaction manager, which hands the JDBC template the same connection.
   */
  @Bean
  public BreakTheGlassOperation breakTheGlassOperation(CallerResolver callers, DaoRegistry daos,
      BreakGlassGrants grants, PlatformTransactionManager transactionManager, BreakGlassProperties properties) {
    return new BreakTheGlassOperation(callers, daos, grants, new TransactionTemplate(transactionManager),
        properties, Clock.systemUTC());
  }

  /** Registered on the storage layer, after the write guard. */
  @Bean
  public ReviewItemIntegrity reviewItemIntegrity(IInterceptorService storage) {
    ReviewItemIntegrity integrity = new ReviewItemIntegrity();
    storage.registerInterceptor(integrity);
    return integrity;
  }
}
