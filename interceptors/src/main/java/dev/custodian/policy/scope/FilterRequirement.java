package dev.custodian.policy.scope;

import java.util.List;
import java.util.Objects;

/**
 * What the granted scopes require of a resource before one interaction on it is allowed — the answer
 * to {@link ScopeSet#filtersFor}.
 *
 * <ul>
 *   <li>{@link Kind#DENIED} — no granted scope permits the interaction on the type at all;</li>
 *   <li>{@link Kind#UNRESTRICTED} — some permitting scope is unfiltered, which makes every filter on
 *       the other permitting scopes moot;</li>
 *   <li>{@link Kind#FILTERED} — every permitting scope is filtered: the resource must satisfy
 *       {@linkplain #anyOf() at least one} of the filters (several filtered scopes OR together).</li>
 * </ul>
 */
public final class FilterRequirement {

  /** The three possible answers. */
  public enum Kind {
    DENIED,
    UNRESTRICTED,
    FILTERED
  }

  private static final FilterRequirement DENIED = new FilterRequirement(Kind.DENIED, List.of());
  private static final FilterRequirement UNRESTRICTED = new FilterRequirement(Kind.UNRESTRICTED, List.of());

  private final Kind kind;
  private final List<GranularFilter> anyOf;

  private FilterRequirement(Kind kind, List<GranularFilter> anyOf) {
    this.kind = kind;
    this.anyOf = anyOf;
  }

  /** No scope permits the interaction. */
  public static FilterRequirement denied() {
    return DENIED;
  }

  /** An unfiltered scope permits the interaction. */
  public static FilterRequirement unrestricted() {
    return UNRESTRICTED;
  }

  /** Only filtered scopes permit the interaction; the resource must satisfy one of {@code filters}. */
  public static FilterRequirement anyOf(List<GranularFilter> filters) {
    List<GranularFilter> copy = List.copyOf(filters);
    if (copy.isEmpty() || copy.stream().anyMatch(GranularFilter::isEmpty)) {
      throw new IllegalArgumentException("a filtered requirement needs at least one non-empty filter");
    }
    return new FilterRequirement(Kind.FILTERED, copy);
  }

  public Kind kind() {
    return kind;
  }

  /** Whether the interaction is permitted at all (possibly subject to filters). */
  public boolean isPermitted() {
    return kind != Kind.DENIED;
  }

  /** Whether the interaction is permitted with no filter to apply. */
  public boolean isUnrestricted() {
    return kind == Kind.UNRESTRICTED;
  }

  /** The alternative filters when {@link Kind#FILTERED}; empty otherwise. */
  public List<GranularFilter> anyOf() {
    return anyOf;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FilterRequirement
        && kind == ((FilterRequirement) other).kind
        && anyOf.equals(((FilterRequirement) other).anyOf);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, anyOf);
  }

  @Override
  public String toString() {
    return kind == Kind.FILTERED ? "FILTERED" + anyOf : kind.name();
  }
}
