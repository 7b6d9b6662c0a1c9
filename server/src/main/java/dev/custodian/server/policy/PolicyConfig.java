package dev.custodian.server.policy;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import dev.custodian.server.policy.breakglass.BreakGlassGrants;
import dev.custodian.server.sharing.ShareGrants;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The server's side of the policy decision point: the facts it decides on. */
@Configuration(proxyBeanMethods = false)
public class PolicyConfig {

  @Bean
  public DatabasePolicyFacts databasePolicyFacts(DaoRegistry daos, BreakGlassGrants grants, JdbcTemplate authJdbcTemplate) {
    return new DatabasePolicyFacts(daos, grants, new ShareGrants(authJdbcTemplate));
  }
}
