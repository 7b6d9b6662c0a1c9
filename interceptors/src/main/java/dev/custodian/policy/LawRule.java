package dev.custodian.policy;

import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.decision.Basis;
import dev.custodian.policy.decision.Decision;
import java.util.List;

/**
 * Disclosures required by law and for public health (45 CFR 164.512(a), (b), (e)): only health
 * information management staff ({@link Role#HIM}), who process such requests, with purpose PUBHLTH or
 * HLEGAL and a written justification (the order, the statute, the reportable condition). What they
 * see is the purpose's element set in the minimum-necessary configuration (the whole resource for
 * HLEGAL, since minimum necessary does not apply to disclosures required by law; the coded finding
 * for PUBHLTH). Every permit is {@linkplain Decision#flaggedForReview() flagged} so the privacy
 * officer reviews it and the disclosure enters the patient's accounting of disclosures (164.528).
 * Reads only.
 */
final class LawRule implements Rule {

  private final LimitedDisclosure limited;

  LawRule(LimitedDisclosure limited) {
    this.limited = limited;
  }

  @Override
  public Decision evaluate(Request request, List<String> whyNot) {
    Caller caller = request.caller();
    if (!caller.has(Role.HIM)) {
      whyNot.add(caller.purpose() + " disclosures are made by HIM staff only");
      return null;
    }
    if (!request.isRead()) {
      whyNot.add(caller.purpose() + " grants reads only, not " + request.action());
      return null;
    }
    Decision decision = limited.permit(
        request, caller.purpose(), Basis.LAW,
        caller.purpose() + " disclosure by " + caller.fhirUser() + ": " + caller.breakGlassReason(), whyNot);
    return decision == null ? null : decision.flagged();
  }
}
