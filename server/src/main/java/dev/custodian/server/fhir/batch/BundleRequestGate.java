package dev.custodian.server.fhir.batch;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.RestfulServerUtils;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * The door for posts to the FHIR base ({@code POST /fhir}): the body must be a Bundle of type batch
 * or transaction with at most {@link BatchProperties#maxEntries()} entries (else 400 or 413, before
 * any entry runs). A batch is then answered here, entry by entry, by the {@link BatchDispatcher}; a
 * transaction goes on to HAPI, whose entries the {@code TransactionEntryGuard} judges first.
 */
@Interceptor
public final class BundleRequestGate {

  private final RestfulServer server;
  private final BatchDispatcher batches;
  private final int maxEntries;

  public BundleRequestGate(RestfulServer server, BatchProperties properties) {
    this.server = Objects.requireNonNull(server, "server");
    this.batches = new BatchDispatcher(server);
    this.maxEntries = properties.maxEntries();
  }

  /** Returns false once it has answered the request itself (a batch). */
  @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
  public boolean route(RequestDetails request, HttpServletRequest servletRequest, HttpServletResponse servletResponse)
      throws IOException {
    boolean toBase = (request.getResourceName() == null || request.getResourceName().isBlank())
        && (request.getOperation() == null || request.getOperation().isBlank());
    if (request.getRequestType() != RequestTypeEnum.POST || !toBase) {
      return true;
    }
    Bundle bundle = parse(request);
    if (bundle.getType() != Bundle.BundleType.BATCH && bundle.getType() != Bundle.BundleType.TRANSACTION) {
      throw invalid("The body of a POST to the base must be a Bundle of type batch or transaction, not "
          + (bundle.getType() == null ? "a Bundle without a type" : bundle.getType().toCode()) + ".");
    }
    if (bundle.getEntry().size() > maxEntries) {
      throw new PayloadTooLargeException("A " + bundle.getType().toCode() + " may hold at most " + maxEntries
          + " entries; this one holds " + bundle.getEntry().size() + ". Split it.");
    }
    if (bundle.getType() == Bundle.BundleType.TRANSACTION) {
      return true;
    }
    Bundle answer = batches.run(bundle, servletRequest, servletResponse, request.getFhirServerBase());
    write(request, servletResponse, answer);
    return false;
  }

  private Bundle parse(RequestDetails request) {
    byte[] body = request.loadRequestContents();
    if (body == null || body.length == 0) {
      throw invalid("A POST to the base needs a Bundle of type batch or transaction as its body.");
    }
    EncodingEnum encoding = RestfulServerUtils.determineRequestEncodingNoDefault(request);
    if (encoding == null) {
      encoding = firstNonBlank(body) == '<' ? EncodingEnum.XML : EncodingEnum.JSON;
    }
    try {
      return encoding.newParser(server.getFhirContext())
          .parseResource(Bundle.class, new String(body, StandardCharsets.UTF_8));
    } catch (DataFormatException | ClassCastException e) {
      throw invalid("The body is not a valid FHIR Bundle: " + e.getMessage());
    }
  }

  private static char firstNonBlank(byte[] body) {
    for (byte b : body) {
      if (!Character.isWhitespace(b)) {
        return (char) b;
      }
    }
    return ' ';
  }

  private void write(RequestDetails request, HttpServletResponse response, Bundle answer) throws IOException {
    EncodingEnum encoding = RestfulServerUtils.determineResponseEncodingWithDefault(request).getEncoding();
    byte[] bytes = encoding.newParser(server.getFhirContext()).encodeResourceToString(answer)
        .getBytes(StandardCharsets.UTF_8);
    response.setStatus(200);
    response.setContentType(encoding.getResourceContentTypeNonLegacy() + ";charset=UTF-8");
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
    response.flushBuffer();
  }

  static InvalidRequestException invalid(String message) {
    OperationOutcome outcome = new OperationOutcome();
    outcome.addIssue()
        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
        .setCode(OperationOutcome.IssueType.INVALID)
        .setDiagnostics(message);
    return new InvalidRequestException(message, outcome);
  }
}
