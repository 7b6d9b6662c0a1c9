package dev.custodian.policy.resource;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks for the relative references the policy works with: {@code Type/id}, versionless, with an
 * R4 id ({@code [A-Za-z0-9\-.]{1,64}}). The policy compares references as strings, so they must be
 * in exactly this form — never absolute, never versioned.
 */
public final class References {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
  private static final Pattern REFERENCE = Pattern.compile("([A-Z][A-Za-z]+)/([A-Za-z0-9\\-.]{1,64})");

  private References() {}

  /** Whether {@code value} is a FHIR R4 logical id. */
  public static boolean isId(String value) {
    return value != null && ID.matcher(value).matches();
  }

  /** Whether {@code value} is a relative, versionless reference {@code Type/id}. */
  public static boolean isReference(String value) {
    return value != null && REFERENCE.matcher(value).matches();
  }

  /** The type part of a valid reference. */
  public static String typeOf(String reference) {
    return reference.substring(0, reference.indexOf('/'));
  }

  /** The id part of a valid reference. */
  public static String idOf(String reference) {
    return reference.substring(reference.indexOf('/') + 1);
  }

  /**
   * Returns {@code reference} if it is a valid reference to one of {@code types}.
   *
   * @throws IllegalArgumentException naming {@code what} otherwise
   */
  public static String require(String reference, Set<String> types, String what) {
    if (!isReference(reference) || !types.contains(typeOf(reference))) {
      throw new IllegalArgumentException(
          what + " must be a reference Type/id to one of " + types + ", not: " + reference);
    }
    return reference;
  }

  /**
   * Returns {@code reference} if it is a valid reference of any type.
   *
   * @throws IllegalArgumentException naming {@code what} otherwise
   */
  public static String require(String reference, String what) {
    if (!isReference(reference)) {
      throw new IllegalArgumentException(what + " must be a relative reference Type/id, not: " + reference);
    }
    return reference;
  }
}
