package dev.custodian.policy.scope;

/**
 * Which search parameters a granular scope filter may use. Filters are limited to token parameters
 * (for example {@code category}, {@code code}, {@code _security}, {@code _tag}) because a filter value
 * is parsed as a FHIR token ({@code system|code}, {@code code} or {@code |code}), and an enforcement
 * point must be able to apply every filter it grants — a filter on a parameter it does not know would
 * otherwise be silently ignored.
 *
 * <p>The {@linkplain #builtInR4() default} knows the search parameters of the FHIR R4 specification.
 * A server with its own SearchParameter resources can supply a catalog that also knows those.
 */
@FunctionalInterface
public interface TokenSearchParameters {

  /**
   * Whether {@code parameter} is a token search parameter of {@code resourceType}. For the wildcard
   * type {@code *} it must be a token parameter of every resource type.
   */
  boolean isToken(String resourceType, String parameter);

  /** The token search parameters of the FHIR R4 specification, as HAPI's R4 context defines them. */
  static TokenSearchParameters builtInR4() {
    return BuiltInR4TokenSearchParameters.INSTANCE;
  }
}
