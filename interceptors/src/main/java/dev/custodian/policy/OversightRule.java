package dev.custodian.policy;

import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.decision.Action;
import dev.custodian.policy.decision.Basis;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.resource.ReviewQueue;
import java.util.List;

/**
 * Oversight of the system (45 CFR 164.308(a)(1)(ii)(D) information system activity review,
 * 164.312(b) audit controls), for {@link Role#AUDITOR}s and {@link Role#PRIVACY_OFFICER}s only:
 *
 * <ul>
 *   <li>AuditEvent: readable only with a scope that names AuditEvent, since a {@code *} scope never
 *       reaches it (see {@code ScopeSet}). Nobody writes, updates or deletes an AuditEvent through the
 *       API: the server records them itself. A patient's own access log is served later by a
 *       dedicated operation, not by reading AuditEvents.</li>
 *   <li>The break-the-glass review queue ({@link ReviewQueue}: Tasks the server creates when a
 *       clinician breaks the glass): read, searched and updated (a review completed, with a note) by
 *       auditors and privacy officers; created only by the server, never deleted. The clinician who
 *       broke the glass and the patient do not see it: the patient sees the emergency access itself in
 *       the audit trail. Which elements an update may change is checked by the server, which compares
 *       the stored and new versions.</li>
 * </ul>
 */
final class OversightRule implements Rule {

  @Override
  public Decision evaluate(Request request, List<String> whyNot) {
    Caller caller = request.caller();
    boolean reviewItem = ReviewQueue.isReviewItem(request.target());
    if (request.action().isWrite() && !reviewItem) {
      whyNot.add("AuditEvent is never written, updated or deleted through the API");
      return null;
    }
    if (request.action() == Action.CREATE || request.action() == Action.DELETE) {
      whyNot.add("review items are created by the server when a clinician breaks the glass, and never deleted");
      return null;
    }
    if (!caller.has(Role.AUDITOR) && !caller.has(Role.PRIVACY_OFFICER)) {
      whyNot.add((reviewItem ? "the break-the-glass review queue" : "AuditEvent")
          + " is for auditors and privacy officers only");
      return null;
    }
    if (request.action() == Action.UPDATE) {
      return Decision.permit(Basis.OVERSIGHT, request.who() + " reviews " + request.what());
    }
    return Decision.permit(Basis.OVERSIGHT, request.who()
        + (reviewItem ? " reads the break-the-glass review queue" : " reviews the audit trail"));
  }
}
