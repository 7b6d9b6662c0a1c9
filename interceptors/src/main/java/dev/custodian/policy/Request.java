package dev.custodian.policy;

import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.decision.Action;
import dev.custodian.policy.resource.Target;
import java.time.Instant;

/** One question to the policy, with the instant it is decided at. */
record Request(Caller caller, Action action, Target target, Instant now) {

  /** Who is asking, for reasons: the fhirUser, or the organization of a system client. */
  String who() {
    return caller.fhirUser() != null ? caller.fhirUser() : caller.organization() + " (client " + caller.clientId() + ")";
  }

  /** The resource, for reasons. */
  String what() {
    return target.reference() != null ? target.reference() : "a new " + target.type();
  }

  /** Whether the action only reads (read, vread, search, history, DICOM retrieval). */
  boolean isRead() {
    return !action.isWrite();
  }
}
