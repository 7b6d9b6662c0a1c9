package dev.custodian.server.fhir.batch;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.util.DateUtils;
import dev.custodian.server.policy.RequestScopedFacts;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

/**
 * Answers a batch by running each entry through the FHIR endpoint as the single request it stands
 * for, one after the other, and collecting the answers in a batch-response: every entry meets the
 * very same guards, policy decisions, projections, hidden-as-missing answers and audit events as that
 * request alone would, because it is handled by the same code. Entries fail one by one.
 */
final class BatchDispatcher {

  private final RestfulServer server;
  private final FhirContext fhir;

  BatchDispatcher(RestfulServer server) {
    this.server = server;
    this.fhir = server.getFhirContext();
  }

  Bundle run(Bundle batch, HttpServletRequest request, HttpServletResponse response, String base) {
    Bundle answer = new Bundle().setType(Bundle.BundleType.BATCHRESPONSE);
    for (Bundle.BundleEntryComponent entry : batch.getEntry()) {
      answer.addEntry(runEntry(entry, request, response, base));
    }
    return answer;
  }

  private Bundle.BundleEntryComponent runEntry(
      Bundle.BundleEntryComponent entry, HttpServletRequest request, HttpServletResponse response, String base) {
    Bundle.BundleEntryRequestComponent asked = entry.getRequest();
    String url = asked.getUrl() == null ? "" : asked.getUrl().trim();
    if (asked.getMethod() == null || asked.getMethod() == Bundle.HTTPVerb.NULL) {
      return failed(400, "A batch entry needs request.method.");
    }
    String path = url.startsWith("/") ? url.substring(1) : url;
    if (path.isEmpty() || path.startsWith("?") || path.contains("://") || path.startsWith("urn:") || path.contains("#")) {
      return failed(400, "A batch entry's request.url must be relative to the base and name a resource type ("
          + "no nested batch or transaction, no absolute URL).");
    }
    String method = asked.getMethod().toCode();
    byte[] body = null;
    String contentType = null;
    Resource resource = entry.getResource();
    if (asked.getMethod() == Bundle.HTTPVerb.POST || asked.getMethod() == Bundle.HTTPVerb.PUT
        || asked.getMethod() == Bundle.HTTPVerb.PATCH) {
      if (resource == null) {
        return failed(400, "A " + method + " entry needs a resource.");
      }
      if (asked.getMethod() == Bundle.HTTPVerb.PATCH && resource instanceof Binary patch) {
        body = patch.getData() == null ? new byte[0] : patch.getData();
        contentType = patch.getContentType();
      } else {
        body = fhir.newJsonParser().encodeResourceToString(resource).getBytes(StandardCharsets.UTF_8);
        contentType = Constants.CT_FHIR_JSON_NEW + ";charset=UTF-8";
      }
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (asked.hasIfMatch()) {
      headers.put(Constants.HEADER_IF_MATCH, asked.getIfMatch());
    }
    if (asked.hasIfNoneMatch()) {
      headers.put(Constants.HEADER_IF_NONE_MATCH, asked.getIfNoneMatch());
    }
    if (asked.hasIfNoneExist()) {
      headers.put(Constants.HEADER_IF_NONE_EXIST, asked.getIfNoneExist());
    }
    if (asked.hasIfModifiedSince()) {
      headers.put(Constants.HEADER_IF_MODIFIED_SINCE, DateUtils.formatDate(asked.getIfModifiedSince()));
    }
    EntryRequest single = new EntryRequest(request, method, path, body, contentType, headers);
    EntryResponse answer = new EntryResponse(response);
    RequestScopedFacts.forgetAnswers(); // each entry decided as a request of its own
    try {
      server.service(single, answer);
    } catch (ServletException | IOException | RuntimeException e) {
      return failed(500, "The entry could not be processed.");
    } finally {
      RequestScopedFacts.forgetAnswers();
    }
    return toEntry(answer, base);
  }

  private Bundle.BundleEntryComponent toEntry(EntryResponse answer, String base) {
    Bundle.BundleEntryComponent entry = new Bundle.BundleEntryComponent();
    Bundle.BundleEntryResponseComponent response = entry.getResponse().setStatus(status(answer.status()));
    if (answer.getHeader(Constants.HEADER_LOCATION) != null) {
      response.setLocation(answer.getHeader(Constants.HEADER_LOCATION));
    } else if (answer.getHeader(Constants.HEADER_CONTENT_LOCATION) != null) {
      response.setLocation(answer.getHeader(Constants.HEADER_CONTENT_LOCATION));
    }
    if (answer.getHeader(Constants.HEADER_ETAG) != null) {
      response.setEtag(answer.getHeader(Constants.HEADER_ETAG));
    }
    if (answer.getHeader(Constants.HEADER_LAST_MODIFIED) != null) {
      response.setLastModified(DateUtils.parseDate(answer.getHeader(Constants.HEADER_LAST_MODIFIED)));
    }
    byte[] body = answer.body();
    if (body.length > 0) {
      IBaseResource resource;
      try {
        resource = fhir.newJsonParser().parseResource(new String(body, StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        resource = null; // not a FHIR resource: nothing to pass on
      }
      if (resource instanceof OperationOutcome outcome && answer.status() >= 400) {
        response.setOutcome(outcome);
      } else if (resource instanceof Resource found) {
        entry.setResource(found);
        if (found.getIdElement().hasIdPart() && base != null) {
          entry.setFullUrl(base + "/" + found.fhirType() + "/" + found.getIdElement().getIdPart());
        }
      }
    }
    return entry;
  }

  private static Bundle.BundleEntryComponent failed(int status, String message) {
    Bundle.BundleEntryComponent entry = new Bundle.BundleEntryComponent();
    OperationOutcome outcome = new OperationOutcome();
    outcome.addIssue()
        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
        .setCode(status >= 500 ? OperationOutcome.IssueType.EXCEPTION : OperationOutcome.IssueType.INVALID)
        .setDiagnostics(message);
    entry.getResponse().setStatus(status(status)).setOutcome(outcome);
    return entry;
  }

  private static String status(int code) {
    String name = Constants.HTTP_STATUS_NAMES.get(code);
    return name == null ? String.valueOf(code) : code + " " + name;
  }
}
