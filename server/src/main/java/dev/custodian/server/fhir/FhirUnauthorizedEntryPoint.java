package dev.custodian.server.fhir;

import ca.uhn.fhir.context.FhirContext;
import dev.custodian.server.audit.UnauthenticatedAccessAudit;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.stereotype.Component;

/**
 * A FHIR request without a valid bearer token: 401 with the standard {@code WWW-Authenticate}
 * header and an OperationOutcome that says only that a valid token is needed; the attempt is
 * recorded in the audit trail.
 */
@Component
public class FhirUnauthorizedEntryPoint implements AuthenticationEntryPoint {

  private final BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
  private final FhirContext fhirContext;
  private final UnauthenticatedAccessAudit audit;

  public FhirUnauthorizedEntryPoint(FhirContext fhirContext, UnauthenticatedAccessAudit audit) {
    this.fhirContext = fhirContext;
    this.audit = audit;
  }

  @Override
  public void commence(
      HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
      throws IOException {
    audit.record(request, response, failure.getMessage());
    bearer.commence(request, response, failure);
    OperationOutcomeResponse.write(response, fhirContext, HttpServletResponse.SC_UNAUTHORIZED,
        OperationOutcome.IssueType.LOGIN,
        "A valid bearer access token from this server's SMART authorization server is required.");
  }
}
