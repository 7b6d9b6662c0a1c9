package dev.custodian.policy.scope;

import ca.uhn.fhir.context.FhirContext;
import java.util.Set;

/** The FHIR R4 resource type names, as HAPI's R4 context knows them. Loaded once, on first use. */
final class R4ResourceTypes {

  private R4ResourceTypes() {}

  private static final class Holder {
    static final Set<String> NAMES = Set.copyOf(FhirContext.forR4Cached().getResourceTypes());
  }

  /** Whether {@code name} is an R4 resource type, matched case-sensitively ({@code Observation}, not {@code observation}). */
  static boolean isKnown(String name) {
    return name != null && Holder.NAMES.contains(name);
  }
}
