package dev.custodian.server.policy.breakglass;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.enforce.CallerResolver;
import dev.custodian.policy.enforce.Callers;
import dev.custodian.policy.enforce.HiddenAsMissing;
import dev.custodian.policy.enforce.PolicyConsentService;
import dev.custodian.policy.facts.EmergencyGrant;
import dev.custodian.policy.resource.References;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code POST [base]/Patient/{id}/$break-the-glass} with a Parameters body: {@code purpose}
 * (valueCode ETREAT or BTG) and {@code reason} (valueString, the written reason, at least
 * {@value Caller#MIN_REASON_LENGTH} characters). A clinician without a care relationship declares an
 * emergency for that patient and may then read the patient's records for the configured window
 * ({@code custodian.policy.break-glass.window}, 60 minutes by default), every access flagged and
 * audited as emergency access. Each call records a grant (V9) and puts an item in the privacy
 * officer's review queue (a Task, see {@link ReviewItems}), in one transaction; the answer is a
 * Parameters with {@code grant} (id), {@code patient}, {@code purpose}, {@code reason}, {@code start}
 * and {@code end} of the window.
 *
 * <p>Refusals, in this order, so that nothing is looked up for a caller who may not break the glass:
 * 401 without a valid token; 403 for anyone but a {@link Role#CLINICIAN} signed in as a Practitioner
 * or PractitionerRole; 400 for a missing or unknown purpose, or a missing, too short or too long
 * reason (no grant, no access); 404 for a patient that does not exist. A self-judged operation: it
 * decides who may call it itself, and its answer names only what the caller sent.
 */
public class BreakTheGlassOperation {

  public static final String NAME = "$break-the-glass";
  /** The longest written reason accepted. */
  public static final int MAX_REASON_LENGTH = 2000;

  private static final Set<String> CLINICIAN_TYPES = Set.of("Practitioner", "PractitionerRole");

  private final CallerResolver callers;
  private final DaoRegistry daos;
  private final BreakGlassGrants grants;
  private final TransactionTemplate transactions;
  private final Duration window;
  private final Clock clock;

  public BreakTheGlassOperation(CallerResolver callers, DaoRegistry daos, BreakGlassGrants grants,
      TransactionTemplate transactions, BreakGlassProperties properties, Clock clock) {
    this.callers = callers;
    this.daos = daos;
    this.grants = grants;
    this.transactions = transactions;
    this.window = properties.window();
    this.clock = clock;
  }

  @Operation(name = NAME, type = Patient.class, idempotent = false, returnParameters = {})
  public Parameters breakTheGlass(
      @IdParam IdType patientId,
      @OperationParam(name = "purpose", min = 0, max = 1, typeName = "code") IPrimitiveType<String> purposeParam,
      @OperationParam(name = "reason", min = 0, max = 1, typeName = "string") IPrimitiveType<String> reasonParam,
      RequestDetails request) {
    Caller caller = Callers.resolve(request, callers);
    if (caller == null) {
      throw new AuthenticationException("A valid bearer access token is required.");
    }
    if (!caller.has(Role.CLINICIAN) || caller.isSystemClient() || !CLINICIAN_TYPES.contains(caller.fhirUserType())) {
      throw refused(new ForbiddenOperationException("Only clinicians can break the glass."),
          OperationOutcome.IssueType.FORBIDDEN, "Only clinicians can break the glass.");
    }
    PurposeOfUse purpose = purpose(purposeParam);
    String reason = reason(reasonParam);
    Patient patient = existingPatient(patientId, request);

    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    EmergencyGrant grant = new EmergencyGrant(UUID.randomUUID().toString(), caller.fhirUser(),
        "Patient/" + patient.getIdElement().getIdPart(), purpose, reason, now, now.plus(window));
    transactions.executeWithoutResult(status -> {
      Task review = ReviewItems.of(grant, requester(caller.fhirUser()));
      String reviewTask = daos.getResourceDao(Task.class).create(review, new SystemRequestDetails())
          .getId().toUnqualifiedVersionless().getValue();
      grants.insert(grant, caller.clientId(), caller.tokenId(), reviewTask);
    });
    // the audit trail names the patient, the grant's purpose and reason, flagged for review
    PolicyConsentService.recordSelfJudged(request, patient, Decision.emergency(List.of(grant),
        caller.fhirUser() + " broke the glass for " + grant.patient() + " (" + purpose + ", grant " + grant.id()
            + ", until " + grant.expiresAt() + "): " + reason));

    Parameters answer = new Parameters();
    answer.addParameter().setName("grant").setValue(new Identifier()
        .setSystem(ReviewItems.GRANT_SYSTEM).setValue(grant.id()));
    answer.addParameter().setName("patient").setValue(new Reference(grant.patient()));
    answer.addParameter().setName("purpose").setValue(new CodeType(purpose.code()));
    answer.addParameter().setName("reason").setValue(new StringType(reason));
    answer.addParameter().setName("start").setValue(new InstantType(Date.from(grant.grantedAt())));
    answer.addParameter().setName("end").setValue(new InstantType(Date.from(grant.expiresAt())));
    return answer;
  }

  private static PurposeOfUse purpose(IPrimitiveType<String> param) {
    String code = param == null ? null : param.getValueAsString();
    if (code == null || code.isBlank()) {
      throw badRequest("A purpose is required: ETREAT (emergency treatment) or BTG (break the glass).");
    }
    return PurposeOfUse.fromCode(code.strip())
        .filter(PurposeOfUse::isEmergency)
        .orElseThrow(() -> badRequest("The purpose must be ETREAT or BTG."));
  }

  private static String reason(IPrimitiveType<String> param) {
    String reason = param == null || param.getValueAsString() == null ? "" : param.getValueAsString().strip();
    if (reason.length() < Caller.MIN_REASON_LENGTH) {
      throw badRequest("A written reason of at least " + Caller.MIN_REASON_LENGTH
          + " characters is required to break the glass.");
    }
    if (reason.length() > MAX_REASON_LENGTH) {
      throw badRequest("The reason may be at most " + MAX_REASON_LENGTH + " characters.");
    }
    return reason;
  }

  private Patient existingPatient(IdType id, RequestDetails request) {
    if (id == null || !id.hasIdPart() || !References.isId(id.getIdPart())) {
      throw HiddenAsMissing.notFound(request);
    }
    try {
      return daos.getResourceDao(Patient.class).read(new IdType("Patient", id.getIdPart()), new SystemRequestDetails());
    } catch (ResourceNotFoundException | ResourceGoneException e) {
      throw HiddenAsMissing.notFound(request);
    }
  }

  /**
   * The clinician as the review item refers to them: a literal reference when their Practitioner (or
   * PractitionerRole) resource is on this server, else a logical one by their fhirUser.
   */
  private Reference requester(String fhirUser) {
    IdType id = new IdType(fhirUser);
    Class<? extends org.hl7.fhir.r4.model.Resource> type =
        "PractitionerRole".equals(id.getResourceType()) ? PractitionerRole.class : Practitioner.class;
    try {
      daos.getResourceDao(type).read(id, new SystemRequestDetails());
      return new Reference(fhirUser);
    } catch (ResourceNotFoundException | ResourceGoneException e) {
      return new Reference().setType(id.getResourceType()).setDisplay(fhirUser)
          .setIdentifier(new Identifier().setSystem(ReviewItems.FHIR_USER_SYSTEM).setValue(fhirUser));
    }
  }

  private static InvalidRequestException badRequest(String message) {
    return refused(new InvalidRequestException(message), OperationOutcome.IssueType.REQUIRED, message);
  }

  private static <E extends ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException> E refused(
      E exception, OperationOutcome.IssueType code, String message) {
    OperationOutcome outcome = new OperationOutcome();
    outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(code).setDiagnostics(message);
    exception.setOperationOutcome(outcome);
    return exception;
  }
}
