package dev.custodian.server.requests;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.decision.Action;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.enforce.PolicyConsentService;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.springframework.transaction.support.TransactionTemplate;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;

/**
 * What health information management staff do with a request for copies, each a {@code POST} on
 * {@code Task/{id}} with a Parameters body, answering the updated Task:
 *
 * <ul>
 *   <li>{@code $verify-identity} ({@code method}: how the patient's identity was verified) —
 *       requested → accepted;</li>
 *   <li>{@code $extend} ({@code days} 1–30, {@code reason}) — once, before the due date; the reason is
 *       on the request for the patient to read;</li>
 *   <li>{@code $fulfil} (optional {@code note}) — accepted → completed: for share-link and
 *       portal-download delivery a share link to the requested studies and their reports, its id and
 *       expiry put on the request ({@code output}) for the patient — never its URL, which she obtains
 *       by reissuing the link; for mailed media and pickup the note;</li>
 *   <li>{@code $reject} ({@code reason}) — an open request → rejected, the reason as
 *       {@code statusReason}.</li>
 * </ul>
 *
 * Who: see {@link CopyRequestAccess#forStaff} (401, 404 as for a missing request, 403). A request in
 * a state that does not allow the step, a second extension or one past the due date: 422. Fulfilment,
 * extension and rejection each tell the patient in a notice ({@link CopyRequestNotices}), written in
 * the same transaction as the request. Every step is
 * audited with the request (so it shows in the patient's access log); fulfilment also with each
 * record released.
 */
public class CopyRequestStaffOperations {

  public static final String VERIFY_IDENTITY = "$verify-identity";
  public static final String EXTEND = "$extend";
  public static final String FULFIL = "$fulfil";
  public static final String REJECT = "$reject";
  static final int MIN_TEXT = 10;
  static final int MAX_TEXT = 2000;

  private final CopyRequestAccess access;
  private final CopyRequestStore store;
  private final PatientRecords records;
  private final DigitalCopies digital;
  private final CopyRequestNotices notices;
  private final CopyRequestProperties properties;
  private final TransactionTemplate transactions;
  private final Clock clock;

  public CopyRequestStaffOperations(CopyRequestAccess access, CopyRequestStore store, PatientRecords records,
      DigitalCopies digital, CopyRequestNotices notices, CopyRequestProperties properties,
      TransactionTemplate transactions, Clock clock) {
    this.access = access;
    this.store = store;
    this.records = records;
    this.digital = digital;
    this.notices = notices;
    this.properties = properties;
    this.transactions = transactions;
    this.clock = clock;
  }

  @Operation(name = VERIFY_IDENTITY, type = Task.class, idempotent = false, returnParameters = {})
  public Task verifyIdentity(
      @IdParam IdType id,
      @OperationParam(name = "method", min = 0, max = 1, typeName = "string") IPrimitiveType<String> method,
      RequestDetails request) {
    CopyRequestAccess.Visible visible = access.forStaff(id, request);
    Task task = visible.task();
    String how = text(method, "method", "how the patient's identity was verified");
    if (task.getStatus() != Task.TaskStatus.REQUESTED || CopyRequestTask.isIdentityVerified(task)) {
      throw Refusals.businessRule("The identity is verified once, on a request that is still 'requested' (this one is "
          + task.getStatus().toCode() + ").");
    }
    Instant now = now();
    CopyRequestTask.recordIdentityVerified(task, visible.caller().fhirUser(), how, now);
    task.setStatus(Task.TaskStatus.ACCEPTED);
    return save(task, now, visible, request);
  }

  @Operation(name = EXTEND, type = Task.class, idempotent = false, returnParameters = {})
  public Task extend(
      @IdParam IdType id,
      @OperationParam(name = "days", min = 0, max = 1, typeName = "integer") IPrimitiveType<Integer> daysParam,
      @OperationParam(name = "reason", min = 0, max = 1, typeName = "string") IPrimitiveType<String> reasonParam,
      RequestDetails request) {
    CopyRequestAccess.Visible visible = access.forStaff(id, request);
    Task task = visible.task();
    long maxDays = properties.maxExtension().toDays();
    Integer days = daysParam == null ? null : daysParam.getValue();
    if (days == null || days < 1 || days > maxDays) {
      throw Refusals.badRequest("days: a whole number of days from 1 to " + maxDays + " is required.");
    }
    String reason = text(reasonParam, "reason", "the written reason for the delay, which the patient reads");
    if (!CopyRequestTask.isOpen(task)) {
      throw Refusals.businessRule("Only an open request can be extended (this one is " + task.getStatus().toCode() + ").");
    }
    if (CopyRequestTask.extension(task).isPresent()) {
      throw Refusals.businessRule("This request was extended already: the law allows one extension.");
    }
    Instant now = now();
    Instant due = CopyRequestTask.due(task);
    if (now.isAfter(due)) {
      throw Refusals.businessRule("This request is overdue: an extension must be given before the due date.");
    }
    Instant newDue = due.plus(Duration.ofDays(days));
    CopyRequestTask.recordExtension(task, visible.caller().fhirUser(), days, reason, now, newDue);
    return inTransaction(() -> saveAndNotify(task, now, visible, request, CopyRequestNotices.extended(days, newDue, reason)));
  }

  @Operation(name = FULFIL, type = Task.class, idempotent = false, returnParameters = {})
  public Task fulfil(
      @IdParam IdType id,
      @OperationParam(name = "note", min = 0, max = 1, typeName = "string") IPrimitiveType<String> noteParam,
      RequestDetails request) {
    CopyRequestAccess.Visible visible = access.forStaff(id, request);
    Task task = visible.task();
    if (task.getStatus() != Task.TaskStatus.ACCEPTED && task.getStatus() != Task.TaskStatus.INPROGRESS) {
      throw Refusals.businessRule(task.getStatus() == Task.TaskStatus.REQUESTED
          ? "Verify the patient's identity ($verify-identity) before fulfilling the request."
          : "Only an accepted request can be fulfilled (this one is " + task.getStatus().toCode() + ").");
    }
    Caller staff = visible.caller();
    Delivery delivery = CopyRequestTask.delivery(task);
    List<String> studies = released(task, staff, request);
    Instant now = now();
    String mediaNote = delivery.digital() ? null
        : noteParam == null || noteParam.getValueAsString() == null || noteParam.getValueAsString().isBlank()
            ? (delivery == Delivery.MAILED_MEDIA ? "Media mailed to the patient." : "Media ready for pickup.")
            : limited(noteParam.getValueAsString().strip(), "note");
    return inTransaction(() -> {
      String told;
      if (delivery.digital()) {
        DigitalCopies.Link link = digital.deliver(staff, CopyRequestTask.patient(task), studies,
            properties.linkValidity(), properties.linkMaxUses(), "Copies you requested (right of access)");
        CopyRequestTask.recordLink(task, link);
        told = CopyRequestNotices.linkReady(link, properties.linkMaxUses());
      } else {
        CopyRequestTask.recordDelivered(task, mediaNote);
        told = CopyRequestNotices.delivered(delivery, mediaNote);
      }
      task.setStatus(Task.TaskStatus.COMPLETED);
      return saveAndNotify(task, now, visible, request, told);
    });
  }

  @Operation(name = REJECT, type = Task.class, idempotent = false, returnParameters = {})
  public Task reject(
      @IdParam IdType id,
      @OperationParam(name = "reason", min = 0, max = 1, typeName = "string") IPrimitiveType<String> reasonParam,
      RequestDetails request) {
    CopyRequestAccess.Visible visible = access.forStaff(id, request);
    Task task = visible.task();
    String reason = text(reasonParam, "reason", "the reason for the denial, which the patient reads");
    if (!CopyRequestTask.isOpen(task)) {
      throw Refusals.businessRule("Only an open request can be rejected (this one is " + task.getStatus().toCode() + ").");
    }
    task.setStatus(Task.TaskStatus.REJECTED);
    task.setStatusReason(new CodeableConcept().setText(reason));
    Instant now = now();
    return inTransaction(() -> saveAndNotify(task, now, visible, request, CopyRequestNotices.rejected(reason)));
  }

  /**
   * The studies to release: every record the request names must be readable by the staff member now
   * (the policy lets HIM staff read exactly what an open, verified request names), each audited.
   */
  private List<String> released(Task task, Caller staff, RequestDetails request) {
    List<String> studies = new ArrayList<>();
    for (String reference : CopyRequestTask.records(task)) {
      Resource record = records.find(reference).orElse(null);
      if (record == null) {
        continue; // removed since the request: nothing of it to release
      }
      Action action = "ImagingStudy".equals(record.fhirType()) ? Action.RETRIEVE_DICOM : Action.READ;
      Decision decision = access.policy().decide(staff, action, record);
      PolicyConsentService.recordSelfJudged(request, record, decision);
      if (!decision.isPermitted()) {
        throw Refusals.businessRule("The policy does not release " + reference + " for this request.");
      }
      if ("ImagingStudy".equals(record.fhirType())) {
        studies.add(reference);
      }
    }
    if (studies.isEmpty()) {
      throw Refusals.businessRule("None of the requested studies is on record any more.");
    }
    return studies;
  }

  /**
   * The notice {@code told} to the patient, then the request itself: both in the caller's transaction,
   * so a request changed meanwhile by someone else (409) leaves no notice behind. The notice is named
   * in the step's audit event.
   */
  private Task saveAndNotify(Task task, Instant now, CopyRequestAccess.Visible visible, RequestDetails request,
      String told) {
    Communication notice = notices.send(task, visible.caller(), now, told);
    PolicyConsentService.recordSelfJudged(request, notice, visible.decision());
    return save(task, now, visible, request);
  }

  /** The link, the notice and the request are written in one transaction: all or nothing. */
  private Task inTransaction(java.util.function.Supplier<Task> work) {
    return transactions.execute(status -> work.get());
  }

  private Task save(Task task, Instant now, CopyRequestAccess.Visible visible, RequestDetails request) {
    task.setLastModifiedElement(CopyRequestTask.dateTime(now));
    Task saved = store.update(task);
    PolicyConsentService.recordSelfJudged(request, saved, visible.decision());
    return saved;
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  private static String text(IPrimitiveType<String> param, String name, String what) {
    String value = param == null || param.getValueAsString() == null ? "" : param.getValueAsString().strip();
    if (value.length() < MIN_TEXT) {
      throw Refusals.badRequest(name + ": " + what + " is required (at least " + MIN_TEXT + " characters).");
    }
    return limited(value, name);
  }

  private static String limited(String value, String name) {
    if (value.length() > MAX_TEXT) {
      throw Refusals.badRequest(name + " may be at most " + MAX_TEXT + " characters.");
    }
    return value;
  }
}
