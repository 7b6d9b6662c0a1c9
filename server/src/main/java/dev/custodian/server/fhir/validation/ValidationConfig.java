package dev.custodian.server.fhir.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.validation.IInstanceValidatorModule;
import dev.custodian.server.ig.CustodianProfiles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Profile enforcement on the storage layer, for every write whatever its path. */
@Configuration(proxyBeanMethods = false)
public class ValidationConfig {

  @Bean
  public ProfileEnforcementInterceptor profileEnforcementInterceptor(
      FhirContext fhirContext,
      IInstanceValidatorModule instanceValidator,
      IInterceptorService storageInterceptors) {
    ProfileEnforcementInterceptor interceptor =
        new ProfileEnforcementInterceptor(fhirContext, instanceValidator, CustodianProfiles::requiredProfile);
    storageInterceptors.registerInterceptor(interceptor);
    return interceptor;
  }
}
