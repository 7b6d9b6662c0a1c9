package dev.custodian.policy.enforce;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.scope.Interaction;
import java.util.Objects;
import java.util.Optional;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Too little scope is the token's problem, not the data's: a request whose type and interaction no
 * granted SMART scope permits (say {@code GET Patient/x} with only {@code patient/ImagingStudy.rs},
 * or any AuditEvent request without a scope naming AuditEvent) is refused with 403 and an
 * OperationOutcome before anything is looked up, so the answer says nothing about what exists.
 * What the scopes do permit is then decided resource by resource by the policy.
 */
@Interceptor
public final class ScopeGuard {

  private final CallerResolver resolver;

  public ScopeGuard(CallerResolver resolver) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
  public void check(RequestDetails request, RestOperationTypeEnum operation) {
    String type = request.getResourceName();
    Optional<Interaction> interaction = Interaction.of(operation);
    if (type == null || type.isEmpty() || interaction.isEmpty()) {
      return; // not about one resource type (metadata, refused forms): other guards decide
    }
    Caller caller = Callers.resolve(request, resolver);
    if (caller == null) {
      throw new AuthenticationException("A valid bearer access token is required.");
    }
    if (!caller.scopes().permits(interaction.get(), type)) {
      OperationOutcome outcome = new OperationOutcome();
      String message = "The access token's scopes do not allow "
          + interaction.get().name().toLowerCase() + " on " + type + ".";
      outcome.addIssue()
          .setSeverity(OperationOutcome.IssueSeverity.ERROR)
          .setCode(OperationOutcome.IssueType.FORBIDDEN)
          .setDiagnostics(message);
      throw new ForbiddenOperationException(message, outcome);
    }
  }
}
