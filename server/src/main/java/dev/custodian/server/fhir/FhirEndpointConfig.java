package dev.custodian.server.fhir;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.IJpaSystemProvider;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.narrative2.NullNarrativeGenerator;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.HardcodedServerAddressStrategy;
import ca.uhn.fhir.rest.server.IncomingRequestAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.ResponseHighlighterInterceptor;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentInterceptor;
import ca.uhn.fhir.rest.server.IResourceProvider;
import dev.custodian.audit.AuditInterceptor;
import dev.custodian.server.audit.fhir.AuditEventResourceProvider;
import dev.custodian.server.audit.fhir.AuditPagingProvider;
import dev.custodian.server.audit.fhir.VerifyAuditTrailOperation;
import dev.custodian.server.audit.accesslog.PatientAccessLogOperation;
import dev.custodian.policy.enforce.SelfJudgedOperations;
import dev.custodian.server.audit.store.AuditEventStore;
import org.hl7.fhir.r4.model.AuditEvent;
import dev.custodian.policy.AccessPolicy;
import dev.custodian.policy.enforce.CallerResolver;
import dev.custodian.policy.enforce.HiddenAsMissing;
import dev.custodian.policy.enforce.PolicyConsentService;
import dev.custodian.policy.enforce.PatientSearchNarrowing;
import dev.custodian.policy.enforce.RequestShapeGuard;
import dev.custodian.policy.enforce.ScopeGuard;
import dev.custodian.policy.enforce.TransactionEntryGuard;
import dev.custodian.server.fhir.batch.BundleRequestGate;
import dev.custodian.server.bench.BenchmarkSwitches;
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
  public RestfulServer fhirRestfulServer(
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
      BenchmarkSwitches bench,
      dev.custodian.server.fhir.batch.BatchProperties batchProperties,
      @org.springframework.beans.factory.annotation.Value("${server.address:}") String bindAddress) {
    RestfulServer server = new RestfulServer(systemDao.getContext());
    server.getFhirContext().setNarrativeGenerator(new NullNarrativeGenerator());
    // AuditEvent is served from the audit trail's own append-only store, not from the JPA tables
    server.registerProviders(resourceProviders.createProviders().stream()
        .filter(provider -> !(provider instanceof IResourceProvider typed && typed.getResourceType() == AuditEvent.class))
        .toList());
    server.registerProvider(auditEvents);
    server.registerProvider(verifyAuditTrail);
    server.registerProvider(accessLog);
    server.registerProvider(breakTheGlass);
    server.registerProvider(requestCopies);
    server.registerProvider(accessRequestQueue);
    server.registerProvider(copyRequestSteps);
    server.registerProvider(systemProvider);

    JpaCapabilityStatementProvider capabilities =
        new JpaCapabilityStatementProvider(
            server, systemDao, storageSettings, searchParamRegistry, validationSupport);
    capabilities.setImplementationDescription("Custodian FHIR server for CT imaging records");
    server.setServerConformanceProvider(capabilities);
    server.setServerName("Custodian");

    pagingProvider.setDefaultPageSize(properties.defaultPageSize());
    pagingProvider.setMaximumPageSize(properties.maxPageSize());
    server.setPagingProvider(new AuditPagingProvider(pagingProvider, auditEventStore));
    server.setDefaultResponseEncoding(EncodingEnum.JSON);
    server.setDefaultPrettyPrint(false);

    if (properties.serverAddress() != null && !properties.serverAddress().isBlank()) {
      server.setServerAddressStrategy(new HardcodedServerAddressStrategy(properties.serverAddress()));
    } else {
      server.setServerAddressStrategy(new IncomingRequestAddressStrategy());
    }

    server.registerInterceptor(new ResponseHighlighterInterceptor());
    server.registerInterceptor(capabilityStatementCustomizer);
    // Every path to data asks the policy decision point: request forms it cannot judge per
    // resource are refused; every resource read, searched, included or in a history is decided
    // (and projected); refusals look exactly like missing resources.
    // (the server's own operations that ask the policy themselves, each with its own leak test)
    SelfJudgedOperations selfJudged = SelfJudgedOperations.of(
        VerifyAuditTrailOperation.NAME, PatientAccessLogOperation.NAME, BreakTheGlassOperation.NAME,
        RequestCopiesOperation.NAME, AccessRequestQueueOperation.NAME, CopyRequestStaffOperations.VERIFY_IDENTITY,
        CopyRequestStaffOperations.EXTEND, CopyRequestStaffOperations.FULFIL, CopyRequestStaffOperations.REJECT);
    // a batch is answered entry by entry as single requests; a transaction's entries are judged
    // before HAPI runs any of them (writes only; their storage is judged like any write)
    server.registerInterceptor(new BundleRequestGate(server, batchProperties));
    server.registerInterceptor(new RequestShapeGuard(selfJudged, new TransactionEntryGuard(callers)));
    if (bench.policyEnforced(bindAddress)) {
      server.registerInterceptor(new ScopeGuard(callers));
      server.registerInterceptor(new PatientSearchNarrowing(callers, patientReach));
      server.registerInterceptor(new ConsentInterceptor(new PolicyConsentService(accessPolicy, callers, selfJudged)));
      server.registerInterceptor(new HiddenAsMissing());
    }
    // ...and every access, permitted or not, is recorded before the response leaves
    server.registerInterceptor(audit);
    return server;
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
