package dev.custodian.policy;

import dev.custodian.policy.decision.Decision;
import java.util.List;

/**
 * One basis on which the policy may permit. A rule either permits (returns a decision) or explains,
 * in {@code whyNot}, why it does not apply and returns null; the policy denies when no rule permits.
 */
interface Rule {

  /** A permitting decision, or null after adding the reasons it does not permit to {@code whyNot}. */
  Decision evaluate(Request request, List<String> whyNot);
}
