package dev.custodian.server.policy.breakglass;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import dev.custodian.policy.resource.ReviewQueue;
import java.util.EnumSet;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Task;

/**
 * A review item records an emergency access; reviewing it must not rewrite that record. The policy
 * decides who may update a review item (auditors and privacy officers, {@code OversightRule}); this
 * storage interceptor, which runs after the write guard, decides what an update may change:
 *
 * <ul>
 *   <li>{@code status} from requested or in-progress to in-progress or completed — a completed review
 *       is final;</li>
 *   <li>{@code note}: notes are appended, never changed or removed; completing a review needs a new
 *       note (the reviewer's finding);</li>
 *   <li>{@code statusReason}, {@code businessStatus}, {@code lastModified} and {@code output};</li>
 *   <li>nothing else: code, patient, requester, owner, reason, window and identifiers stay as the
 *       server wrote them.</li>
 * </ul>
 *
 * Anything else is refused with 422 and an OperationOutcome saying what. The server's own writes are
 * not checked.
 */
@Interceptor(order = 100)
public class ReviewItemIntegrity {

  private static final Set<Task.TaskStatus> OPEN = EnumSet.of(Task.TaskStatus.REQUESTED, Task.TaskStatus.INPROGRESS);
  private static final Set<Task.TaskStatus> REVIEW_STATUSES =
      EnumSet.of(Task.TaskStatus.REQUESTED, Task.TaskStatus.INPROGRESS, Task.TaskStatus.COMPLETED);

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
  public void update(IBaseResource stored, IBaseResource updated, RequestDetails request) {
    if (request instanceof SystemRequestDetails || !ReviewQueue.isReviewItem(stored)) {
      return;
    }
    Task before = (Task) stored;
    if (!(updated instanceof Task after) || !ReviewQueue.isReviewItem(after)) {
      throw refuse("A review item stays a review item (its code cannot change).");
    }
    if (!OPEN.contains(before.getStatus())) {
      throw refuse("This review is " + before.getStatus().toCode() + "; a finished review is final.");
    }
    if (!REVIEW_STATUSES.contains(after.getStatus())) {
      throw refuse("A review's status is requested, in-progress or completed, not "
          + (after.getStatus() == null ? "missing" : after.getStatus().toCode()) + ".");
    }
    int kept = before.getNote().size();
    if (after.getNote().size() < kept) {
      throw refuse("Notes of a review item are appended, never removed.");
    }
    for (int i = 0; i < kept; i++) {
      if (!before.getNote().get(i).equalsDeep(after.getNote().get(i))) {
        throw refuse("Notes of a review item are appended, never changed (note " + (i + 1) + " differs).");
      }
    }
    boolean noted = after.getNote().stream().skip(kept).anyMatch(n -> n.hasText() && !n.getText().isBlank());
    if (after.getStatus() == Task.TaskStatus.COMPLETED && !noted) {
      throw refuse("Completing a review needs a note with the reviewer's finding.");
    }
    if (!recorded(before).equalsDeep(recorded(after))) {
      throw refuse("A review may change status, statusReason, businessStatus, lastModified, output and add notes;"
          + " the record of the emergency access (code, patient, requester, owner, reason, window, identifiers)"
          + " stays as the server wrote it.");
    }
  }

  /** The Task without what a review may change. */
  private static Task recorded(Task task) {
    Task copy = task.copy();
    copy.setIdElement(null);
    copy.setMeta(null);
    copy.setText(null);
    copy.setStatus(null);
    copy.setStatusReason(null);
    copy.setBusinessStatus(null);
    copy.setLastModifiedElement(null);
    copy.getNote().clear();
    copy.getOutput().clear();
    return copy;
  }

  private static UnprocessableEntityException refuse(String message) {
    OperationOutcome outcome = new OperationOutcome();
    outcome.addIssue()
        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
        .setCode(OperationOutcome.IssueType.BUSINESSRULE)
        .setDiagnostics(message);
    return new UnprocessableEntityException(message, outcome);
  }
}
