package dev.custodian.server.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Custodian's own tables (users, the authorization server's clients and grants, …), migrated by
 * Flyway from {@code db/custodian} at start. HAPI's tables live in the same database and are
 * managed by HAPI, so the history table has its own name and an existing schema is baselined.
 */
@Configuration(proxyBeanMethods = false)
public class CustodianSchema {

  @Bean(initMethod = "migrate")
  public Flyway custodianFlyway(DataSource dataSource) {
    return Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/custodian")
        .table("custodian_schema_history")
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load();
  }
}
