package dev.custodian.server.fhir;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Writes a one-issue OperationOutcome as the whole response, for refusals made before HAPI's
 * servlet runs (servlet filters, Spring Security), so they look like the FHIR endpoint's own.
 */
public final class OperationOutcomeResponse {

  private OperationOutcomeResponse() {}

  public static void write(
      HttpServletResponse response, FhirContext fhirContext, int status,
      OperationOutcome.IssueType code, String diagnostics) throws IOException {
    OperationOutcome outcome = new OperationOutcome();
    outcome.addIssue()
        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
        .setCode(code)
        .setDiagnostics(diagnostics);
    response.setStatus(status);
    response.setContentType("application/fhir+json;charset=UTF-8");
    response.getOutputStream().write(
        fhirContext.newJsonParser().encodeResourceToString(outcome).getBytes(StandardCharsets.UTF_8));
  }
}
