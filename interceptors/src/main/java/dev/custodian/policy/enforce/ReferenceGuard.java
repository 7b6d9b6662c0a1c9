package dev.custodian.policy.enforce;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.util.ResourceReferenceInfo;
import dev.custodian.policy.AccessPolicy;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.decision.Action;
import dev.custodian.policy.scope.ScopeSet;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * A write may refer only to records its caller could see. The storage layer checks that every
 * reference of a write points to a stored record (referential integrity) and answers a missing
 * target with an error, so without this guard a write would tell a record the caller may not see
 * (stored: accepted) from one that does not exist (refused): an existence oracle, and a link from
 * one patient's record to another's made by someone who sees only one of them.
 *
 * <p>On create, every local reference {@code Type/id} of the new record; on update, every
 * reference the update adds: the target is looked up as the server ({@link RecordLookup}) and the
 * policy asked whether the caller may READ it — with the caller's relationships and purpose, not its
 * token's resource-type limits (a token for writing reports may still name the patient). A target
 * that does not exist and one the caller may not see get the same 400: {@code Resource Type/id is
 * not known}. Conditional references ({@code Type?search}) would search hidden records and are
 * refused alike. Runs after {@link WriteGuard} (a write the caller may not make at all is refused
 * with 403 whatever it refers to); the server's own writes are not judged.
 */
@Interceptor(order = ReferenceGuard.AFTER_WRITE_GUARD)
public final class ReferenceGuard {

  /**
   * After the write guard and the server's other checks of a write on the same pointcuts (their
   * orders: WriteGuard 0, the review-item integrity check 100): HAPI orders by the class's order.
   */
  static final int AFTER_WRITE_GUARD = 200;

  private final AccessPolicy policy;
  private final CallerResolver resolver;
  private final RecordLookup records;
  private final FhirContext fhir = FhirContext.forR4Cached();

  public ReferenceGuard(AccessPolicy policy, CallerResolver resolver, RecordLookup records) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.records = Objects.requireNonNull(records, "records");
  }

  @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = AFTER_WRITE_GUARD)
  public void create(IBaseResource resource, RequestDetails request) {
    check(resource, Set.of(), request);
  }

  @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = AFTER_WRITE_GUARD)
  public void update(IBaseResource stored, IBaseResource updated, RequestDetails request) {
    check(updated, references(stored), request);
  }

  private void check(IBaseResource written, Set<String> alreadyThere, RequestDetails request) {
    if (request == null || request instanceof SystemRequestDetails) {
      return; // the server's own writes; a write without a request was refused by the write guard
    }
    Caller caller = Callers.resolve(request, resolver);
    if (caller == null) {
      return; // refused by the write guard
    }
    Caller seeing = withReadScopes(caller);
    for (ResourceReferenceInfo info : fhir.newTerser().getAllResourceReferences(written)) {
      String reference = info.getResourceReference().getReferenceElement().getValue();
      if (reference == null || reference.startsWith("#") || alreadyThere.contains(reference)) {
        continue;
      }
      if (reference.contains("?")) {
        throw notKnown(reference, info);
      }
      IIdType id = new IdType(reference);
      if (id.isAbsolute() || !id.hasResourceType() || !id.hasIdPart()) {
        continue; // another server's record, or a form the storage layer refuses itself
      }
      String local = id.getResourceType() + "/" + id.getIdPart();
      Optional<IBaseResource> target = records.find(local);
      if (target.isEmpty() || !policy.decide(seeing, Action.READ, target.get()).isPermitted()) {
        throw notKnown(reference, info);
      }
    }
  }

  private Set<String> references(IBaseResource resource) {
    Set<String> found = new HashSet<>();
    for (ResourceReferenceInfo info : fhir.newTerser().getAllResourceReferences(resource)) {
      String value = info.getResourceReference().getReferenceElement().getValue();
      if (value != null) {
        found.add(value);
      }
    }
    return found;
  }

  /** The caller with read scopes for every type in each of its scope contexts. */
  private static Caller withReadScopes(Caller caller) {
    String scopes = caller.scopes().contexts().stream()
        .map(context -> context.code() + "/*.rs")
        .collect(Collectors.joining(" "));
    return new Caller(caller.fhirUser(), caller.clientId(), caller.roles(), caller.organization(),
        scopes.isEmpty() ? ScopeSet.empty() : ScopeSet.parse(scopes), caller.launchPatient(), caller.purpose(),
        caller.breakGlassReason(), caller.tokenId());
  }

  static InvalidRequestException notKnown(String reference, ResourceReferenceInfo info) {
    String message = "Resource " + reference + " is not known (referenced in " + info.getName() + ")";
    OperationOutcome outcome = new OperationOutcome();
    outcome.addIssue()
        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
        .setCode(OperationOutcome.IssueType.NOTFOUND)
        .setDiagnostics(message);
    return new InvalidRequestException(message, outcome);
  }
}
