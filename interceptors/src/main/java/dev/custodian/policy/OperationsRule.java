package dev.custodian.policy;

import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.decision.Basis;
import dev.custodian.policy.decision.Decision;
import java.util.List;

/**
 * Health care operations (45 CFR 164.501, 164.506(c)): the covered entity's operations workforce
 * ({@link Role#OPERATIONS}, {@link Role#HIM}) and a business associate's system client
 * ({@link Role#BUSINESS_ASSOCIATE}, 164.504(e)), with purpose HOPERAT, may see the operations element
 * set of any patient's records (minimum necessary, 164.514(d)): workflow, codes and dates, no
 * findings — a business associate only the set its agreement names ({@code HOPERAT[<organization
 * id>].<Type>} in the configuration; none named, nothing seen). Reads only.
 */
final class OperationsRule implements Rule {

  private final LimitedDisclosure limited;

  OperationsRule(LimitedDisclosure limited) {
    this.limited = limited;
  }

  @Override
  public Decision evaluate(Request request, List<String> whyNot) {
    Caller caller = request.caller();
    if (!caller.has(Role.OPERATIONS) && !caller.has(Role.HIM) && !caller.has(Role.BUSINESS_ASSOCIATE)) {
      whyNot.add("operations is for operations and HIM staff and business associates");
      return null;
    }
    if (!request.isRead()) {
      whyNot.add("operations grants reads only, not " + request.action());
      return null;
    }
    if (caller.has(Role.BUSINESS_ASSOCIATE)) {
      // only what its agreement names, never the covered entity's own operations set
      return limited.permitByAgreement(request, caller.organization(), Basis.OPERATIONS,
          request.who() + " is a business associate in health care operations", whyNot);
    }
    return limited.permit(
        request, PurposeOfUse.HOPERAT, Basis.OPERATIONS,
        request.who() + " works in health care operations", whyNot);
  }
}
