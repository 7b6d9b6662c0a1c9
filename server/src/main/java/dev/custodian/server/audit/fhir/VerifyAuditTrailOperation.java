package dev.custodian.server.audit.fhir;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import dev.custodian.audit.chain.VerificationResult;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.enforce.CallerResolver;
import dev.custodian.policy.enforce.Callers;
import dev.custodian.policy.scope.Interaction;
import dev.custodian.server.audit.chain.AuditTrailVerifier;
import java.util.Set;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.StringType;

/**
 * {@code GET|POST [base]/$verify-audit-trail}: verifies the whole audit hash chain and its signed
 * checkpoints and answers with Parameters: {@code valid}, {@code eventsVerified},
 * {@code checkpointsVerified}, {@code lastSequence}, and when broken {@code problem} (a
 * {@code VerificationResult.Problem} name), {@code brokenAt} (the sequence of the first broken link)
 * and {@code message}.
 *
 * <p>For auditors and privacy officers whose token allows reading AuditEvent; anyone else gets 403.
 * The answer says nothing about any patient, so this operation decides access itself (it is a
 * self-judged operation).
 */
public class VerifyAuditTrailOperation {

  public static final String NAME = "$verify-audit-trail";
  private static final Set<Role> OVERSIGHT = Set.of(Role.AUDITOR, Role.PRIVACY_OFFICER);

  private final AuditTrailVerifier verifier;
  private final CallerResolver callers;

  public VerifyAuditTrailOperation(AuditTrailVerifier verifier, CallerResolver callers) {
    this.verifier = verifier;
    this.callers = callers;
  }

  @Operation(name = NAME, idempotent = true, returnParameters = {})
  public Parameters verify(RequestDetails request) {
    Caller caller = Callers.resolve(request, callers);
    if (caller == null) {
      throw new AuthenticationException("A valid bearer access token is required.");
    }
    if (caller.roles().stream().noneMatch(OVERSIGHT::contains)
        || !caller.scopes().permits(Interaction.READ, "AuditEvent")) {
      throw new ForbiddenOperationException(
          NAME + " is for auditors and privacy officers with a token that allows reading AuditEvent");
    }
    VerificationResult result = verifier.verify();
    Parameters parameters = new Parameters();
    parameters.addParameter().setName("valid").setValue(new BooleanType(result.valid()));
    parameters.addParameter().setName("eventsVerified").setValue(new DecimalType(result.eventsVerified()));
    parameters.addParameter().setName("checkpointsVerified").setValue(new IntegerType(result.checkpointsVerified()));
    parameters.addParameter().setName("lastSequence").setValue(new DecimalType(result.lastSequence()));
    if (!result.valid()) {
      parameters.addParameter().setName("problem").setValue(new CodeType(result.problem().name()));
      parameters.addParameter().setName("brokenAt").setValue(new DecimalType(result.brokenAt()));
      parameters.addParameter().setName("message").setValue(new StringType(result.message()));
    }
    return parameters;
  }
}
