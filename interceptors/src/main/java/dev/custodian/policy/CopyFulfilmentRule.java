package dev.custodian.policy;

import dev.custodian.policy.caller.Role;
import dev.custodian.policy.decision.Basis;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.facts.PolicyFacts;
import java.util.List;

/**
 * Fulfilling a patient's request for copies: health information management staff ({@link Role#HIM})
 * may read — whole, images included — exactly the records an open request of the patient names,
 * once the patient's identity is verified ({@link PolicyFacts#isRequestedCopy}). The basis is the
 * patient's right of access: the disclosure is to the patient, at her request. Reads only.
 */
final class CopyFulfilmentRule implements Rule {

  private final PolicyFacts facts;

  CopyFulfilmentRule(PolicyFacts facts) {
    this.facts = facts;
  }

  @Override
  public Decision evaluate(Request request, List<String> whyNot) {
    if (!request.caller().has(Role.HIM) || !request.isRead() || request.target().reference() == null) {
      whyNot.add("copies are released to HIM staff for reading, of named records only");
      return null;
    }
    for (String patient : request.target().patients()) {
      if (!facts.isRequestedCopy(request.target().reference(), patient, request.now())) {
        whyNot.add("no open, identity-verified request of " + patient + " names " + request.what());
        return null;
      }
    }
    return Decision.permit(Basis.RIGHT_OF_ACCESS, request.who() + " fulfils a request for copies of "
        + String.join(", ", request.target().patients()) + " naming " + request.what());
  }
}
