package dev.custodian.server.audit.store;

import java.time.Instant;
import java.util.List;

/**
 * An auditor's search over the audit trail, already parsed: for each search term column a list of
 * AND-ed conditions, each a list of OR-ed values in the stored forms of {@link AuditSearchTerms};
 * ids; a recorded-time window (inclusive, either end open); the order (newest first unless
 * {@code oldestFirst}).
 *
 * <p>It is a plain value so a page link can carry it (see {@code AuditEventPage}).
 */
public record AuditQuery(
    List<List<String>> patients,
    List<List<String>> agents,
    List<List<String>> entities,
    List<List<String>> types,
    List<List<String>> subtypes,
    List<List<String>> actions,
    List<List<String>> outcomes,
    List<List<String>> purposes,
    List<String> ids,
    List<String> excludedAgents,
    Instant recordedFrom,
    Instant recordedTo,
    boolean oldestFirst) {

  public AuditQuery {
    patients = copy(patients);
    agents = copy(agents);
    entities = copy(entities);
    types = copy(types);
    subtypes = copy(subtypes);
    actions = copy(actions);
    outcomes = copy(outcomes);
    purposes = copy(purposes);
    ids = ids == null ? List.of() : List.copyOf(ids);
    excludedAgents = excludedAgents == null ? List.of() : List.copyOf(excludedAgents);
  }

  /** Everything, newest first. */
  public static AuditQuery all() {
    return new AuditQuery(null, null, null, null, null, null, null, null, null, null, null, null, false);
  }

  /** Only the events that name {@code patientReference} ({@code Patient/id}) as agent or entity. */
  public AuditQuery forPatient(String patientReference) {
    return new AuditQuery(and(patients, patientReference), agents, entities, types, subtypes, actions, outcomes,
        purposes, ids, excludedAgents, recordedFrom, recordedTo, oldestFirst);
  }

  /** Only the events of this type ({@code system|code} or a bare code). */
  public AuditQuery withType(String type) {
    return new AuditQuery(patients, agents, entities, and(types, type), subtypes, actions, outcomes,
        purposes, ids, excludedAgents, recordedFrom, recordedTo, oldestFirst);
  }

  /** Only the events with this outcome code ({@code 0} success, {@code 4} minor failure…). */
  public AuditQuery withOutcome(String code) {
    return new AuditQuery(patients, agents, entities, types, subtypes, actions, and(outcomes, code),
        purposes, ids, excludedAgents, recordedFrom, recordedTo, oldestFirst);
  }

  /** Without the events in which {@code agentReference} ({@code Type/id}) took part. */
  public AuditQuery excludingAgent(String agentReference) {
    List<String> excluded = new java.util.ArrayList<>(excludedAgents);
    excluded.add(agentReference);
    return new AuditQuery(patients, agents, entities, types, subtypes, actions, outcomes, purposes, ids,
        excluded, recordedFrom, recordedTo, oldestFirst);
  }

  private static List<List<String>> and(List<List<String>> conditions, String value) {
    List<List<String>> more = new java.util.ArrayList<>(conditions);
    more.add(List.of(value));
    return more;
  }

  private static List<List<String>> copy(List<List<String>> conditions) {
    return conditions == null ? List.of() : conditions.stream().map(List::copyOf).toList();
  }
}
