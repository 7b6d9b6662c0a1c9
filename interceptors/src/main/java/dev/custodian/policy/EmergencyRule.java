package dev.custodian.policy;

import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.decision.Basis;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.facts.EmergencyGrant;
import dev.custodian.policy.facts.PolicyFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Break-the-glass: a {@link Role#CLINICIAN} without a care relationship who declared an emergency for
 * a patient — purpose ETREAT or BTG with a written reason, recorded by the server as an
 * {@link EmergencyGrant} for a limited window — may read that patient's records (the images too)
 * while the grant is in force. Nothing else: another patient needs a grant of their own, and when the
 * window ends so does the access.
 *
 * <p>It applies to a clinician acting for treatment (TREAT, after the {@link TreatmentRule} found no
 * care relationship) or asserting ETREAT/BTG; asserting an emergency purpose opens nothing without a
 * grant. Every permit is basis {@link Basis#EMERGENCY}, carries the grants (their purpose and reason
 * go into the audit trail) and is {@linkplain Decision#flaggedForReview() flagged} for the privacy
 * officer's review.
 *
 * <p>Reads only: an emergency does not let anyone change the record; a clinician who goes on treating
 * the patient does so within a CareTeam or Encounter.
 */
final class EmergencyRule implements Rule {

  private final PolicyFacts facts;

  EmergencyRule(PolicyFacts facts) {
    this.facts = facts;
  }

  @Override
  public Decision evaluate(Request request, List<String> whyNot) {
    Caller caller = request.caller();
    if (!caller.has(Role.CLINICIAN)
        || !(caller.purpose() == PurposeOfUse.TREAT || caller.purpose().isEmergency())) {
      whyNot.add("break-the-glass is for clinicians acting for treatment or asserting ETREAT or BTG");
      return null;
    }
    if (!request.isRead()) {
      whyNot.add("break-the-glass grants reads only, not " + request.action());
      return null;
    }
    List<EmergencyGrant> grants = new ArrayList<>();
    for (String patient : request.target().patients()) {
      Optional<EmergencyGrant> grant = facts.emergencyGrant(caller.fhirUser(), patient, request.now());
      if (grant.isEmpty()) {
        whyNot.add(caller.fhirUser() + " has no break-the-glass grant in force for " + patient);
        return null;
      }
      grants.add(grant.get());
    }
    List<String> described = new ArrayList<>();
    for (EmergencyGrant grant : grants) {
      described.add(grant.purpose() + " for " + grant.patient() + " (grant " + grant.id() + ", until "
          + grant.expiresAt() + "): " + grant.reason());
    }
    return Decision.emergency(grants,
        "emergency access by " + caller.fhirUser() + ", break-the-glass " + String.join("; ", described));
  }
}
