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
import java.util.UUID;

/**
 * One DICOMweb request as the audit trail records it: who, what (the ImagingStudies touched, with
 * the policy's decision on each), the outcome, and the request id (the client's {@code X-Request-ID}
 * or a new one, echoed). Recorded before the response completes — for WADO-RS after the last byte
 * was written, so a stream that broke off (a tampered blob) is recorded as the failure it was.
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

    /** Writes the record; the audit trail's failure fails the request. */
    void record(int status) {
      String url = request.getRequestURL() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
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
