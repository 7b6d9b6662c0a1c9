package dev.custodian.server.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import dev.custodian.audit.AuditInterceptor;
import dev.custodian.audit.BalpEventBuilder;
import dev.custodian.audit.ServerIdentity;
import dev.custodian.audit.chain.Checkpointer;
import dev.custodian.policy.enforce.CallerResolver;
import dev.custodian.server.audit.accesslog.PatientAccessLogOperation;
import dev.custodian.server.audit.chain.AuditCheckpoints;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import dev.custodian.server.audit.chain.AuditTrailVerifier;
import dev.custodian.server.audit.chain.CheckpointSchedule;
import dev.custodian.server.audit.fhir.AuditEventResourceProvider;
import dev.custodian.server.audit.fhir.VerifyAuditTrailOperation;
import dev.custodian.server.keys.KeystoreKeyPair;
import java.util.Map;
import dev.custodian.server.audit.store.AuditEventStore;
import dev.custodian.server.audit.store.GroupCommitWriter;
import dev.custodian.server.audit.store.RequestsBeforeAudit;
import java.time.Duration;
import dev.custodian.server.auth.AuthProperties;
import dev.custodian.server.fhir.FhirProperties;
import java.net.URI;
import java.time.Clock;
import org.hl7.fhir.r4.model.Device;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The audit trail: every FHIR access recorded as BALP AuditEvents in a hash chain, durably. */
@Configuration(proxyBeanMethods = false)
@org.springframework.boot.context.properties.EnableConfigurationProperties(AuditProperties.class)
public class AuditConfig {

  /** The server itself, the observer of every event: {@code Device/custodian}. */
  public static final String SERVER_DEVICE = "custodian";

  /** The alias (and checkpoint key id) of the checkpoint-signing key. */
  public static final String CHECKPOINT_KEY_ALIAS = "audit-checkpoint-1";

  /** Plain JDBC transactions (not JPA's): the audit store is SQL only, and appends are hot. */
  @Bean
  public AuditEventStore auditEventStore(JdbcTemplate authJdbcTemplate, FhirContext fhirContext) {
    DataSourceTransactionManager transactions = new DataSourceTransactionManager(authJdbcTemplate.getDataSource());
    return new AuditEventStore(authJdbcTemplate, new TransactionTemplate(transactions), fhirContext);
  }

  /**
   * Appends on connections of its own ({@code auditWriterDataSource}): requests wait for it, some
   * while holding a connection of the main pool, so it must never wait for one of those.
   */
  @Bean(destroyMethod = "close")
  public GroupCommitWriter auditWriter(
      @org.springframework.beans.factory.annotation.Qualifier("auditWriterDataSource") javax.sql.DataSource connections,
      FhirContext fhirContext,
      RequestsBeforeAudit requestsBeforeAudit,
      AuditProperties properties,
      org.flywaydb.core.Flyway custodianFlyway) { // the audit tables exist before the first append
    AuditEventStore appender = new AuditEventStore(new JdbcTemplate(connections),
        new TransactionTemplate(new DataSourceTransactionManager(connections)), fhirContext);
    return new GroupCommitWriter(appender, requestsBeforeAudit, Duration.ofSeconds(30), properties.commitDelay());
  }

  /** The requests under way that have yet to reach the audit trail, which a commit may wait for. */
  @Bean
  public RequestsBeforeAudit requestsBeforeAudit() {
    return new RequestsBeforeAudit();
  }

  /** Counts every request from its first moment in the server: before token checks, which take most of its time. */
  @Bean
  public org.springframework.boot.web.servlet.FilterRegistrationBean<RequestsBeforeAuditFilter> requestsBeforeAuditFilter(
      RequestsBeforeAudit requests) {
    var registration = new org.springframework.boot.web.servlet.FilterRegistrationBean<>(new RequestsBeforeAuditFilter(requests));
    registration.setOrder(org.springframework.core.Ordered.HIGHEST_PRECEDENCE);
    registration.setName("requestsBeforeAudit");
    return registration;
  }

  @Bean
  public AuditTrail auditTrail(AuthProperties properties, GroupCommitWriter writer) {
    return new AuditTrail(new BalpEventBuilder(serverIdentity(properties)), writer);
  }

  @Bean
  public SignInEvents signInEvents(AuthProperties properties, GroupCommitWriter writer) {
    return new SignInEvents(writer, serverIdentity(properties), Clock.systemUTC());
  }

  @Bean
  public TokenEvents tokenEvents(AuthProperties properties, GroupCommitWriter writer) {
    return new TokenEvents(writer, serverIdentity(properties), Clock.systemUTC());
  }

  @Bean
  public ClientRegistrationEvents clientRegistrationEvents(AuthProperties properties, GroupCommitWriter writer) {
    return new ClientRegistrationEvents(writer, serverIdentity(properties), Clock.systemUTC());
  }

  /** The server as the observer of its audit events. */
  public static ServerIdentity serverIdentity(AuthProperties properties) {
    return new ServerIdentity(
        "Device/" + SERVER_DEVICE, URI.create(properties.issuer()).getHost(), properties.fhirBase());
  }

  /** The server's checkpoint-signing key (EC P-256), from its keystore; created on first start. */
  @Bean
  public AuditCheckpoints auditCheckpoints(JdbcTemplate authJdbcTemplate, AuditProperties properties) {
    KeystoreKeyPair key = checkpointKey(properties);
    return new AuditCheckpoints(authJdbcTemplate,
        new Checkpointer(1, key.keyPair().getPrivate(), key.alias(), Clock.systemUTC()));
  }

  @Bean
  public CheckpointSchedule auditCheckpointSchedule(AuditCheckpoints checkpoints, AuditProperties properties) {
    return new CheckpointSchedule(checkpoints, properties.checkpointInterval());
  }

  @Bean
  public AuditTrailVerifier auditTrailVerifier(
      AuditEventStore store, AuditCheckpoints checkpoints, AuditProperties properties) {
    KeystoreKeyPair key = checkpointKey(properties);
    return new AuditTrailVerifier(store, checkpoints, Map.of(key.alias(), key.keyPair().getPublic()));
  }

  @Bean
  public VerifyAuditTrailOperation verifyAuditTrailOperation(AuditTrailVerifier verifier, CallerResolver callers) {
    return new VerifyAuditTrailOperation(verifier, callers);
  }

  @Bean
  public PatientAccessLogOperation patientAccessLogOperation(
      AuditEventStore store, CallerResolver callers, DaoRegistry daos, RegisteredClientRepository clients) {
    return new PatientAccessLogOperation(store, callers, daos, clients);
  }

  private static KeystoreKeyPair checkpointKey(AuditProperties properties) {
    return KeystoreKeyPair.loadOrCreate(properties.checkpointKeystore(), properties.checkpointKeystorePassword(),
        CHECKPOINT_KEY_ALIAS, KeystoreKeyPair.Spec.ecP256("audit checkpoint signing"));
  }

  /** AuditEvent on the FHIR API: read and search over the store, nothing else. */
  @Bean
  public AuditEventResourceProvider auditEventResourceProvider(AuditEventStore store, FhirProperties fhir) {
    return new AuditEventResourceProvider(store, fhir.defaultPageSize(), fhir.maxPageSize());
  }

  /** The audit interceptor: every FHIR access recorded before its response leaves. */
  @Bean
  public AuditInterceptor auditInterceptor(AuditTrail trail, FhirContext fhirContext) {
    return new AuditInterceptor(trail::record, fhirContext, Clock.systemUTC());
  }

  @Bean
  public UnauthenticatedAccessAudit unauthenticatedAccessAudit(AuditTrail trail) {
    return new UnauthenticatedAccessAudit(trail, Clock.systemUTC());
  }

  /** Makes sure the server's own Device exists, since every event refers to it. */
  @Bean
  public SmartInitializingSingleton serverDevice(DaoRegistry daos) {
    return () -> {
      Device device = new Device();
      device.setId(SERVER_DEVICE);
      device.setStatus(Device.FHIRDeviceStatus.ACTIVE);
      device.addDeviceName().setName("Custodian FHIR server").setType(Device.DeviceNameType.USERFRIENDLYNAME);
      daos.getResourceDao(Device.class).update(device, new SystemRequestDetails());
    };
  }
}
