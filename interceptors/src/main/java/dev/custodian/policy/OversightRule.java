package dev.custodian.policy;

import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.decision.Basis;
import dev.custodian.policy.decision.Decision;
import java.util.List;

/**
 * Oversight of the system (45 CFR 164.308(a)(1)(ii)(D) information system activity review,
 * 164.312(b) audit controls): AuditEvent is readable only by {@link Role#AUDITOR}s and
 * {@link Role#PRIVACY_OFFICER}s — and only with a scope that names AuditEvent, since a {@code *}
 * scope never reaches it (see {@code ScopeSet}). Nobody writes, updates or deletes an AuditEvent
 * through the API: the server records them itself. A patient's own access log is served later by a
 * dedicated operation, not by reading AuditEvents.
 */
final class OversightRule implements Rule {

  @Override
  public Decision evaluate(Request request, List<String> whyNot) {
    Caller caller = request.caller();
    if (request.action().isWrite()) {
      whyNot.add("AuditEvent is never written, updated or deleted through the API");
      return null;
    }
    if (!caller.has(Role.AUDITOR) && !caller.has(Role.PRIVACY_OFFICER)) {
      whyNot.add("AuditEvent is for auditors and privacy officers only");
      return null;
    }
    return Decision.permit(Basis.OVERSIGHT, request.who() + " reviews the audit trail");
  }
}
