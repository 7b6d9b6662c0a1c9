package dev.custodian.policy.scope;

/**
 * A scope that is malformed, unknown, or not allowed where it was used. The authorization server
 * answers it with the OAuth 2.0 error {@value #OAUTH_ERROR}; {@link #getMessage()} names the
 * offending scope and why, and is safe to return to the client (control and non-ASCII characters of
 * the scope are escaped).
 */
public class InvalidScopeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The OAuth 2.0 error code (RFC 6749 §4.1.2.1, §5.2) for this failure. */
  public static final String OAUTH_ERROR = "invalid_scope";

  private final String scope;
  private final String reason;

  public InvalidScopeException(String scope, String reason) {
    super("invalid scope \"" + printable(scope, true) + "\": " + printable(reason, false));
    this.scope = scope;
    this.reason = reason;
  }

  /** The offending scope exactly as received (may be empty when the whole scope string is at fault). */
  public String scope() {
    return scope;
  }

  /** Why the scope was rejected, without the scope itself. */
  public String reason() {
    return reason;
  }

  private static String printable(String text, boolean quoted) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c >= 0x20 && c < 0x7f && !(quoted && (c == '"' || c == '\\'))) {
        out.append(c);
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    return out.toString();
  }
}
