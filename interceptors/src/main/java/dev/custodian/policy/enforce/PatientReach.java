package dev.custodian.policy.enforce;

import dev.custodian.policy.caller.Caller;
import java.util.Optional;
import java.util.Set;

/**
 * The patients whose records a caller could possibly be allowed to see, for narrowing its searches
 * in the database: a superset of what the policy permits (the policy still decides every resource
 * returned), answered by the server over its records.
 */
@FunctionalInterface
public interface PatientReach {

  /** Nobody's reach is known: no search is narrowed by it. */
  PatientReach UNKNOWN = caller -> Optional.empty();

  /**
   * The patients ({@code Patient/id}) {@code caller} could see records of, or empty when that is not
   * known or too large to narrow a query by. An empty set means: no patient at all.
   */
  Optional<Set<String>> of(Caller caller);
}
