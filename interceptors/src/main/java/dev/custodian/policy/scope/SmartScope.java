package dev.custodian.policy.scope;

/**
 * One parsed SMART on FHIR scope (SMART App Launch 2.2, "Scopes and Launch Context"). Immutable.
 *
 * <p>There are two kinds:
 *
 * <ul>
 *   <li>{@link ResourceScope} — access to FHIR resources, such as {@code patient/Observation.rs},
 *       {@code user/*.read} or {@code patient/Observation.rs?category=laboratory};</li>
 *   <li>{@link NonResourceScope} — identity, launch-context and refresh-token requests such as
 *       {@code openid}, {@code fhirUser}, {@code launch/patient} or {@code offline_access}.</li>
 * </ul>
 */
public sealed interface SmartScope permits ResourceScope, NonResourceScope {

  /** The scope in canonical form, as it is written in a scope string and in a token response. */
  String value();

  /**
   * Parses one scope (no spaces) strictly.
   *
   * @throws InvalidScopeException if it is malformed or not a scope this server knows
   */
  static SmartScope parse(String scope) {
    return ScopeParser.standard().parseScope(scope);
  }
}
