package dev.custodian.server.audit;

import dev.custodian.server.audit.store.RequestsBeforeAudit;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/** Counts every request from the moment the server takes it until it reaches the audit trail or ends. */
public class RequestsBeforeAuditFilter extends OncePerRequestFilter {

  private final RequestsBeforeAudit requests;

  public RequestsBeforeAuditFilter(RequestsBeforeAudit requests) {
    this.requests = requests;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    requests.enter();
    try {
      chain.doFilter(request, response);
    } finally {
      requests.leave();
    }
  }
}
