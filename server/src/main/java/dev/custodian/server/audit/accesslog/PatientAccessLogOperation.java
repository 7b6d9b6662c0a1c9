package dev.custodian.server.audit.accesslog;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.enforce.CallerResolver;
import dev.custodian.policy.enforce.Callers;
import dev.custodian.policy.scope.Interaction;
import dev.custodian.server.audit.store.AuditEventStore;
import dev.custodian.server.audit.store.AuditQuery;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Patient;

/**
 * {@code GET [base]/Patient/{id}/$access-log}: the patient's own access log — who looked at their
 * records, when, what, why, emergency accesses marked — newest first, as a {@code collection} Bundle
 * of {@link PatientAccessView patient-view} AuditEvents. Only successful accesses by others are
 * listed ({@code includeOwn=true} adds the patient's own); {@code count} (default 50, at most 200).
 *
 * <p>Who may ask: the patient themself (a token whose fhirUser is this Patient and that allows
 * reading Patient), and auditors or privacy officers whose token allows reading AuditEvent. Anyone
 * else gets the 404 a missing patient gets, so the operation says nothing about who exists. The
 * operation decides this itself (it is a self-judged operation) and reads only the events that name
 * this patient.
 */
public class PatientAccessLogOperation {

  public static final String NAME = "$access-log";
  static final int DEFAULT_COUNT = 50;
  static final int MAX_COUNT = 200;

  private final AuditEventStore store;
  private final CallerResolver callers;
  private final DaoRegistry daos;
  private final org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository clients;

  public PatientAccessLogOperation(
      AuditEventStore store,
      CallerResolver callers,
      DaoRegistry daos,
      org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository clients) {
    this.store = store;
    this.callers = callers;
    this.daos = daos;
    this.clients = clients;
  }

  /** The type of share-link events ({@code ShareLinkEvents}). */
  static final String SHARE_LINK_EVENTS = "https://custodian.dev/fhir/CodeSystem/share-link-event|share-link";

  @Operation(name = NAME, type = Patient.class, idempotent = true)
  public Bundle accessLog(
      @IdParam IdType patientId,
      @OperationParam(name = "count") StringType count,
      @OperationParam(name = "includeOwn") BooleanType includeOwn,
      RequestDetails request) {
    Caller caller = Callers.resolve(request, callers);
    if (caller == null) {
      throw new AuthenticationException("A valid bearer access token is required.");
    }
    String patient = "Patient/" + patientId.getIdPart();
    if (!mayRead(caller, patient)) {
      throw new ResourceNotFoundException(patientId.toUnqualifiedVersionless());
    }
    int limit = limit(count);
    AuditQuery query = AuditQuery.all().forPatient(patient).withOutcome("0");
    if (includeOwn == null || !Boolean.TRUE.equals(includeOwn.getValue())) {
      query = query.excludingAgent(patient);
    }
    List<AuditEvent> events = new java.util.ArrayList<>(store.search(query, null, limit));
    // refused redemptions of her share links (wrong PINs, spent or revoked links) are a warning she should see
    events.addAll(store.search(AuditQuery.all().forPatient(patient).withType(SHARE_LINK_EVENTS).withOutcome("4"), null, limit));
    events.sort(java.util.Comparator.comparing(AuditEvent::getRecorded).reversed());
    events = events.subList(0, Math.min(limit, events.size()));
    AccessLogNames names = new AccessLogNames(daos, clients);
    Bundle log = new Bundle().setType(Bundle.BundleType.COLLECTION);
    for (AuditEvent event : events) {
      log.addEntry().setResource(PatientAccessView.of(event, patient, names));
    }
    return log;
  }

  /** {@code count}: a whole number from 1 (default {@value #DEFAULT_COUNT}, at most {@value #MAX_COUNT}). */
  private static int limit(StringType count) {
    if (count == null || count.getValue() == null || count.getValue().isBlank()) {
      return DEFAULT_COUNT;
    }
    if (!count.getValue().matches("[0-9]{1,6}") || Integer.parseInt(count.getValue()) < 1) {
      throw new ca.uhn.fhir.rest.server.exceptions.InvalidRequestException(
          NAME + ": count must be a whole number from 1 to " + MAX_COUNT + ", not " + count.getValue());
    }
    return Math.min(Integer.parseInt(count.getValue()), MAX_COUNT);
  }

  private static boolean mayRead(Caller caller, String patient) {
    boolean self = caller.roles().contains(Role.PATIENT) && patient.equals(caller.fhirUser())
        && caller.scopes().permits(Interaction.READ, "Patient");
    boolean oversight = (caller.roles().contains(Role.AUDITOR) || caller.roles().contains(Role.PRIVACY_OFFICER))
        && caller.scopes().permits(Interaction.READ, "AuditEvent");
    return self || oversight;
  }
}
