package dev.custodian.server.requests;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.r4.model.OperationOutcome;

/** The 4xx answers of the request operations, each with an OperationOutcome saying why. */
final class Refusals {

  private Refusals() {}

  /** 400: the parameters are missing or malformed. */
  static InvalidRequestException badRequest(String message) {
    return with(new InvalidRequestException(message), OperationOutcome.IssueType.INVALID, message);
  }

  /** 403: the caller may see the request but not do this. */
  static ForbiddenOperationException forbidden(String message) {
    return with(new ForbiddenOperationException(message), OperationOutcome.IssueType.FORBIDDEN, message);
  }

  /** 422: the request's state does not allow it (a second extension, fulfilling before verification...). */
  static UnprocessableEntityException businessRule(String message) {
    OperationOutcome outcome = outcome(OperationOutcome.IssueType.BUSINESSRULE, message);
    return new UnprocessableEntityException(message, outcome);
  }

  private static <E extends BaseServerResponseException> E with(E exception, OperationOutcome.IssueType code, String message) {
    exception.setOperationOutcome(outcome(code, message));
    return exception;
  }

  private static OperationOutcome outcome(OperationOutcome.IssueType code, String message) {
    OperationOutcome outcome = new OperationOutcome();
    outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(code).setDiagnostics(message);
    return outcome;
  }
}
