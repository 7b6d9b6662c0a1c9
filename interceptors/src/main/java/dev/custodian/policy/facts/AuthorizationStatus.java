package dev.custodian.policy.facts;

/**
 * The state of a release authorization, as the server maps it from {@code Consent.status}.
 *
 * <ul>
 *   <li>{@link #ACTIVE} — {@code active}: in force (subject to its period);</li>
 *   <li>{@link #INACTIVE} — {@code draft}, {@code proposed}, {@code rejected},
 *       {@code entered-in-error}: never took effect;</li>
 *   <li>{@link #REVOKED} — {@code inactive} after having been active: the patient revoked it
 *       (45 CFR 164.508(b)(5)); effective on the very next request.</li>
 * </ul>
 */
public enum AuthorizationStatus {
  ACTIVE,
  INACTIVE,
  REVOKED
}
