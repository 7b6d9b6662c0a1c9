package dev.custodian.server.demo;

import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import dev.custodian.server.auth.AuthProperties;
import dev.custodian.server.auth.DemoAccounts;
import dev.custodian.server.auth.users.UserAccountRepository;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class DemoConfig {

  @Bean
  public DemoDataLoader demoDataLoader(
      DemoProperties properties, IFhirSystemDao<Bundle, ?> systemDao, DemoAccounts accounts, AuthProperties auth) {
    return new DemoDataLoader(properties, systemDao, accounts, auth.dicomwebBase());
  }

  @Bean
  public DemoAccounts demoAccounts(
      UserAccountRepository users,
      RegisteredClientRepository clients,
      PasswordEncoder passwords,
      AuthProperties properties) {
    return new DemoAccounts(users, clients, passwords, properties);
  }
}
