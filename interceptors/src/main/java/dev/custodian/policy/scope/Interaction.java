package dev.custodian.policy.scope;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import java.util.Optional;

/**
 * A FHIR REST interaction as SMART v2 permission letters name it. The declaration order is the
 * canonical letter order {@code c r u d s}.
 *
 * <ul>
 *   <li>{@link #CREATE} ({@code c}) — create;</li>
 *   <li>{@link #READ} ({@code r}) — read, vread, instance-level history;</li>
 *   <li>{@link #UPDATE} ({@code u}) — update and patch;</li>
 *   <li>{@link #DELETE} ({@code d}) — delete;</li>
 *   <li>{@link #SEARCH} ({@code s}) — type-level search and type-level history.</li>
 * </ul>
 */
public enum Interaction {
  CREATE('c'),
  READ('r'),
  UPDATE('u'),
  DELETE('d'),
  SEARCH('s');

  private final char letter;

  Interaction(char letter) {
    this.letter = letter;
  }

  /** The SMART v2 permission letter for this interaction. */
  public char letter() {
    return letter;
  }

  /** The interaction whose letter is {@code letter}, if any. */
  public static Optional<Interaction> fromLetter(char letter) {
    for (Interaction interaction : values()) {
      if (interaction.letter == letter) {
        return Optional.of(interaction);
      }
    }
    return Optional.empty();
  }

  /**
   * The SMART interaction a HAPI REST operation on a single resource type amounts to, or empty when
   * the operation is not one a resource scope governs by itself (system-level search and history,
   * transactions, batches, paging, extended operations, tag and meta operations, capability
   * statement, validation, GraphQL). The caller must decide those separately — typically by
   * checking what each part of them touches.
   */
  public static Optional<Interaction> of(RestOperationTypeEnum operation) {
    if (operation == null) {
      return Optional.empty();
    }
    switch (operation) {
      case CREATE:
        return Optional.of(CREATE);
      case READ:
      case VREAD:
      case HISTORY_INSTANCE:
        return Optional.of(READ);
      case UPDATE:
      case PATCH:
        return Optional.of(UPDATE);
      case DELETE:
        return Optional.of(DELETE);
      case SEARCH_TYPE:
      case HISTORY_TYPE:
        return Optional.of(SEARCH);
      default:
        return Optional.empty();
    }
  }
}
