package dev.custodian.policy;

import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.decision.Basis;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.facts.PolicyFacts;
import java.util.List;

/**
 * Payment (45 CFR 164.506(c)): a health plan's staff ({@link Role#HEALTH_PLAN}, purpose HPAYMT) may
 * see records of patients whose active Coverage names their organization as payor — every patient
 * the resource belongs to — and only the payment element set (164.502(b) minimum necessary): codes,
 * dates, status and performer; never report text or images. Always a projection; reads only.
 */
final class PaymentRule implements Rule {

  private final PolicyFacts facts;
  private final LimitedDisclosure limited;

  PaymentRule(PolicyFacts facts, LimitedDisclosure limited) {
    this.facts = facts;
    this.limited = limited;
  }

  @Override
  public Decision evaluate(Request request, List<String> whyNot) {
    Caller caller = request.caller();
    if (!caller.has(Role.HEALTH_PLAN)) {
      whyNot.add("payment is for health plan staff");
      return null;
    }
    if (!request.isRead()) {
      whyNot.add("payment grants reads only, not " + request.action());
      return null;
    }
    for (String patient : request.target().patients()) {
      if (!facts.isPayor(caller.organization(), patient, request.now())) {
        whyNot.add(caller.organization() + " is not the payor of an active Coverage of " + patient);
        return null;
      }
    }
    return limited.permit(
        request, PurposeOfUse.HPAYMT, Basis.PAYMENT,
        caller.organization() + " pays for an active Coverage of " + String.join(", ", request.target().patients()),
        whyNot);
  }
}
