package dev.custodian.policy.resource;

import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The resource a decision is about, with what the policy needs to know of it.
 *
 * @param resource the resource itself (never modified)
 * @param type its R4 resource type
 * @param reference its versionless reference {@code Type/id}, or null if it has no id yet (create)
 * @param patients the patients whose compartment it is in, as {@code Patient/id}; empty if none
 * @param category how the policy treats the type outside a patient compartment
 */
public record Target(
    IBaseResource resource, String type, String reference, Set<String> patients, ResourceCategory category) {

  public Target {
    patients = Set.copyOf(patients);
  }

  /** Whether it belongs to at least one patient. */
  public boolean isPatientData() {
    return !patients.isEmpty();
  }

  /**
   * Whether every owner is a local patient reference; a resource that points at a patient on another
   * server or at a contained patient is never disclosed.
   */
  public boolean hasOnlyLocalPatients() {
    return patients.stream().allMatch(References::isReference);
  }

  /** Whether it belongs to {@code patient} and to no other patient. */
  public boolean belongsOnlyTo(String patient) {
    return patients.size() == 1 && patients.contains(patient);
  }
}
