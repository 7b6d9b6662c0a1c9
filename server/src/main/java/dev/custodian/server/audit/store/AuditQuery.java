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
  }

  /** Everything, newest first. */
  public static AuditQuery all() {
    return new AuditQuery(null, null, null, null, null, null, null, null, null, null, null, false);
  }

  /** Only the events that name {@code patientReference} ({@code Patient/id}) as agent or entity. */
  public AuditQuery forPatient(String patientReference) {
    List<List<String>> narrowed = new java.util.ArrayList<>(patients);
    narrowed.add(List.of(patientReference));
    return new AuditQuery(narrowed, agents, entities, types, subtypes, actions, outcomes, purposes, ids,
        recordedFrom, recordedTo, oldestFirst);
  }

  private static List<List<String>> copy(List<List<String>> conditions) {
    return conditions == null ? List.of() : conditions.stream().map(List::copyOf).toList();
  }
}
