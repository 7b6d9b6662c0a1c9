package dev.custodian.server.dicomweb;

import dev.custodian.audit.AccessRecord;
import dev.custodian.audit.AccessedResource;
import dev.custodian.audit.RestInteraction;
import dev.custodian.policy.caller.Caller;
import dev.custodian.server.audit.AuditTrail;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One DICOMweb request as the audit trail records it: who, what (the ImagingStudies touched, with
 * the policy's decision on each), the outcome, and the request id (the client's {@code X-Request-ID}
 * or a new one, echoed). Recorded before the first byte of the answer leaves ({@link
 * HeldUntilRecorded}): at the end of the request for an answer that could be held back whole, before
 * it streams for a longer one; a stream that then broke off (a tampered blob) gets a second record,
 * of the failure it was.
 */
class DicomwebAudit {

  static final String REQUEST_ID = "X-Request-ID";

  private final AuditTrail trail;
  private final Clock clock;

  DicomwebAudit(AuditTrail trail, Clock clock) {
    this.trail = trail;
    this.clock = clock;
  }

  /** What one request did, filled in as it runs. */
  final class Entry {
    private final HttpServletRequest request;
    private final String requestId;
    private final RestInteraction interaction;
    private final Caller caller;
    private final List<AccessedResource> resources = new ArrayList<>();
    private String requestedReference;
    private String failure;
    private boolean recorded;
    /** The failure as the written record has it. */
    private String recordedFailure;
    private boolean unrecordable;

    private Entry(HttpServletRequest request, String requestId, RestInteraction interaction, Caller caller) {
      this.request = request;
      this.requestId = requestId;
      this.interaction = interaction;
      this.caller = caller;
    }

    void touched(AccessedResource resource) {
      resources.add(resource);
    }

    void requested(String reference) {
      requestedReference = reference;
    }

    void failed(String description) {
      failure = failure == null ? description : failure + "; " + description;
    }

    /** Whether a record of this request could not be written: its answer must not leave. */
    boolean unrecordable() {
      return unrecordable;
    }

    /**
     * Writes the record before the first byte of the answer leaves ({@link HeldUntilRecorded}), with
     * what the request did so far; throws {@link NotRecorded} when it cannot be written.
     */
    void recordBeforeAnswer(int status) {
      if (!recorded) {
        write(status);
      }
    }

    /**
     * At the end of the request: writes the record unless it was written before the answer; when the
     * request failed after that (a stream broken off by a tampered instance), writes a second record
     * with the failure. Throws {@link NotRecorded} when it cannot be written.
     */
    void recordAtEnd(int status) {
      if (unrecordable) {
        return; // the answer was withheld, and the failure logged
      }
      if (!recorded || !Objects.equals(failure, recordedFailure)) {
        write(status);
      }
    }

    private void write(int status) {
      if (unrecordable) {
        throw new NotRecorded(null);
      }
      String url = request.getRequestURL() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
      try {
        trail.record(AccessRecord.builder()
            .recorded(clock.instant())
            .interaction(interaction)
            .caller(caller)
            .httpStatus(status)
            .requestId(requestId)
            .requestUrl(url)
            .clientAddress(request.getRemoteAddr())
            .requestedReference(requestedReference)
            .resources(resources)
            .failure(failure)
            .build());
      } catch (RuntimeException notWritten) {
        unrecordable = true;
        throw new NotRecorded(notWritten);
      }
      recorded = true;
      recordedFailure = failure;
    }
  }

  /** The audit record of a request could not be written: nothing of its answer may leave. */
  static final class NotRecorded extends RuntimeException {
    NotRecorded(Throwable cause) {
      super("the audit record could not be written", cause);
    }
  }

  /** Starts the record of a request and echoes its request id. */
  Entry begin(HttpServletRequest request, HttpServletResponse response, RestInteraction interaction, Caller caller) {
    String requestId = request.getHeader(REQUEST_ID);
    if (requestId == null || !requestId.matches("[A-Za-z0-9._-]{1,200}")) {
      requestId = UUID.randomUUID().toString();
    }
    response.setHeader(REQUEST_ID, requestId);
    return new Entry(request, requestId, interaction, caller);
  }
}
