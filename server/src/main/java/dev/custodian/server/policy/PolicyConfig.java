package dev.custodian.server.policy;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import dev.custodian.server.policy.breakglass.BreakGlassGrants;
import dev.custodian.server.sharing.ShareGrants;
import jakarta.persistence.EntityManagerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.jpa.SharedEntityManagerCreator;

/** The server's side of the policy decision point: the facts it decides on. */
@Configuration(proxyBeanMethods = false)
public class PolicyConfig {

  @Bean
  public DatabasePolicyFacts databasePolicyFacts(DaoRegistry daos, BreakGlassGrants grants, JdbcTemplate authJdbcTemplate,
      FactRecordGeneration generation) {
    return new DatabasePolicyFacts(daos, grants, new ShareGrants(authJdbcTemplate), generation);
  }

  /** Raised on the storage layer by every write of a fact record, whatever its path. */
  @Bean
  public FactRecordGeneration factRecordGeneration(
      EntityManagerFactory entityManagerFactory, JdbcTemplate authJdbcTemplate, IInterceptorService storage) {
    FactRecordGeneration generation = new FactRecordGeneration(
        SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory), authJdbcTemplate);
    storage.registerInterceptor(generation);
    return generation;
  }
}
