package dev.custodian.policy.scope;

import java.util.Comparator;
import java.util.Objects;

/**
 * One value of a token search parameter in a granular scope filter, in one of the three FHIR token
 * forms:
 *
 * <ul>
 *   <li>{@code system|code} — the code in that code system ({@link #system()} is the system);</li>
 *   <li>{@code code} — the code in any system ({@link #system()} is {@code null});</li>
 *   <li>{@code |code} — the code with no system at all ({@link #system()} is the empty string).</li>
 * </ul>
 *
 * The code is never empty: {@code system|} (any code in a system) is not accepted in scopes.
 * Neither part may contain {@code |} or {@code ,} (FHIR's backslash escapes are not supported in
 * scopes), control characters, or leading/trailing whitespace.
 */
public record TokenValue(String system, String code) implements Comparable<TokenValue> {

  private static final Comparator<TokenValue> ORDER =
      Comparator.comparing(TokenValue::system, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparing(TokenValue::code);

  public TokenValue {
    Objects.requireNonNull(code, "code");
    if (code.isEmpty()) {
      throw new IllegalArgumentException("a token's code must not be empty");
    }
    String problem = problemWith(code);
    if (problem == null && system != null) {
      problem = problemWith(system);
      if (problem == null && system.indexOf(' ') >= 0) {
        problem = "a code system must not contain spaces";
      }
    }
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** A code in any code system. */
  public static TokenValue anySystem(String code) {
    return new TokenValue(null, code);
  }

  /** A code in the given code system. */
  public static TokenValue of(String system, String code) {
    return new TokenValue(Objects.requireNonNull(system, "system"), code);
  }

  /** A code that has no code system. */
  public static TokenValue noSystem(String code) {
    return new TokenValue("", code);
  }

  /**
   * Whether a coded element with {@code codingSystem} (may be null) and {@code codingCode} matches
   * this value, by FHIR token search rules.
   */
  public boolean matches(String codingSystem, String codingCode) {
    if (!code.equals(codingCode)) {
      return false;
    }
    if (system == null) {
      return true;
    }
    if (system.isEmpty()) {
      return codingSystem == null || codingSystem.isEmpty();
    }
    return system.equals(codingSystem);
  }

  /** The value as a filter writes it, with characters that would break the scope percent-encoded. */
  @Override
  public String toString() {
    String encodedCode = PercentCoding.encode(code);
    return system == null ? encodedCode : PercentCoding.encode(system) + "|" + encodedCode;
  }

  @Override
  public int compareTo(TokenValue other) {
    return ORDER.compare(this, other);
  }

  private static String problemWith(String part) {
    if (part.indexOf('|') >= 0 || part.indexOf(',') >= 0 || part.indexOf('\\') >= 0) {
      return "'|', ',' and '\\' cannot appear inside a token's system or code";
    }
    for (int i = 0; i < part.length(); i++) {
      if (Character.isISOControl(part.charAt(i))) {
        return "control characters are not allowed in a token";
      }
    }
    if (!part.isEmpty()
        && (Character.isWhitespace(part.charAt(0))
            || Character.isWhitespace(part.charAt(part.length() - 1)))) {
      return "a token must not begin or end with whitespace";
    }
    return null;
  }
}
