package dev.custodian.server.policy.breakglass;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.facts.EmergencyGrant;
import dev.custodian.policy.resource.ReviewQueue;
import java.time.Instant;
import java.util.Date;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;

/**
 * The item a break-the-glass puts in the privacy officer's review queue: a Task
 *
 * <ul>
 *   <li>{@code status} requested, {@code intent} order, {@code code} {@value ReviewQueue#CODE_SYSTEM}
 *       | {@value ReviewQueue#BREAK_THE_GLASS_REVIEW};</li>
 *   <li>{@code for} the patient, {@code requester} the clinician, {@code owner} the privacy officer
 *       role (a logical reference: identifier {@value #ROLE_SYSTEM} | {@code privacy-officer});</li>
 *   <li>{@code reasonCode} the purpose (ETREAT or BTG) with the written reason as its text, and the
 *       reason again in a {@code note};</li>
 *   <li>{@code authoredOn} when the glass was broken, {@code restriction.period} the grant's window,
 *       {@code identifier} the grant's id ({@value #GRANT_SYSTEM}).</li>
 * </ul>
 */
final class ReviewItems {

  /** Identifier system of the roles that own review items. */
  static final String ROLE_SYSTEM = "https://custodian.dev/fhir/sid/role";
  /** The role that owns break-the-glass review items. */
  static final String PRIVACY_OFFICER = "privacy-officer";
  /** Identifier system of users by their fhirUser, for a clinician with no resource on this server. */
  static final String FHIR_USER_SYSTEM = "https://custodian.dev/fhir/sid/fhir-user";
  /** Identifier system of break-the-glass grants. */
  static final String GRANT_SYSTEM = "https://custodian.dev/fhir/sid/break-glass-grant";

  private ReviewItems() {}

  /** The review item of {@code grant}; {@code requester} is the clinician as the Task can refer to them. */
  static Task of(EmergencyGrant grant, Reference requester) {
    Task task = new Task();
    task.addIdentifier(new Identifier().setSystem(GRANT_SYSTEM).setValue(grant.id()));
    task.setStatus(Task.TaskStatus.REQUESTED);
    task.setIntent(Task.TaskIntent.ORDER);
    task.setPriority(Task.TaskPriority.ROUTINE);
    task.setCode(new CodeableConcept(
            new Coding(ReviewQueue.CODE_SYSTEM, ReviewQueue.BREAK_THE_GLASS_REVIEW, "Break-the-glass review"))
        .setText("Review of an emergency (break-the-glass) access"));
    task.setDescription(grant.practitioner() + " broke the glass for " + grant.patient() + " (" + grant.purpose().code()
        + "): review the access and its reason.");
    task.setFor(new Reference(grant.patient()));
    task.setRequester(requester);
    task.setOwner(new Reference()
        .setType("PractitionerRole")
        .setIdentifier(new Identifier().setSystem(ROLE_SYSTEM).setValue(PRIVACY_OFFICER))
        .setDisplay("Privacy officer (break-the-glass review queue)"));
    task.setReasonCode(new CodeableConcept(
            new Coding(PurposeOfUse.SYSTEM, grant.purpose().code(), grant.purpose().display()))
        .setText(grant.reason()));
    task.addNote()
        .setAuthor(requester.copy())
        .setTimeElement(dateTime(grant.grantedAt()))
        .setText("Reason given: " + grant.reason());
    task.setAuthoredOnElement(dateTime(grant.grantedAt()));
    task.setLastModifiedElement(dateTime(grant.grantedAt()));
    task.getRestriction().setPeriod(
        new Period().setStartElement(dateTime(grant.grantedAt())).setEndElement(dateTime(grant.expiresAt())));
    return task;
  }

  /** To the millisecond, in UTC, as the grant's window is answered. */
  private static DateTimeType dateTime(Instant instant) {
    return new DateTimeType(Date.from(instant), TemporalPrecisionEnum.MILLI, TimeZone.getTimeZone("UTC"));
  }
}
