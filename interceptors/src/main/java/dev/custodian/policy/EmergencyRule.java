package dev.custodian.policy;

import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.decision.Basis;
import dev.custodian.policy.decision.Decision;
import java.util.List;

/**
 * Break-the-glass: a {@link Role#CLINICIAN} who asserts purpose ETREAT or BTG, with a written reason
 * (the {@link Caller} refuses to exist without one), may read any patient's clinical records —
 * treatment in an emergency without an established relationship. Every such permit is basis
 * {@link Basis#EMERGENCY} and {@linkplain Decision#flaggedForReview() flagged} for the privacy
 * officer's review; the reason goes into the audit trail.
 *
 * <p>Reads only (including the images): an emergency does not let anyone change the record; a
 * clinician who goes on treating the patient does so within a CareTeam or Encounter.
 */
final class EmergencyRule implements Rule {

  @Override
  public Decision evaluate(Request request, List<String> whyNot) {
    Caller caller = request.caller();
    if (!caller.has(Role.CLINICIAN) || !caller.purpose().isEmergency()) {
      whyNot.add("break-the-glass is for clinicians asserting ETREAT or BTG");
      return null;
    }
    if (!request.isRead()) {
      whyNot.add("break-the-glass grants reads only, not " + request.action());
      return null;
    }
    return Decision.permit(
            Basis.EMERGENCY,
            "emergency access (" + caller.purpose() + ") by " + caller.fhirUser() + " to "
                + String.join(", ", request.target().patients()) + ": " + caller.breakGlassReason())
        .flagged();
  }
}
