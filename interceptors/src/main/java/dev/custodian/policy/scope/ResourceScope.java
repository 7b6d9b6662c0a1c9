package dev.custodian.policy.scope;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A SMART resource scope: {@code <context>/<resource type or *>.<permissions>[?<filter>]}.
 *
 * <p>{@link #permissions()} are always held as the v2 interactions; a v1 scope is mapped on parsing
 * ({@code read = rs}, {@code write = cud}, {@code * = cruds}) and {@link #version()} remembers that it
 * was v1, so {@link #value()} prints it the way it was asked for. Only v2 scopes may carry a
 * {@linkplain GranularFilter granular filter}; {@link GranularFilter#NONE} means unfiltered.
 *
 * <p>What a scope <em>grants</em> is decided by {@link ScopeSet}, which also applies the rule that
 * some resource types (AuditEvent) are never granted through the {@code *} wildcard.
 *
 * @param context whose data the scope reaches
 * @param resourceType a FHIR R4 resource type name, or {@code *} for every type
 * @param permissions the interactions granted; never empty
 * @param version the syntax the scope was written in
 * @param filter the granular filter, {@link GranularFilter#NONE} if none
 */
public record ResourceScope(
    ScopeContext context,
    String resourceType,
    Set<Interaction> permissions,
    ScopeVersion version,
    GranularFilter filter) implements SmartScope {

  /** The resource type that stands for every resource type. */
  public static final String WILDCARD = "*";

  private static final Set<Interaction> V1_READ = EnumSet.of(Interaction.READ, Interaction.SEARCH);
  private static final Set<Interaction> V1_WRITE =
      EnumSet.of(Interaction.CREATE, Interaction.UPDATE, Interaction.DELETE);
  private static final Set<Interaction> V1_ALL = EnumSet.allOf(Interaction.class);

  public ResourceScope {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(resourceType, "resourceType");
    Objects.requireNonNull(permissions, "permissions");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(filter, "filter");
    if (!WILDCARD.equals(resourceType) && !R4ResourceTypes.isKnown(resourceType)) {
      throw new IllegalArgumentException("not a FHIR R4 resource type: " + resourceType);
    }
    if (permissions.isEmpty()) {
      throw new IllegalArgumentException("a resource scope must grant at least one interaction");
    }
    permissions = Collections.unmodifiableSet(EnumSet.copyOf(permissions));
    if (version == ScopeVersion.V1) {
      if (!permissions.equals(V1_READ) && !permissions.equals(V1_WRITE) && !permissions.equals(V1_ALL)) {
        throw new IllegalArgumentException("a v1 scope grants exactly rs (read), cud (write) or cruds (*)");
      }
      if (!filter.isEmpty()) {
        throw new IllegalArgumentException("only v2 scopes may carry a granular filter");
      }
    }
  }

  /** An unfiltered v2 scope, e.g. {@code v2(PATIENT, "Observation", "rs")}. */
  public static ResourceScope v2(ScopeContext context, String resourceType, String letters) {
    return new ResourceScope(
        context, resourceType, ScopeParser.lettersToInteractions(letters), ScopeVersion.V2, GranularFilter.NONE);
  }

  /** Whether the resource type is the {@code *} wildcard. */
  public boolean isWildcard() {
    return WILDCARD.equals(resourceType);
  }

  /** Whether the scope carries a granular filter. */
  public boolean isFiltered() {
    return !filter.isEmpty();
  }

  /** Whether the scope's permissions include {@code interaction} (regardless of resource type). */
  public boolean allows(Interaction interaction) {
    return permissions.contains(interaction);
  }

  /** The permissions as v2 letters in canonical order, e.g. {@code rs}, whatever the version. */
  public String permissionLetters() {
    StringBuilder letters = new StringBuilder(5);
    for (Interaction interaction : permissions) {
      letters.append(interaction.letter());
    }
    return letters.toString();
  }

  /** The permission suffix as written: v1 {@code read}/{@code write}/{@code *}, or v2 letters. */
  public String permissionSuffix() {
    if (version == ScopeVersion.V2) {
      return permissionLetters();
    }
    if (permissions.equals(V1_READ)) {
      return "read";
    }
    return permissions.equals(V1_WRITE) ? "write" : "*";
  }

  @Override
  public String value() {
    String scope = context.code() + "/" + resourceType + "." + permissionSuffix();
    return filter.isEmpty() ? scope : scope + "?" + filter;
  }

  @Override
  public String toString() {
    return value();
  }
}
