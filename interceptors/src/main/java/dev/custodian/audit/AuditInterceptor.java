package dev.custodian.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.enforce.Callers;
import dev.custodian.policy.enforce.PolicyConsentService;
import dev.custodian.policy.resource.PatientCompartment;
import dev.custodian.policy.resource.References;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.IdType;

/**
 * Records every FHIR access, permitted or refused, in the audit trail before the response leaves:
 * who (the resolved Caller), what (the resources the policy decided about, with its decisions),
 * when, the outcome, the request id (HAPI's {@code X-Request-ID}, taken from the client or
 * generated, and echoed) and the client's address. Runs after the consent service, so the
 * decisions of the request are known.
 */
@Interceptor(order = 1000)
public final class AuditInterceptor {

  private static final String DONE = AuditInterceptor.class.getName() + ".recorded";

  private final AuditSink sink;
  private final PatientCompartment compartment;
  private final Clock clock;

  public AuditInterceptor(AuditSink sink, FhirContext context, Clock clock) {
    this.sink = sink;
    this.compartment = new PatientCompartment(context);
    this.clock = clock;
  }

  @Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = 1000)
  public void responded(RequestDetails request, ResponseDetails response) {
    int status = response.getResponseCode() > 0 ? response.getResponseCode() : 200;
    IBaseResource body = response.getResponseResource();
    record(request, status, null, body);
  }

  @Hook(value = Pointcut.SERVER_HANDLE_EXCEPTION, order = 1000)
  public boolean failed(RequestDetails request, BaseServerResponseException exception) {
    record(request, exception.getStatusCode(), exception.getMessage(), null);
    return true;
  }

  private void record(RequestDetails request, int status, String failure, IBaseResource body) {
    if (request.getUserData().put(DONE, Boolean.TRUE) != null) {
      return; // once per request
    }
    if (request.getRestOperationType() == RestOperationTypeEnum.METADATA) {
      return; // the public CapabilityStatement is not a record of anyone's
    }
    if (request.getRestOperationType() == RestOperationTypeEnum.TRANSACTION
        && request.getResource() instanceof Bundle transaction && !transaction.getEntry().isEmpty()) {
      recordEntries(request, transaction, status, failure, body);
      return;
    }
    Optional<RestInteraction> interaction = RestInteraction.of(request.getRestOperationType());
    if (interaction.isEmpty() || request.getRestOperationType() == null) {
      interaction = Optional.of(RestInteraction.OPERATION);
    }
    List<AccessedResource> touched = touched(request, body);
    AccessRecord.Builder access = AccessRecord.builder()
        .recorded(clock.instant())
        .interaction(interaction.get())
        .caller(Callers.of(request))
        .httpStatus(status)
        .requestId(request.getRequestId() != null ? request.getRequestId() : "unknown")
        .requestUrl(requestUrl(request))
        .resources(touched)
        .failure(failure)
        .consentChange(ConsentChange.of(interaction.get(), body instanceof Consent ? body : request.getResource()));
    if (request instanceof ServletRequestDetails servlet && servlet.getServletRequest() != null) {
      access.clientAddress(servlet.getServletRequest().getRemoteAddr());
    }
    if (request.getId() != null && request.getId().hasIdPart() && request.getResourceName() != null) {
      String requested = request.getResourceName() + "/" + request.getId().getIdPart();
      if (touched.stream().anyMatch(r -> r.reference().equals(requested))) {
        access.requestedReference(requested);
      } else {
        // a refused or missing resource may not exist: name it in the outcome text, not as a
        // reference the database would have to resolve
        access.failure((failure == null ? "" : failure + " ") + "(requested " + requested + ")");
      }
    }
    sink.record(access.build());
  }

  /**
   * A transaction: one event per entry, as the entry alone would have produced — its interaction, its
   * URL, its own status (or, when the transaction failed, the transaction's: no entry took effect) and
   * the record it wrote.
   */
  private void recordEntries(RequestDetails request, Bundle transaction, int status, String failure, IBaseResource body) {
    List<Bundle.BundleEntryComponent> answers = failure == null && body instanceof Bundle response
        ? response.getEntry() : List.of();
    String base = request.getFhirServerBase() == null ? "" : request.getFhirServerBase();
    for (int i = 0; i < transaction.getEntry().size(); i++) {
      Bundle.BundleEntryComponent entry = transaction.getEntry().get(i);
      Bundle.BundleEntryResponseComponent answer = i < answers.size() ? answers.get(i).getResponse() : null;
      String url = entry.getRequest().getUrl() == null ? "" : entry.getRequest().getUrl();
      AccessRecord.Builder access = AccessRecord.builder()
          .recorded(clock.instant())
          .interaction(entryInteraction(entry.getRequest().getMethod()))
          .caller(Callers.of(request))
          .httpStatus(answer != null ? entryStatus(answer.getStatus(), status) : status)
          .requestId(request.getRequestId() != null ? request.getRequestId() : "unknown")
          .requestUrl(base + "/" + url)
          .failure(failure == null ? null : failure + " (transaction entry " + i + ": " + url + ")")
          .consentChange(ConsentChange.of(entryInteraction(entry.getRequest().getMethod()), entry.getResource()));
      if (answer != null && answer.hasLocation()) {
        IdType written = new IdType(answer.getLocation());
        String reference = written.getResourceType() + "/" + written.getIdPart();
        if (written.hasResourceType() && written.hasIdPart() && References.isReference(reference)) {
          Set<String> owners = entry.getResource() == null ? Set.of() : compartment.owners(entry.getResource()).stream()
              .filter(owner -> owner.startsWith("Patient/") && References.isReference(owner))
              .collect(Collectors.toSet());
          access.resource(new AccessedResource(reference, written.getVersionIdPart(), owners, null));
        }
      }
      if (request instanceof ServletRequestDetails servlet && servlet.getServletRequest() != null) {
        access.clientAddress(servlet.getServletRequest().getRemoteAddr());
      }
      sink.record(access.build());
    }
  }

  private static RestInteraction entryInteraction(Bundle.HTTPVerb verb) {
    if (verb == null) {
      return RestInteraction.OPERATION;
    }
    return switch (verb) {
      case POST -> RestInteraction.CREATE;
      case PUT -> RestInteraction.UPDATE;
      case PATCH -> RestInteraction.PATCH;
      case DELETE -> RestInteraction.DELETE;
      case GET, HEAD -> RestInteraction.READ;
      default -> RestInteraction.OPERATION;
    };
  }

  private static int entryStatus(String status, int otherwise) {
    try {
      return Integer.parseInt(status.trim().split("\\s+")[0]);
    } catch (RuntimeException e) {
      return otherwise;
    }
  }

  /** Each resource the policy decided about in this request, once, with its decision. */
  private List<AccessedResource> touched(RequestDetails request, IBaseResource body) {
    Map<String, AccessedResource> byReference = new LinkedHashMap<>();
    for (Map.Entry<IBaseResource, Decision> entry : PolicyConsentService.decisions(request).entrySet()) {
      add(byReference, entry.getKey(), entry.getValue());
    }
    // a create or update answered with the stored resource: the data written
    boolean write = request.getRestOperationType() != null && switch (request.getRestOperationType()) {
      case CREATE, UPDATE, PATCH -> true;
      default -> false;
    };
    if (write && body != null && !(body instanceof IBaseBundle) && !(body instanceof IBaseOperationOutcome)) {
      add(byReference, body, null);
    }
    return new ArrayList<>(byReference.values());
  }

  private void add(Map<String, AccessedResource> byReference, IBaseResource resource, Decision decision) {
    var id = resource.getIdElement();
    if (id == null || !id.hasIdPart() || id.getIdPart().startsWith("#") || !id.hasResourceType()
        && resource.fhirType() == null) {
      return;
    }
    String reference = resource.fhirType() + "/" + id.getIdPart();
    if (resource instanceof IBaseBundle || !References.isReference(reference)) {
      // a Bundle is the answer's envelope, not data (a page's id may be no FHIR id at all)
      return;
    }
    if (byReference.containsKey(reference) && decision == null) {
      return;
    }
    AccessedResource accessed = new AccessedResource(
        reference, id.getVersionIdPart(), compartment.owners(resource), decision);
    byReference.put(reference, accessed);
  }

  private static String requestUrl(RequestDetails request) {
    String url = request.getCompleteUrl();
    return url != null ? url : String.valueOf(request.getRequestPath());
  }
}
