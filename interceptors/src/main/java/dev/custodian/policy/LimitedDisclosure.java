package dev.custodian.policy;

import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.decision.Basis;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.minimum.ElementSet;
import dev.custodian.policy.minimum.MinimumNecessary;
import dev.custodian.policy.minimum.Projection;
import java.util.List;
import java.util.Optional;

/**
 * Turns a permitted purpose into what the caller may see of the resource under the minimum-necessary
 * standard: the purpose's element set for the type (a projection), the whole resource if the set is
 * {@code *}, or nothing if the configuration has no set for the type (deny by default).
 */
final class LimitedDisclosure {

  private final MinimumNecessary sets;

  LimitedDisclosure(MinimumNecessary sets) {
    this.sets = sets;
  }

  /** A permit on {@code basis} limited to the purpose's set, or null (reason added) if there is none. */
  Decision permit(Request request, PurposeOfUse purpose, Basis basis, String reason, List<String> whyNot) {
    String type = request.target().type();
    return permit(request, purpose, basis, reason, whyNot, sets.elementSet(purpose, type), purpose.toString());
  }

  /**
   * A permit limited to the set the business associate agreement of {@code organization} names
   * (never the whole resource), or null (reason added) if it names none for the type.
   */
  Decision permitByAgreement(Request request, String organization, Basis basis, String reason, List<String> whyNot) {
    String type = request.target().type();
    return permit(request, PurposeOfUse.HOPERAT, basis, reason, whyNot, sets.agreementSet(organization, type),
        "business associate agreement of " + organization + ": HOPERAT");
  }

  private static Decision permit(Request request, PurposeOfUse purpose, Basis basis, String reason, List<String> whyNot,
      Optional<ElementSet> set, String setName) {
    String type = request.target().type();
    if (set.isEmpty()) {
      whyNot.add("the minimum-necessary configuration has no " + setName + " element set for " + type);
      return null;
    }
    if (set.get().whole()) {
      return Decision.permit(basis, reason + "; " + purpose + " may see the whole " + type);
    }
    return Decision.permitProjected(
        basis, new Projection(purpose, set.get()), reason + "; limited to the " + purpose + " set " + set.get());
  }
}
