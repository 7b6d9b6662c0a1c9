package dev.custodian.policy.facts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The questions the access policy asks about the world, answered by the server over its database
 * (and cached for the duration of one request). The policy never reads the database itself.
 *
 * <p>Every reference is relative and versionless ({@code Patient/alice},
 * {@code Practitioner/dr.chen}, {@code Organization/health-plan}). "Active" means: status active
 * (or, for Coverage, active and {@code at} within its period; for CareTeam, active and {@code at}
 * within its period if it has one).
 *
 * <p>Relationships that can be read from the resource being judged — a clinician who is the
 * performer or requester of a study or report — are not asked here: the policy reads them from the
 * resource itself.
 */
public interface PolicyFacts {

  /**
   * Whether {@code member} — a Practitioner, PractitionerRole or Organization — is a participant
   * ({@code CareTeam.participant.member} or {@code .onBehalfOf}) of a CareTeam whose subject is
   * {@code patient} and which is active at {@code at}. This is a treatment relationship.
   */
  boolean isCareTeamMember(String member, String patient, Instant at);

  /**
   * Whether {@code practitioner} (a Practitioner or PractitionerRole) is a participant
   * ({@code Encounter.participant.individual}) of an Encounter of {@code patient} whose period
   * overlaps {@code [from, to]}; an encounter with no end is ongoing. The policy chooses the window.
   */
  boolean hasEncounterParticipation(String practitioner, String patient, Instant from, Instant to);

  /**
   * Whether {@code relatedPerson} is a personal representative of {@code patient} at {@code at}: an
   * active RelatedPerson of that patient whose relationship says so (for example v3 RoleCode
   * {@code GUARD}, {@code POWATT}, {@code DPOWATT}, {@code HPOWATT}, {@code GUADLTM}, or a parent of
   * a minor), within its period.
   */
  boolean isPersonalRepresentative(String relatedPerson, String patient, Instant at);

  /**
   * Whether {@code organization} is a payor ({@code Coverage.payor}) of a Coverage of
   * {@code patient} (as beneficiary) that is active at {@code at}.
   */
  boolean isPayor(String organization, String patient, Instant at);

  /**
   * Whether an active ServiceRequest (referral) of {@code patient} is addressed to
   * {@code organization} ({@code ServiceRequest.performer}) at {@code at}: a treatment relationship of
   * the organization.
   */
  boolean hasReferralTo(String organization, String patient, Instant at);

  /**
   * Every release authorization of {@code patient} that names {@code recipient}, whatever its status
   * or period (the policy decides and explains why one does not apply).
   */
  List<ReleaseAuthorization> releaseAuthorizations(String recipient, String patient);

  /**
   * Every restriction {@code patient} has in force or not (an active deny Consent of the patient,
   * whatever its period: the policy checks the period); see {@link PatientRestriction}.
   */
  List<PatientRestriction> restrictions(String patient);

  /**
   * The break-the-glass grant of {@code practitioner} for {@code patient} in force at {@code at} (the
   * one that runs longest, if several are), or empty. A grant is recorded when a clinician breaks the
   * glass and ends with its window; see {@link EmergencyGrant}.
   */
  Optional<EmergencyGrant> emergencyGrant(String practitioner, String patient, Instant at);

  /**
   * Whether an open request for copies of {@code patient} (a right-of-access Task, status accepted or
   * in-progress, the patient's identity verified) names {@code record} ({@code ImagingStudy/x},
   * {@code DiagnosticReport/y}) at {@code at}: health information management staff may then read
   * that record to fulfil the request. None by default.
   */
  default boolean isRequestedCopy(String record, String patient, Instant at) {
    return false;
  }

  /**
   * The share link {@code linkId} as its holder's grant — whatever its state (the policy decides and
   * explains why it does not apply) — or empty if there is no such link. Servers without share links
   * answer empty.
   */
  default Optional<ShareGrant> shareGrant(String linkId) {
    return Optional.empty();
  }
}
