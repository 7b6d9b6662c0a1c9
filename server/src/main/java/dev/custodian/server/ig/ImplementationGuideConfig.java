package dev.custodian.server.ig;

import ca.uhn.fhir.batch2.config.Batch2JobRegisterer;
import ca.uhn.fhir.jpa.packages.IHapiPackageCacheManager;
import ca.uhn.fhir.jpa.packages.IPackageInstallerSvc;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Custodian's implementation guide: installed at start and declared in the CapabilityStatement. */
@Configuration(proxyBeanMethods = false)
public class ImplementationGuideConfig {

  @Bean
  public ImplementationGuideInstaller implementationGuideInstaller(
      IPackageInstallerSvc installer,
      IHapiPackageCacheManager packageCache,
      Batch2JobRegisterer jobRegisterer) {
    return new ImplementationGuideInstaller(installer, packageCache, jobRegisterer);
  }

  @Bean
  public CapabilityStatementCustomizer capabilityStatementCustomizer(
      @Value("${custodian.version:dev}") String version, dev.custodian.server.auth.AuthProperties auth) {
    return new CapabilityStatementCustomizer(version, auth.issuer());
  }
}
