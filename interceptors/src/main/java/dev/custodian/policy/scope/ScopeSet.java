package dev.custodian.policy.scope;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The scopes granted to (or requested by) a client, and the questions an enforcement point asks of
 * them. Immutable; duplicates are kept once and the scopes are held in canonical order, so
 * {@link #toString()} is the canonical space-separated scope string.
 *
 * <h2>What a resource scope grants</h2>
 *
 * A resource scope grants its permitted interactions on its resource type, or — for {@code *} — on
 * every R4 resource type <em>except the explicit-only types</em>, in its context. Granular filters
 * restrict which resources of the type it reaches; see {@link #filtersFor}.
 *
 * <h2>Explicit-only resource types</h2>
 *
 * The types in {@link #EXPLICIT_ONLY_RESOURCE_TYPES} (currently just {@code AuditEvent}) are never
 * reached through the {@code *} wildcard: {@code patient/*.read}, {@code user/*.rs} and
 * {@code system/*.*} do not permit AuditEvent; only a scope naming the type, such as
 * {@code user/AuditEvent.rs}, does. Audit trails are oversight data: a clinical app that asked for
 * "everything" must not read who looked at what, and an auditor's access is granted on purpose. The
 * same rule applies when narrowing: a wildcard allowed scope does not cover a requested AuditEvent
 * scope.
 *
 * <h2>Narrowing</h2>
 *
 * See {@link #narrowTo(ScopeSet)} and {@link #covers(SmartScope)}.
 */
public final class ScopeSet {

  /**
   * Resource types that only a scope naming them explicitly grants; a {@code *} scope never does.
   */
  public static final Set<String> EXPLICIT_ONLY_RESOURCE_TYPES = Set.of("AuditEvent");

  private static final ScopeSet EMPTY = new ScopeSet(List.of());

  private static final Comparator<SmartScope> CANONICAL_ORDER =
      Comparator.<SmartScope>comparingInt(scope -> scope instanceof NonResourceScope ? 0 : 1)
          .thenComparingInt(ScopeSet::contextRank)
          .thenComparing(ScopeSet::typeRank)
          .thenComparing(SmartScope::value);

  private final List<SmartScope> scopes;
  private final List<ResourceScope> resourceScopes;

  private ScopeSet(List<SmartScope> sortedDistinct) {
    this.scopes = List.copyOf(sortedDistinct);
    List<ResourceScope> resources = new ArrayList<>();
    for (SmartScope scope : scopes) {
      if (scope instanceof ResourceScope) {
        resources.add((ResourceScope) scope);
      }
    }
    this.resourceScopes = List.copyOf(resources);
  }

  /** The set of {@code scopes}, duplicates removed. */
  public static ScopeSet of(Collection<? extends SmartScope> scopes) {
    TreeSet<SmartScope> sorted = new TreeSet<>(CANONICAL_ORDER);
    for (SmartScope scope : scopes) {
      sorted.add(Objects.requireNonNull(scope, "scope"));
    }
    return sorted.isEmpty() ? EMPTY : new ScopeSet(new ArrayList<>(sorted));
  }

  /** The set of {@code scopes}, duplicates removed. */
  public static ScopeSet of(SmartScope... scopes) {
    return of(List.of(scopes));
  }

  /** No scopes. */
  public static ScopeSet empty() {
    return EMPTY;
  }

  /**
   * Parses a space-separated scope string with the {@linkplain ScopeParser#standard() standard}
   * parser.
   *
   * @throws InvalidScopeException naming the first scope at fault
   */
  public static ScopeSet parse(String scopeString) {
    return ScopeParser.standard().parse(scopeString);
  }

  // ---------------------------------------------------------------- contents

  /** All scopes, in canonical order. */
  public List<SmartScope> scopes() {
    return scopes;
  }

  /** The resource scopes, in canonical order. */
  public List<ResourceScope> resourceScopes() {
    return resourceScopes;
  }

  /** The non-resource scopes ({@code openid}, {@code launch/patient}, ...). */
  public Set<NonResourceScope> nonResourceScopes() {
    EnumSet<NonResourceScope> found = EnumSet.noneOf(NonResourceScope.class);
    for (SmartScope scope : scopes) {
      if (scope instanceof NonResourceScope) {
        found.add((NonResourceScope) scope);
      }
    }
    return Collections.unmodifiableSet(found);
  }

  /** Whether {@code scope} is in this set, exactly (a v1 scope is not its v2 equivalent). */
  public boolean contains(SmartScope scope) {
    return scopes.contains(scope);
  }

  public boolean isEmpty() {
    return scopes.isEmpty();
  }

  public int size() {
    return scopes.size();
  }

  // ---------------------------------------------------------------- contexts

  /** The contexts of the resource scopes present; empty if there are none. */
  public Set<ScopeContext> contexts() {
    EnumSet<ScopeContext> contexts = EnumSet.noneOf(ScopeContext.class);
    for (ResourceScope scope : resourceScopes) {
      contexts.add(scope.context());
    }
    return Collections.unmodifiableSet(contexts);
  }

  /**
   * Whether there are resource scopes and all of them are {@code patient/} scopes: every access must
   * then be confined to the launch patient's compartment.
   */
  public boolean hasPatientContextOnly() {
    return contexts().equals(EnumSet.of(ScopeContext.PATIENT));
  }

  /**
   * Whether the set is non-empty and every scope is a {@code system/} resource scope — the only
   * scopes SMART Backend Services ({@code client_credentials}) may be granted.
   */
  public boolean isSystemOnly() {
    return !scopes.isEmpty()
        && scopes.stream().allMatch(s -> s instanceof ResourceScope
            && ((ResourceScope) s).context() == ScopeContext.SYSTEM);
  }

  /**
   * Checks a {@code client_credentials} request: returns this set if {@link #isSystemOnly()}.
   *
   * @throws InvalidScopeException naming the first scope that is not a {@code system/} resource
   *     scope, or with an empty scope if the set is empty
   */
  public ScopeSet requireSystemOnly() {
    if (scopes.isEmpty()) {
      throw new InvalidScopeException("", "a backend services request must ask for system/ scopes");
    }
    for (SmartScope scope : scopes) {
      if (!(scope instanceof ResourceScope) || ((ResourceScope) scope).context() != ScopeContext.SYSTEM) {
        throw new InvalidScopeException(
            scope.value(), "a backend services (client_credentials) request may only ask for system/ scopes");
      }
    }
    return this;
  }

  // ---------------------------------------------------------------- enforcement

  /**
   * Whether any granted scope, in any context, permits {@code interaction} on {@code resourceType}.
   * Unknown resource types (and {@code *}, which is not a type a request can name) are never
   * permitted. Granular filters still apply: see {@link #filtersFor}.
   */
  public boolean permits(Interaction interaction, String resourceType) {
    return !permittingContexts(interaction, resourceType).isEmpty();
  }

  /** Whether a scope of {@code context} permits {@code interaction} on {@code resourceType}. */
  public boolean permits(ScopeContext context, Interaction interaction, String resourceType) {
    return permittingContexts(interaction, resourceType).contains(context);
  }

  /**
   * The contexts whose scopes permit {@code interaction} on {@code resourceType}; empty if none does.
   * A caller that finds only {@link ScopeContext#PATIENT} must confine the interaction to the launch
   * patient's compartment.
   */
  public Set<ScopeContext> permittingContexts(Interaction interaction, String resourceType) {
    Objects.requireNonNull(interaction, "interaction");
    EnumSet<ScopeContext> contexts = EnumSet.noneOf(ScopeContext.class);
    for (ResourceScope scope : granting(null, interaction, resourceType)) {
      contexts.add(scope.context());
    }
    return Collections.unmodifiableSet(contexts);
  }

  /**
   * The granular filters that govern {@code interaction} on {@code resourceType}, over the scopes of
   * every context: {@link FilterRequirement#unrestricted()} if some permitting scope is unfiltered,
   * otherwise the distinct filters of the permitting scopes, any one of which suffices.
   */
  public FilterRequirement filtersFor(Interaction interaction, String resourceType) {
    return requirementOf(granting(null, interaction, resourceType));
  }

  /** As {@link #filtersFor(Interaction, String)}, over the scopes of one context only. */
  public FilterRequirement filtersFor(ScopeContext context, Interaction interaction, String resourceType) {
    Objects.requireNonNull(context, "context");
    return requirementOf(granting(context, interaction, resourceType));
  }

  private List<ResourceScope> granting(ScopeContext context, Interaction interaction, String resourceType) {
    Objects.requireNonNull(interaction, "interaction");
    Objects.requireNonNull(resourceType, "resourceType");
    if (!R4ResourceTypes.isKnown(resourceType)) {
      return List.of();
    }
    List<ResourceScope> granting = new ArrayList<>();
    for (ResourceScope scope : resourceScopes) {
      if ((context == null || scope.context() == context)
          && scope.allows(interaction)
          && reachesType(scope, resourceType)) {
        granting.add(scope);
      }
    }
    return granting;
  }

  private static FilterRequirement requirementOf(List<ResourceScope> granting) {
    if (granting.isEmpty()) {
      return FilterRequirement.denied();
    }
    for (ResourceScope scope : granting) {
      if (!scope.isFiltered()) {
        return FilterRequirement.unrestricted();
      }
    }
    List<GranularFilter> filters = granting.stream()
        .map(ResourceScope::filter)
        .distinct()
        .sorted(Comparator.comparing(GranularFilter::toString))
        .collect(Collectors.toList());
    return FilterRequirement.anyOf(filters);
  }

  /**
   * Whether {@code scope}'s resource type reaches {@code resourceType}: the same type, or {@code *}
   * unless the type is {@linkplain #EXPLICIT_ONLY_RESOURCE_TYPES explicit-only}.
   */
  private static boolean reachesType(ResourceScope scope, String resourceType) {
    if (scope.resourceType().equals(resourceType)) {
      return true;
    }
    return scope.isWildcard() && !EXPLICIT_ONLY_RESOURCE_TYPES.contains(resourceType);
  }

  // ---------------------------------------------------------------- narrowing

  /**
   * Whether this set, taken as a client's allowed scopes, covers the requested {@code scope}.
   *
   * <ul>
   *   <li>A non-resource scope is covered if this set contains it.</li>
   *   <li>A requested resource scope is covered if the allowed resource scopes that
   *       <ol>
   *         <li>have the same context,</li>
   *         <li>reach its resource type — the same type, or {@code *}; a requested {@code *} is
   *             reached only by an allowed {@code *}, and an explicit-only type such as AuditEvent
   *             only by an allowed scope naming it, and</li>
   *         <li>are unfiltered, or carry exactly the same filter as the request</li>
   *       </ol>
   *       together grant every one of its permission letters. v1 and v2 forms compare by their
   *       letters ({@code patient/*.read} covers {@code patient/Observation.rs}).</li>
   * </ul>
   *
   * Consequences, on purpose: a filtered request is covered by the same unfiltered scope; an
   * unfiltered request is not covered by a filtered one; a differently (even more narrowly) filtered
   * request is not covered; a request for more letters than allowed is not covered at all rather than
   * cut down; {@code user/} is never covered by {@code patient/} or the other way round.
   */
  public boolean covers(SmartScope scope) {
    Objects.requireNonNull(scope, "scope");
    if (scope instanceof NonResourceScope) {
      return scopes.contains(scope);
    }
    ResourceScope requested = (ResourceScope) scope;
    EnumSet<Interaction> granted = EnumSet.noneOf(Interaction.class);
    for (ResourceScope allowed : resourceScopes) {
      if (allowed.context() == requested.context()
          && reachesType(allowed, requested.resourceType())
          && (!allowed.isFiltered() || allowed.filter().equals(requested.filter()))) {
        granted.addAll(allowed.permissions());
      }
    }
    return granted.containsAll(requested.permissions());
  }

  /**
   * The requested scopes (this set) that the client's {@code allowed} scopes {@linkplain
   * #covers(SmartScope) cover}, each kept exactly as requested; the others are dropped.
   */
  public ScopeSet narrowTo(ScopeSet allowed) {
    Objects.requireNonNull(allowed, "allowed");
    return of(scopes.stream().filter(allowed::covers).collect(Collectors.toList()));
  }

  // ---------------------------------------------------------------- identity

  @Override
  public boolean equals(Object other) {
    return other instanceof ScopeSet && scopes.equals(((ScopeSet) other).scopes);
  }

  @Override
  public int hashCode() {
    return scopes.hashCode();
  }

  /**
   * The canonical scope string: non-resource scopes first (openid, fhirUser, profile, launch,
   * launch/patient, launch/encounter, offline_access, online_access), then resource scopes by
   * context (patient, user, system), type ({@code *} first, then by name) and text.
   */
  @Override
  public String toString() {
    return scopes.stream().map(SmartScope::value).collect(Collectors.joining(" "));
  }

  private static int contextRank(SmartScope scope) {
    return scope instanceof NonResourceScope
        ? ((NonResourceScope) scope).ordinal()
        : ((ResourceScope) scope).context().ordinal();
  }

  private static String typeRank(SmartScope scope) {
    if (scope instanceof NonResourceScope) {
      return "";
    }
    ResourceScope resource = (ResourceScope) scope;
    return resource.isWildcard() ? "" : resource.resourceType();
  }
}
