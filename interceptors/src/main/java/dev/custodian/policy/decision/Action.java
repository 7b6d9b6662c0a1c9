package dev.custodian.policy.decision;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import dev.custodian.policy.scope.Interaction;
import java.util.Optional;

/**
 * What the caller does with the resource being decided on, and the SMART {@link Interaction} a scope
 * must grant for it.
 *
 * <ul>
 *   <li>{@link #READ}, {@link #VREAD}, {@link #HISTORY_INSTANCE} — scope letter {@code r};</li>
 *   <li>{@link #SEARCH}, {@link #HISTORY_TYPE} — {@code s} (a resource returned by a search or a
 *       type-level history);</li>
 *   <li>{@link #CREATE} {@code c}, {@link #UPDATE} {@code u} (also patch), {@link #DELETE} {@code d};</li>
 *   <li>{@link #RETRIEVE_DICOM} — DICOMweb retrieval (WADO-RS) of the images behind an ImagingStudy:
 *       scope letter {@code r} on ImagingStudy, and never under a projection (pixel data cannot be
 *       reduced to a minimum-necessary element set).</li>
 * </ul>
 */
public enum Action {
  READ(Interaction.READ),
  VREAD(Interaction.READ),
  HISTORY_INSTANCE(Interaction.READ),
  SEARCH(Interaction.SEARCH),
  HISTORY_TYPE(Interaction.SEARCH),
  CREATE(Interaction.CREATE),
  UPDATE(Interaction.UPDATE),
  DELETE(Interaction.DELETE),
  RETRIEVE_DICOM(Interaction.READ);

  private final Interaction interaction;

  Action(Interaction interaction) {
    this.interaction = interaction;
  }

  /** The SMART interaction a scope must permit. */
  public Interaction interaction() {
    return interaction;
  }

  /** Whether the action changes data (create, update, delete). */
  public boolean isWrite() {
    return this == CREATE || this == UPDATE || this == DELETE;
  }

  /**
   * The action a HAPI REST operation on one resource type amounts to, or empty when it is not one a
   * single decision covers (system-level search and history, transaction, batch, operations, ...):
   * the enforcement point must judge each resource those touch.
   */
  public static Optional<Action> of(RestOperationTypeEnum operation) {
    if (operation == null) {
      return Optional.empty();
    }
    switch (operation) {
      case READ:
        return Optional.of(READ);
      case VREAD:
        return Optional.of(VREAD);
      case HISTORY_INSTANCE:
        return Optional.of(HISTORY_INSTANCE);
      case SEARCH_TYPE:
        return Optional.of(SEARCH);
      case HISTORY_TYPE:
        return Optional.of(HISTORY_TYPE);
      case CREATE:
        return Optional.of(CREATE);
      case UPDATE:
      case PATCH:
        return Optional.of(UPDATE);
      case DELETE:
        return Optional.of(DELETE);
      default:
        return Optional.empty();
    }
  }
}
