package dev.custodian.policy.scope;

import java.util.Optional;

/**
 * The SMART scopes that grant no access to FHIR resources themselves.
 *
 * <ul>
 *   <li>{@link #OPENID}, {@link #FHIR_USER}, {@link #PROFILE} — OpenID Connect identity of the user
 *       ({@code fhirUser} adds the user's FHIR resource, {@code profile} is its predecessor);</li>
 *   <li>{@link #LAUNCH} — an EHR launch: the app passes the {@code launch} parameter it was given;</li>
 *   <li>{@link #LAUNCH_PATIENT}, {@link #LAUNCH_ENCOUNTER} — a standalone launch asking the
 *       authorization server to establish a patient / encounter context;</li>
 *   <li>{@link #OFFLINE_ACCESS}, {@link #ONLINE_ACCESS} — a refresh token that outlives / is bound
 *       to the user's session;</li>
 *   <li>{@link #ADMIN} — Custodian's own scope for its client admin API ({@code /auth/clients}):
 *       granted only to clients registered for it (the demo's {@code admin-console}), and useful only
 *       together with the ADMIN role of the signed-in user. It reaches no FHIR resource.</li>
 * </ul>
 */
public enum NonResourceScope implements SmartScope {
  OPENID("openid"),
  FHIR_USER("fhirUser"),
  PROFILE("profile"),
  LAUNCH("launch"),
  LAUNCH_PATIENT("launch/patient"),
  LAUNCH_ENCOUNTER("launch/encounter"),
  OFFLINE_ACCESS("offline_access"),
  ONLINE_ACCESS("online_access"),
  ADMIN("custodian/admin");

  private final String value;

  NonResourceScope(String value) {
    this.value = value;
  }

  @Override
  public String value() {
    return value;
  }

  /** The scope written exactly (case-sensitively) as {@code value}, if it is one of these. */
  public static Optional<NonResourceScope> fromValue(String value) {
    for (NonResourceScope scope : values()) {
      if (scope.value.equals(value)) {
        return Optional.of(scope);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return value;
  }
}
