package dev.custodian.policy;

import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.decision.Basis;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.facts.PatientRestriction;
import dev.custodian.policy.facts.PolicyFacts;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Patient restrictions (45 CFR 164.522(a)): a deny Consent overrides the permits it targets. It
 * applies to disclosures for treatment, payment, operations and under a release authorization — the
 * patient's own access (and a representative's) is never restricted, and neither are emergency
 * treatment (164.522(a)(1)(iii)) nor disclosures required by law or for public health
 * (164.522(a)(1)(v)). Reads only: a restriction is about disclosure.
 */
final class RestrictionOverride {

  /** The bases a patient's restriction can override. */
  private static final Set<Basis> RESTRICTABLE =
      EnumSet.of(Basis.TREATMENT, Basis.PAYMENT, Basis.OPERATIONS, Basis.AUTHORIZATION);

  private final PolicyFacts facts;

  RestrictionOverride(PolicyFacts facts) {
    this.facts = facts;
  }

  /** The restriction that overrides {@code permit}, as a reason, or null if none does. */
  String overriding(Request request, Decision permit) {
    if (!request.isRead() || !RESTRICTABLE.contains(permit.basis())) {
      return null;
    }
    Caller caller = request.caller();
    List<String> who = new ArrayList<>(2);
    if (caller.fhirUser() != null) {
      who.add(caller.fhirUser());
    }
    if (caller.organization() != null) {
      who.add(caller.organization());
    }
    for (String patient : request.target().patients()) {
      for (PatientRestriction restriction : facts.restrictions(patient)) {
        if (restriction.forbids(who, caller.purpose(), request.target().reference(), request.now())) {
          return restriction.consentId() + " of " + patient + " restricts disclosure of " + request.what()
              + " to " + request.who() + " (overrides " + permit.basis() + ")";
        }
      }
    }
    return null;
  }
}
