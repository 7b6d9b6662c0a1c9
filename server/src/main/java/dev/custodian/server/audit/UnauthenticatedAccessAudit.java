package dev.custodian.server.audit;

import dev.custodian.audit.AccessRecord;
import dev.custodian.audit.RestInteraction;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.UUID;

/**
 * Records FHIR requests refused before HAPI sees them — no token, a malformed, expired, revoked or
 * foreign one — so attempts without credentials are in the audit trail too (outcome: failure, no
 * user). The request id is the client's {@code X-Request-ID} or a new one, echoed.
 */
public class UnauthenticatedAccessAudit {

  private static final String REQUEST_ID = "X-Request-ID";

  private final AuditTrail trail;
  private final Clock clock;

  public UnauthenticatedAccessAudit(AuditTrail trail, Clock clock) {
    this.trail = trail;
    this.clock = clock;
  }

  public void record(HttpServletRequest request, HttpServletResponse response, String reason) {
    String requestId = request.getHeader(REQUEST_ID);
    if (requestId == null || !requestId.matches("[A-Za-z0-9._-]{1,200}")) {
      requestId = UUID.randomUUID().toString();
    }
    response.setHeader(REQUEST_ID, requestId);
    String url = request.getRequestURL() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
    trail.record(AccessRecord.builder()
        .recorded(clock.instant())
        .interaction(interaction(request))
        .httpStatus(401)
        .requestId(requestId)
        .requestUrl(url)
        .clientAddress(request.getRemoteAddr())
        .failure("not authenticated: " + reason)
        .build());
  }

  /** Best guess from method and path; the request never reached the FHIR server to say exactly. */
  private static RestInteraction interaction(HttpServletRequest request) {
    String path = request.getRequestURI().replaceFirst("^.*/fhir/?", "");
    boolean instance = path.split("/").length >= 2 && !path.contains("$") && !path.contains("_search");
    return switch (request.getMethod()) {
      case "GET" -> instance ? RestInteraction.READ : RestInteraction.SEARCH_TYPE;
      case "POST" -> path.contains("$") ? RestInteraction.OPERATION : RestInteraction.CREATE;
      case "PUT" -> RestInteraction.UPDATE;
      case "DELETE" -> RestInteraction.DELETE;
      default -> RestInteraction.OPERATION;
    };
  }
}
