package dev.custodian.policy.enforce;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.util.ResourceReferenceInfo;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.scope.Interaction;
import java.util.Objects;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Judges a FHIR transaction entry by entry before HAPI runs any of it, so that a transaction can do
 * nothing its entries could not do as single requests, and fails as a whole when one entry is refused:
 *
 * <ul>
 *   <li>only writes by id: {@code POST Type}, {@code PUT Type/id}, {@code PATCH Type/id}. Reads and
 *       searches belong in a batch, where each entry runs as the single request it stands for (inside a
 *       transaction HAPI runs them after the writes, outside the request pipeline that hides what the
 *       caller may not see); deletes are refused as they are alone (405);</li>
 *   <li>no condition: {@code ifNoneExist}, a search URL instead of an id, {@code ifMatch} (the version
 *       check runs before the policy and would tell a hidden record from a missing one), and no
 *       conditional reference ({@code Type?search}) in any entry's resource — each would search records
 *       the caller may not see;</li>
 *   <li>each entry's resource is of the type its URL names (HAPI writes it by its own type);</li>
 *   <li>the token's scopes must permit each write (create, update) on its type, as {@link ScopeGuard}
 *       requires of a single request: 403.</li>
 * </ul>
 *
 * What each write may do is then decided where every write is: {@link WriteGuard} and
 * {@link ReferenceGuard} on the storage pointcuts, which HAPI calls for each entry inside the one
 * database transaction, so a refusal rolls back everything.
 */
public final class TransactionEntryGuard {

  private final CallerResolver resolver;
  private final FhirContext fhir = FhirContext.forR4Cached();

  public TransactionEntryGuard(CallerResolver resolver) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  /** Refuses {@code request} (a transaction) unless every entry is a write the caller's token allows. */
  public void check(RequestDetails request) {
    if (!(request.getResource() instanceof Bundle bundle)) {
      throw RequestShapeGuard.refuse("a transaction without a Bundle");
    }
    Caller caller = Callers.resolve(request, resolver);
    if (caller == null) {
      throw new AuthenticationException("A valid bearer access token is required.");
    }
    int index = 0;
    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
      checkEntry(caller, entry, index++);
    }
  }

  private void checkEntry(Caller caller, Bundle.BundleEntryComponent entry, int index) {
    Bundle.BundleEntryRequestComponent request = entry.getRequest();
    Bundle.HTTPVerb verb = request.getMethod();
    String url = request.getUrl() == null ? "" : request.getUrl().trim();
    String where = "entry " + index + ": ";
    if (verb == null || verb == Bundle.HTTPVerb.NULL) {
      throw RequestShapeGuard.refuse(where + "an entry without request.method");
    }
    if (verb == Bundle.HTTPVerb.DELETE) {
      throw RequestShapeGuard.noDeletes();
    }
    if (verb == Bundle.HTTPVerb.GET || verb == Bundle.HTTPVerb.HEAD) {
      throw RequestShapeGuard.refuse(where + "a read or search inside a transaction; send it in a batch");
    }
    if (request.hasIfNoneExist() || url.contains("?")) {
      throw RequestShapeGuard.refuse(where + "conditional " + verb.toCode());
    }
    if (request.hasIfMatch() || request.hasIfNoneMatch() || request.hasIfModifiedSince()) {
      throw RequestShapeGuard.refuse(where + "a version condition (If-Match) inside a transaction");
    }
    String[] parts = url.startsWith("/") ? url.substring(1).split("/", -1) : url.split("/", -1);
    String type = parts[0];
    boolean shapeOk = verb == Bundle.HTTPVerb.POST ? parts.length == 1 : parts.length == 2 && !parts[1].isBlank();
    if (type.isBlank() || !shapeOk || type.startsWith("$") || type.startsWith("_") || url.contains("$")
        || url.contains("_history") || url.contains(":")) {
      throw RequestShapeGuard.refuse(where + verb.toCode() + " " + url + " (only POST Type, PUT Type/id and PATCH Type/id)");
    }
    IBaseResource resource = entry.getResource();
    if (resource != null && verb != Bundle.HTTPVerb.PATCH && !type.equals(resource.fhirType())) {
      // HAPI writes the entry's resource by its own type, so a mismatch would let the URL's type pass
      // the scope check for a resource of another type
      throw RequestShapeGuard.refuse(where + "a " + resource.fhirType() + " under the URL " + url
          + " (an entry's resource must be of the type its URL names)");
    }
    Interaction interaction = verb == Bundle.HTTPVerb.POST ? Interaction.CREATE : Interaction.UPDATE;
    if (!caller.scopes().permits(interaction, type)) {
      String message = "The access token's scopes do not allow " + interaction.name().toLowerCase() + " on " + type + ".";
      OperationOutcome outcome = new OperationOutcome();
      outcome.addIssue()
          .setSeverity(OperationOutcome.IssueSeverity.ERROR)
          .setCode(OperationOutcome.IssueType.FORBIDDEN)
          .setDiagnostics(message);
      throw new ForbiddenOperationException(message, outcome);
    }
    if (resource != null) {
      for (ResourceReferenceInfo info : fhir.newTerser().getAllResourceReferences(resource)) {
        String reference = info.getResourceReference().getReferenceElement().getValue();
        if (reference != null && reference.contains("?")) {
          throw ReferenceGuard.notKnown(reference, info);
        }
      }
    }
  }
}
