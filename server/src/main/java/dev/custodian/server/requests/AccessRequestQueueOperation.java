package dev.custodian.server.requests;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.decision.Action;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.enforce.PolicyConsentService;
import dev.custodian.policy.scope.Interaction;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Task;

/**
 * {@code GET [base]/Task/$access-request-queue}: health information management staff's work queue —
 * every open request for copies (requested, accepted, in progress), soonest due first, each entry
 * flagged {@value #EXT_OVERDUE} true when its due date has passed. A {@code collection} Bundle; every
 * request in it is decided by the policy (HIM staff may read requests). Anyone else gets 403 before
 * anything is looked up: the queue is theirs alone.
 */
public class AccessRequestQueueOperation {

  public static final String NAME = "$access-request-queue";
  public static final String EXT_OVERDUE = "https://custodian.dev/fhir/StructureDefinition/copy-request-overdue";

  private final CopyRequestAccess access;
  private final CopyRequestStore store;
  private final Clock clock;

  public AccessRequestQueueOperation(CopyRequestAccess access, CopyRequestStore store, Clock clock) {
    this.access = access;
    this.store = store;
    this.clock = clock;
  }

  @Operation(name = NAME, type = Task.class, idempotent = true)
  public Bundle queue(RequestDetails request) {
    Caller caller = access.caller(request);
    CopyRequestAccess.requireStaff(caller, Interaction.SEARCH);
    Instant now = clock.instant();
    List<Task> open = store.open().stream()
        .sorted(Comparator.comparing(CopyRequestTask::due).thenComparing(t -> t.getIdElement().getIdPart()))
        .toList();
    Bundle queue = new Bundle().setType(Bundle.BundleType.COLLECTION);
    for (Task task : open) {
      Decision decision = access.policy().decide(caller, Action.SEARCH, task);
      PolicyConsentService.recordSelfJudged(request, task, decision);
      if (decision.isPermitted()) {
        Bundle.BundleEntryComponent entry = queue.addEntry().setResource(task);
        entry.addExtension(EXT_OVERDUE, new BooleanType(CopyRequestTask.due(task).isBefore(now)));
      }
    }
    return queue;
  }
}
