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
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.IncomingRequestAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.ResponseHighlighterInterceptor;
import ca.uhn.fhir.rest.server.interceptor.consent.ConsentInterceptor;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import dev.custodian.audit.AuditInterceptor;
import dev.custodian.policy.AccessPolicy;
import dev.custodian.policy.enforce.CallerResolver;
import dev.custodian.policy.enforce.HiddenAsMissing;
import dev.custodian.policy.enforce.PatientReach;
import dev.custodian.policy.enforce.PatientSearchNarrowing;
import dev.custodian.policy.enforce.PolicyConsentService;
import dev.custodian.policy.enforce.RequestShapeGuard;
import dev.custodian.policy.enforce.ScopeGuard;
import dev.custodian.policy.enforce.SelfJudgedOperations;
import dev.custodian.policy.enforce.TransactionEntryGuard;
import dev.custodian.server.audit.accesslog.PatientAccessLogOperation;
import dev.custodian.server.audit.fhir.AuditEventResourceProvider;
import dev.custodian.server.audit.fhir.AuditPagingProvider;
import dev.custodian.server.audit.fhir.VerifyAuditTrailOperation;
import dev.custodian.server.audit.store.AuditEventStore;
import dev.custodian.server.fhir.batch.BatchProperties;
import dev.custodian.server.fhir.batch.BundleRequestGate;
import dev.custodian.server.ig.CapabilityStatementCustomizer;
import dev.custodian.server.policy.breakglass.BreakTheGlassOperation;
import dev.custodian.server.requests.AccessRequestQueueOperation;
import dev.custodian.server.requests.CopyRequestStaffOperations;
import dev.custodian.server.requests.RequestCopiesOperation;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;

/**
 * Puts together HAPI's {@link RestfulServer} over the JPA DAOs with the providers and the
 * interceptors every request passes through. The {@code /fhir} endpoint is always assembled with
 * {@link Safeguards#ALL}; the benchmarks' twin endpoint ({@code custodian.bench.compare}) is the same
 * assembly with one safeguard left out, so that both run in one JVM on the same data.
 */
@org.springframework.stereotype.Component
public final class FhirServerAssembly {

  /**
   * Which safeguards the assembled server has.
   *
   * @param policy the access policy: scope checks, patient search narrowing, a decision per resource,
   *     refusals shown as missing
   * @param audit the audit trail: every access recorded before its response leaves
   */
  public record Safeguards(boolean policy, boolean audit) {
    public static final Safeguards ALL = new Safeguards(true, true);
  }

  private final IFhirSystemDao<?, ?> systemDao;
  private final IJpaSystemProvider systemProvider;
  private final ResourceProviderFactory resourceProviders;
  private final JpaStorageSettings storageSettings;
  private final ISearchParamRegistry searchParamRegistry;
  private final IValidationSupport validationSupport;
  private final DatabaseBackedPagingProvider pagingProvider;
  private final FhirProperties properties;
  private final CapabilityStatementCustomizer capabilityStatementCustomizer;
  private final AccessPolicy accessPolicy;
  private final CallerResolver callers;
  private final PatientReach patientReach;
  private final AuditInterceptor audit;
  private final AuditEventResourceProvider auditEvents;
  private final AuditEventStore auditEventStore;
  private final List<Object> operations;
  private final BatchProperties batchProperties;

  @SuppressWarnings("checkstyle:ParameterNumber") // one server, many parts: each a bean of its own
  public FhirServerAssembly(
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
      PatientReach patientReach,
      AuditInterceptor audit,
      AuditEventResourceProvider auditEvents,
      AuditEventStore auditEventStore,
      VerifyAuditTrailOperation verifyAuditTrail,
      PatientAccessLogOperation accessLog,
      BreakTheGlassOperation breakTheGlass,
      RequestCopiesOperation requestCopies,
      AccessRequestQueueOperation accessRequestQueue,
      CopyRequestStaffOperations copyRequestSteps,
      BatchProperties batchProperties) {
    this.systemDao = systemDao;
    this.systemProvider = systemProvider;
    this.resourceProviders = resourceProviders;
    this.storageSettings = storageSettings;
    this.searchParamRegistry = searchParamRegistry;
    this.validationSupport = validationSupport;
    this.pagingProvider = pagingProvider;
    this.properties = properties;
    this.capabilityStatementCustomizer = capabilityStatementCustomizer;
    this.accessPolicy = accessPolicy;
    this.callers = callers;
    this.patientReach = patientReach;
    this.audit = audit;
    this.auditEvents = auditEvents;
    this.auditEventStore = auditEventStore;
    this.operations = List.of(verifyAuditTrail, accessLog, breakTheGlass, requestCopies, accessRequestQueue,
        copyRequestSteps);
    this.batchProperties = batchProperties;
  }

  /** A new server with {@code safeguards}. */
  public RestfulServer assemble(Safeguards safeguards) {
    RestfulServer server = new RestfulServer(systemDao.getContext());
    server.getFhirContext().setNarrativeGenerator(new NullNarrativeGenerator());
    // AuditEvent is served from the audit trail's own append-only store, not from the JPA tables
    server.registerProviders(resourceProviders.createProviders().stream()
        .filter(provider -> !(provider instanceof IResourceProvider typed && typed.getResourceType() == AuditEvent.class))
        .toList());
    server.registerProvider(auditEvents);
    operations.forEach(server::registerProvider);
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
    if (safeguards.policy()) {
      server.registerInterceptor(new ScopeGuard(callers));
      server.registerInterceptor(new PatientSearchNarrowing(callers, patientReach));
      server.registerInterceptor(new ConsentInterceptor(new PolicyConsentService(accessPolicy, callers, selfJudged)));
      server.registerInterceptor(new HiddenAsMissing());
    }
    // ...and every access, permitted or not, is recorded before the response leaves
    if (safeguards.audit()) {
      server.registerInterceptor(audit);
    }
    return server;
  }
}
