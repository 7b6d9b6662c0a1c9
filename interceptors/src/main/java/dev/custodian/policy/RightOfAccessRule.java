package dev.custodian.policy;

import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.decision.Action;
import dev.custodian.policy.decision.Basis;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.facts.PolicyFacts;
import dev.custodian.policy.resource.Target;
import java.util.List;

/**
 * HIPAA right of access (45 CFR 164.524): a patient may inspect and obtain everything in their own
 * designated record set — here, every resource in their Patient compartment, including the images —
 * and a personal representative (164.502(g)) may do so for the patient they represent.
 *
 * <p>Writes: patients and representatives create and update the patient's own Consents (release
 * authorizations and restrictions; revoking is an update to status {@code inactive}). They never
 * delete one (an authorization and its revocation must be retained, 164.508(b)(6), 164.530(j)), and
 * never write clinical records: a patient asks for an amendment (164.526), which staff process.
 *
 * <p>A resource that also belongs to another patient is only theirs if they have the right to every
 * patient it belongs to.
 */
final class RightOfAccessRule implements Rule {

  private final PolicyFacts facts;

  RightOfAccessRule(PolicyFacts facts) {
    this.facts = facts;
  }

  @Override
  public Decision evaluate(Request request, List<String> whyNot) {
    Caller caller = request.caller();
    Target target = request.target();
    String reason;
    if (caller.has(Role.PATIENT)) {
      if (!target.belongsOnlyTo(caller.fhirUser())) {
        whyNot.add(request.what() + " is not in " + caller.fhirUser() + "'s compartment alone");
        return null;
      }
      reason = request.what() + " is in the patient's own compartment";
    } else if (caller.has(Role.REPRESENTATIVE)) {
      for (String patient : target.patients()) {
        if (!facts.isPersonalRepresentative(caller.fhirUser(), patient, request.now())) {
          whyNot.add(caller.fhirUser() + " is not a personal representative of " + patient);
          return null;
        }
      }
      reason = caller.fhirUser() + " is a personal representative of " + String.join(", ", target.patients());
    } else {
      whyNot.add("right of access is for patients and their personal representatives");
      return null;
    }
    if (request.action().isWrite()) {
      if (!"Consent".equals(target.type()) || request.action() == Action.DELETE) {
        whyNot.add("patients and representatives may create and update the patient's Consents only, not "
            + request.action() + " " + target.type());
        return null;
      }
      return Decision.permit(Basis.RIGHT_OF_ACCESS, reason + "; the patient manages their own consents");
    }
    return Decision.permit(Basis.RIGHT_OF_ACCESS, reason);
  }
}
