package dev.custodian.server.demo;

import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class DemoConfig {

  @Bean
  public DemoDataLoader demoDataLoader(DemoProperties properties, IFhirSystemDao<Bundle, ?> systemDao) {
    return new DemoDataLoader(properties, systemDao);
  }
}
