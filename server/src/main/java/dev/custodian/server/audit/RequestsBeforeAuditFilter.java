package dev.custodian.server.audit;

import dev.custodian.server.audit.store.RequestsBeforeAudit;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Counts every request from the moment the server takes it until it reaches the audit trail or ends
 * ({@link RequestsBeforeAudit}) — except uploads: a request whose body is larger than
 * {@link #COUNTED_BODY_BYTES} or of unknown length (chunked) may take seconds or minutes to arrive, and
 * while it was counted every commit under load waited its full limit for it.
 */
public class RequestsBeforeAuditFilter extends OncePerRequestFilter {

  /** The largest body of a counted request: a FHIR resource or a small bundle, not a DICOM study. */
  static final long COUNTED_BODY_BYTES = 256 * 1024;

  private final RequestsBeforeAudit requests;

  public RequestsBeforeAuditFilter(RequestsBeforeAudit requests) {
    this.requests = requests;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (isUpload(request)) {
      chain.doFilter(request, response);
      return;
    }
    requests.enter();
    try {
      chain.doFilter(request, response);
    } finally {
      requests.leave();
    }
  }

  private static boolean isUpload(HttpServletRequest request) {
    return request.getContentLengthLong() > COUNTED_BODY_BYTES || request.getHeader("Transfer-Encoding") != null;
  }
}
