package dev.custodian.policy.resource;

import java.util.Set;

/**
 * How the policy treats a resource type that is not (or not here) in a patient's compartment.
 *
 * <ul>
 *   <li>{@link #DIRECTORY} — who and where care is provided (Organization, Practitioner,
 *       PractitionerRole, Location, Endpoint, HealthcareService): not protected health information;
 *       readable by any authenticated caller whose scopes permit the type.</li>
 *   <li>{@link #CONFORMANCE} — definitions (StructureDefinition, ValueSet, CapabilityStatement, ...):
 *       likewise readable.</li>
 *   <li>{@link #OVERSIGHT} — AuditEvent: only auditors and privacy officers with a scope naming
 *       AuditEvent; never written through the API. Also the items of the privacy officer's review
 *       queue ({@link ReviewQueue}), whatever patient they name — a category of the resource, not of
 *       its type, so {@link #of(String)} does not return it for Task.</li>
 *   <li>{@link #PATIENT_DATA} — everything else. Without an owning patient it is denied: a clinical
 *       record whose patient cannot be determined is not disclosed to anyone.</li>
 * </ul>
 */
public enum ResourceCategory {
  DIRECTORY,
  CONFORMANCE,
  OVERSIGHT,
  PATIENT_DATA;

  private static final Set<String> DIRECTORY_TYPES = Set.of(
      "Organization", "Practitioner", "PractitionerRole", "Location", "Endpoint", "HealthcareService");

  private static final Set<String> CONFORMANCE_TYPES = Set.of(
      "CapabilityStatement", "StructureDefinition", "ImplementationGuide", "SearchParameter",
      "OperationDefinition", "CompartmentDefinition", "StructureMap", "GraphDefinition",
      "ValueSet", "CodeSystem", "ConceptMap", "NamingSystem", "TerminologyCapabilities");

  /** The category of an R4 resource type. */
  public static ResourceCategory of(String resourceType) {
    if ("AuditEvent".equals(resourceType)) {
      return OVERSIGHT;
    }
    if (DIRECTORY_TYPES.contains(resourceType)) {
      return DIRECTORY;
    }
    if (CONFORMANCE_TYPES.contains(resourceType)) {
      return CONFORMANCE;
    }
    return PATIENT_DATA;
  }

  /** Whether resources of this category carry no protected health information. */
  public boolean isPublicWithinServer() {
    return this == DIRECTORY || this == CONFORMANCE;
  }
}
