package dev.custodian.audit;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import java.util.Optional;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;

/**
 * The FHIR RESTful interaction an AuditEvent records: its {@code subtype} code (system
 * {@code http://hl7.org/fhir/restful-interaction}), its {@code action}, and the direction BALP gives
 * the client and server agents.
 */
public enum RestInteraction {
  READ("read", AuditEventAction.R, Shape.READ),
  VREAD("vread", AuditEventAction.R, Shape.READ),
  HISTORY_INSTANCE("history-instance", AuditEventAction.R, Shape.READ),
  HISTORY_TYPE("history-type", AuditEventAction.E, Shape.QUERY),
  SEARCH_TYPE("search-type", AuditEventAction.E, Shape.QUERY),
  CREATE("create", AuditEventAction.C, Shape.WRITE),
  UPDATE("update", AuditEventAction.U, Shape.WRITE),
  PATCH("patch", AuditEventAction.U, Shape.WRITE),
  DELETE("delete", AuditEventAction.D, Shape.WRITE),
  OPERATION("operation", AuditEventAction.E, Shape.QUERY);

  /** How BALP shapes the event. */
  enum Shape {
    /** Data flows to the client: client is Destination Role ID, server Source Role ID. */
    READ,
    /** A query: client is Source Role ID, server Destination; a query entity; one event per patient. */
    QUERY,
    /** Client is Source Role ID, server Destination; the user is the author (custodian on delete). */
    WRITE
  }

  private final String code;
  private final AuditEventAction action;
  private final Shape shape;

  RestInteraction(String code, AuditEventAction action, Shape shape) {
    this.code = code;
    this.action = action;
    this.shape = shape;
  }

  /** The restful-interaction code ({@code search-type}). */
  public String code() {
    return code;
  }

  /** The AuditEvent.action (C, R, U, D, E). */
  public AuditEventAction action() {
    return action;
  }

  /** Whether the event gets a query entity and one event per patient of the data returned. */
  public boolean isQuery() {
    return shape == Shape.QUERY;
  }

  Shape shape() {
    return shape;
  }

  /** The interaction of a HAPI REST operation, if it is one of these. */
  public static Optional<RestInteraction> of(RestOperationTypeEnum operation) {
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
      case HISTORY_TYPE:
        return Optional.of(HISTORY_TYPE);
      case SEARCH_TYPE:
      case GET_PAGE:
        return Optional.of(SEARCH_TYPE);
      case CREATE:
        return Optional.of(CREATE);
      case UPDATE:
        return Optional.of(UPDATE);
      case PATCH:
        return Optional.of(PATCH);
      case DELETE:
        return Optional.of(DELETE);
      case EXTENDED_OPERATION_INSTANCE:
      case EXTENDED_OPERATION_TYPE:
      case EXTENDED_OPERATION_SERVER:
        return Optional.of(OPERATION);
      default:
        return Optional.empty();
    }
  }
}
