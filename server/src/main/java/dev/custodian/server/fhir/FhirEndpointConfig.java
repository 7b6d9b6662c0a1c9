package dev.custodian.server.fhir;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import dev.custodian.audit.AuditInterceptor;
import dev.custodian.server.audit.fhir.AuditEventResourceProvider;
import dev.custodian.server.audit.fhir.VerifyAuditTrailOperation;
import dev.custodian.server.audit.accesslog.PatientAccessLogOperation;
import dev.custodian.server.audit.store.AuditEventStore;
import dev.custodian.policy.AccessPolicy;
import dev.custodian.policy.enforce.CallerResolver;
import dev.custodian.server.ig.CapabilityStatementCustomizer;
import dev.custodian.server.policy.breakglass.BreakTheGlassOperation;
import dev.custodian.server.requests.AccessRequestQueueOperation;
import dev.custodian.server.requests.CopyRequestStaffOperations;
import dev.custodian.server.requests.RequestCopiesOperation;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The FHIR REST endpoint at {@code /fhir}: HAPI's {@link RestfulServer} over the JPA DAOs, with the
 * interceptors that every request passes through.
 *
 * <p>Deliberately not registered: the terminology uploader, subscription triggering, GraphQL and bulk
 * import/export providers. Each is a path to data that must go through the policy decision point
 * (and get a leak test) before it is offered.
 */
@Configuration(proxyBeanMethods = false)
public class FhirEndpointConfig {

  public static final String FHIR_PATH = "/fhir";

  @Bean
  public FhirServerAssembly fhirServerAssembly(
      IFhirSystemDao<?, ?> systemDao,
      IJpaSystemProvider systemProvider,
      ResourceProviderFactory resourceProviders,
      JpaStorageSettings storageSettings,
      ISearchParamRegistry searchParamRegistry,
      IValidationSupport validationSupport,
      DatabaseBackedPagingProvider pagingProvider,
      FhirProperties properties,
      CapabilityStatementCustomizer capabilityStatementCustomizer,
      AccessPolicy accessPolicy,
      CallerResolver callers,
      dev.custodian.policy.enforce.PatientReach patientReach,
      AuditInterceptor audit,
      AuditEventResourceProvider auditEvents,
      AuditEventStore auditEventStore,
      VerifyAuditTrailOperation verifyAuditTrail,
      PatientAccessLogOperation accessLog,
      BreakTheGlassOperation breakTheGlass,
      RequestCopiesOperation requestCopies,
      AccessRequestQueueOperation accessRequestQueue,
      CopyRequestStaffOperations copyRequestSteps,
      dev.custodian.server.fhir.batch.BatchProperties batchProperties) {
    return new FhirServerAssembly(systemDao, systemProvider, resourceProviders, storageSettings, searchParamRegistry,
        validationSupport, pagingProvider, properties, capabilityStatementCustomizer, accessPolicy, callers,
        patientReach, audit, auditEvents, auditEventStore,
        java.util.List.of(verifyAuditTrail, accessLog, breakTheGlass, requestCopies, accessRequestQueue,
            copyRequestSteps),
        batchProperties);
  }

  /** The endpoint every client uses: the access policy and the audit trail always on. */
  @Bean
  public RestfulServer fhirRestfulServer(FhirServerAssembly assembly) {
    return assembly.assemble(FhirServerAssembly.Safeguards.ALL);
  }

  @Bean
  public ServletRegistrationBean<RestfulServer> fhirServletRegistration(RestfulServer server) {
    ServletRegistrationBean<RestfulServer> registration =
        new ServletRegistrationBean<>(server, FHIR_PATH + "/*");
    registration.setName("fhir");
    registration.setLoadOnStartup(1);
    return registration;
  }

  @Bean
  public FilterRegistrationBean<RequestSizeLimitFilter> fhirRequestSizeLimit(
      FhirProperties properties, RestfulServer server) {
    FilterRegistrationBean<RequestSizeLimitFilter> registration =
        new FilterRegistrationBean<>(
            new RequestSizeLimitFilter(properties.maxRequestBytes(), server.getFhirContext()));
    registration.addUrlPatterns(FHIR_PATH + "/*");
    registration.setName("fhirRequestSizeLimit");
    return registration;
  }
}
