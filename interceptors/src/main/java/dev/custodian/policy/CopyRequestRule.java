package dev.custodian.policy;

import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.decision.Basis;
import dev.custodian.policy.decision.Decision;
import java.util.List;

/**
 * Right-of-access requests for copies, and the notices that tell the patient what became of them
 * ({@link dev.custodian.policy.resource.CopyRequests}): the patient (or her personal representative) reads her own, by right of access; health information
 * management staff ({@link Role#HIM}) read every request, to work the queue (operations). Nobody
 * else — not a clinician who treats her, not an auditor — sees one. Nobody creates, updates or
 * deletes one through the REST API: the server's operations ({@code $request-copies},
 * {@code $verify-identity}, {@code $extend}, {@code $fulfil}, {@code $reject}) do, each after deciding who may.
 */
final class CopyRequestRule implements Rule {

  private final Rule rightOfAccess;

  CopyRequestRule(Rule rightOfAccess) {
    this.rightOfAccess = rightOfAccess;
  }

  @Override
  public Decision evaluate(Request request, List<String> whyNot) {
    if (request.action().isWrite()) {
      whyNot.add("requests for copies are written by the server's operations, not through the API");
      return null;
    }
    Caller caller = request.caller();
    if (caller.has(Role.PATIENT) || caller.has(Role.REPRESENTATIVE)) {
      return rightOfAccess.evaluate(request, whyNot);
    }
    if (caller.has(Role.HIM)) {
      return Decision.permit(Basis.OPERATIONS, request.who() + " processes requests for copies (HIM)");
    }
    whyNot.add("a request for copies is for its patient and health information management staff only");
    return null;
  }
}
