package dev.custodian.server.dicomweb;

import dev.custodian.server.audit.UnauthenticatedAccessAudit;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.stereotype.Component;

/**
 * A DICOMweb request without a valid bearer token: 401 with the standard {@code WWW-Authenticate}
 * header and a one-line reason; the attempt is recorded in the audit trail.
 */
@Component
public class DicomwebUnauthorizedEntryPoint implements AuthenticationEntryPoint {

  private final BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
  private final UnauthenticatedAccessAudit audit;

  public DicomwebUnauthorizedEntryPoint(UnauthenticatedAccessAudit audit) {
    this.audit = audit;
  }

  @Override
  public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
      throws IOException {
    audit.record(request, response, failure.getMessage());
    bearer.commence(request, response, failure);
    DicomwebServlet.error(response, HttpServletResponse.SC_UNAUTHORIZED,
        "A valid bearer access token from this server's SMART authorization server is required.");
  }
}
