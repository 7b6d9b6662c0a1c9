package dev.custodian.server.ig;

import ca.uhn.fhir.jpa.packages.IPackageInstallerSvc;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Custodian's implementation guide: installed at start and declared in the CapabilityStatement. */
@Configuration(proxyBeanMethods = false)
public class ImplementationGuideConfig {

  @Bean
  public ImplementationGuideInstaller implementationGuideInstaller(IPackageInstallerSvc installer) {
    return new ImplementationGuideInstaller(installer);
  }

  @Bean
  public CapabilityStatementCustomizer capabilityStatementCustomizer(
      @Value("${custodian.version:dev}") String version) {
    return new CapabilityStatementCustomizer(version);
  }
}
