package dev.custodian.policy.minimum;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The top-level elements of one resource type that one purpose of use may see: the minimum necessary
 * (45 CFR 164.502(b), 164.514(d)). {@link #ALWAYS_KEPT} elements are kept in every projection; the
 * narrative ({@code text}) and {@code contained} resources never are.
 *
 * @param resourceType the R4 resource type
 * @param elements the element names, without {@code [x]} ({@code effective} for {@code effective[x]});
 *     empty when {@code whole}
 * @param whole whether the purpose may see the whole resource (written {@code *}): no projection
 */
public record ElementSet(String resourceType, Set<String> elements, boolean whole) {

  /** Kept in every projection: identity and metadata, and the modifier {@code implicitRules}. */
  public static final Set<String> ALWAYS_KEPT = Set.of("id", "meta", "implicitRules", "language");

  public ElementSet {
    Objects.requireNonNull(resourceType, "resourceType");
    elements = Set.copyOf(new TreeSet<>(Objects.requireNonNull(elements, "elements")));
    if (whole && !elements.isEmpty()) {
      throw new IllegalArgumentException("a whole-resource set lists no elements");
    }
    if (!whole && elements.isEmpty()) {
      throw new IllegalArgumentException("an element set for " + resourceType + " lists no elements");
    }
  }

  /** The set of the given elements. */
  public static ElementSet of(String resourceType, Set<String> elements) {
    return new ElementSet(resourceType, elements, false);
  }

  /** The whole resource, unprojected. */
  public static ElementSet whole(String resourceType) {
    return new ElementSet(resourceType, Set.of(), true);
  }

  /** Whether a projection by this set keeps top-level element {@code name}. */
  public boolean keeps(String name) {
    return whole || ALWAYS_KEPT.contains(name) || elements.contains(name);
  }

  @Override
  public String toString() {
    return resourceType + (whole ? "[*]" : new TreeSet<>(elements).toString());
  }
}
