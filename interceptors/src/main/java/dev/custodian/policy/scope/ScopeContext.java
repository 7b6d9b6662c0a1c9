package dev.custodian.policy.scope;

import java.util.Optional;

/**
 * The context prefix of a SMART resource scope: whose data the scope reaches.
 *
 * <ul>
 *   <li>{@link #PATIENT} ({@code patient/}) — only data about the patient in the launch context,
 *       i.e. that patient's compartment;</li>
 *   <li>{@link #USER} ({@code user/}) — whatever the signed-in user may see;</li>
 *   <li>{@link #SYSTEM} ({@code system/}) — whatever the client itself is permitted, with no user
 *       involved (SMART Backend Services, {@code client_credentials}).</li>
 * </ul>
 */
public enum ScopeContext {
  PATIENT("patient"),
  USER("user"),
  SYSTEM("system");

  private final String code;

  ScopeContext(String code) {
    this.code = code;
  }

  /** The prefix as written in a scope, without the slash: {@code patient}, {@code user}, {@code system}. */
  public String code() {
    return code;
  }

  /** The context written as {@code code}, matched case-sensitively as the spec requires. */
  public static Optional<ScopeContext> fromCode(String code) {
    for (ScopeContext context : values()) {
      if (context.code.equals(code)) {
        return Optional.of(context);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return code;
  }
}
