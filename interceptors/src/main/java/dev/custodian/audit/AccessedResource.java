package dev.custodian.audit;

import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.resource.References;
import java.util.Set;
import java.util.TreeSet;

/**
 * One resource an access touched, with what the policy decided about it.
 *
 * @param reference the resource, versionless {@code Type/id}
 * @param version the version id read by a vread or written by a create/update, or null
 * @param patients the patients it belongs to ({@code Patient/x}; empty when none)
 * @param decision the access policy's decision about it, or null when none was taken (e.g. a
 *     resource the server wrote itself)
 */
public record AccessedResource(String reference, String version, Set<String> patients, Decision decision) {

  public AccessedResource {
    References.require(reference, "reference");
    patients = Set.copyOf(new TreeSet<>(patients == null ? Set.of() : patients));
    for (String patient : patients) {
      References.require(patient, Set.of("Patient"), "patient");
    }
  }

  /** A resource of {@code patients}, as decided. */
  public static AccessedResource of(String reference, Decision decision, String... patients) {
    return new AccessedResource(reference, null, Set.of(patients), decision);
  }

  /** This resource at {@code version}. */
  public AccessedResource withVersion(String value) {
    return new AccessedResource(reference, value, patients, decision);
  }

  /** Whether the caller received it (whole or projected); true when no decision was taken. */
  public boolean released() {
    return decision == null || decision.isPermitted();
  }
}
