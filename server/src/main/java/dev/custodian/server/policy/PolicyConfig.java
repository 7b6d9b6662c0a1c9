package dev.custodian.server.policy;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import dev.custodian.server.policy.breakglass.BreakGlassGrants;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The server's side of the policy decision point: the facts it decides on. */
@Configuration(proxyBeanMethods = false)
public class PolicyConfig {

  @Bean
  public DatabasePolicyFacts databasePolicyFacts(DaoRegistry daos, BreakGlassGrants grants) {
    return new DatabasePolicyFacts(daos, grants);
  }
}
