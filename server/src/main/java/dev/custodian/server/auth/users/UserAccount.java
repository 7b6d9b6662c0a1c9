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
    boolean enabled,
    String totpSecret,
    java.time.Instant lockedUntil) {

  public UserAccount {
    roles = Set.copyOf(roles);
  }

  public UserAccount(
      String username, String passwordHash, String displayName, String fhirUser, Set<String> roles,
      String organization, boolean enabled) {
    this(username, passwordHash, displayName, fhirUser, roles, organization, enabled, null, null);
  }

  /** Whether signing in needs a TOTP code after the password. */
  public boolean hasSecondFactor() {
    return totpSecret != null && !totpSecret.isBlank();
  }

  /**
   * Whether this is a member of staff (any role but a patient's, a personal representative's or an
   * outside third party's): staff must sign in with a second factor.
   */
  public boolean isStaff() {
    return roles.stream().anyMatch(role -> !Set.of("PATIENT", "REPRESENTATIVE", "THIRD_PARTY").contains(role));
  }

  public boolean isLockedAt(java.time.Instant now) {
    return lockedUntil != null && lockedUntil.isAfter(now);
  }

  /** The Patient id when this user is a patient, else null. */
  public String patientId() {
    return fhirUser != null && fhirUser.startsWith("Patient/") ? fhirUser.substring("Patient/".length()) : null;
  }
}
