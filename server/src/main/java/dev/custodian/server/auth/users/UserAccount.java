package dev.custodian.server.auth.users;

import java.util.Set;

/**
 * A person who signs in to Custodian: a unique user id, the FHIR resource that is that person
 * ({@code fhirUser}, e.g. {@code Patient/alice}), their roles and, for staff, their organization.
 */
public record UserAccount(
    String username,
    String passwordHash,
    String displayName,
    String fhirUser,
    Set<String> roles,
    String organization,
    boolean enabled) {

  public UserAccount {
    roles = Set.copyOf(roles);
  }

  /** The Patient id when this user is a patient, else null. */
  public String patientId() {
    return fhirUser != null && fhirUser.startsWith("Patient/") ? fhirUser.substring("Patient/".length()) : null;
  }
}
