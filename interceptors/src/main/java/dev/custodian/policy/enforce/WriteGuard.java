package dev.custodian.policy.enforce;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import dev.custodian.policy.AccessPolicy;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.decision.Action;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.decision.Effect;
import java.util.Objects;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Asks the policy about every write, on the storage pointcuts (so it judges what is actually stored,
 * whatever REST form led there):
 *
 * <ul>
 *   <li>create: CREATE on the new resource, else 403; a PUT to an id that does not exist (update as
 *       create) is refused like a PUT to a record the caller may not see — else a caller who may create
 *       the content would learn which ids are taken by hidden records;</li>
 *   <li>update (and patch): READ on the stored version — denied → 404, exactly as for a missing id,
 *       so that a hidden resource stays invisible — then UPDATE on the stored and on the new version,
 *       else 403;</li>
 *   <li>delete: READ on the stored version (404), then DELETE (403).</li>
 * </ul>
 *
 * Writes made by the server itself ({@link SystemRequestDetails}, e.g. demo data, audit events)
 * are not judged. Any other write needs a caller (401 otherwise), including one with no
 * RequestDetails at all: it fails closed.
 */
@Interceptor
public final class WriteGuard {

  private final AccessPolicy policy;
  private final CallerResolver resolver;

  public WriteGuard(AccessPolicy policy, CallerResolver resolver) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
  public void create(IBaseResource resource, RequestDetails request) {
    if (isServer(request)) {
      return;
    }
    Caller caller = caller(request);
    if (request.getRequestType() == ca.uhn.fhir.rest.api.RequestTypeEnum.PUT) {
      throw notThere();
    }
    requirePermit(caller, Action.CREATE, resource);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
  public void update(IBaseResource stored, IBaseResource updated, RequestDetails request) {
    if (isServer(request)) {
      return;
    }
    Caller caller = caller(request);
    if (!policy.decide(caller, Action.READ, stored).isPermitted()) {
      // a PUT to a hidden id answers exactly as a PUT to an id that does not exist
      throw notThere();
    }
    requirePermit(caller, Action.UPDATE, stored);
    requirePermit(caller, Action.UPDATE, updated);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
  public void delete(IBaseResource stored, RequestDetails request) {
    if (isServer(request)) {
      return;
    }
    Caller caller = caller(request);
    requireVisible(caller, stored, request);
    requirePermit(caller, Action.DELETE, stored);
  }

  /** The one answer to a PUT whose target the caller cannot see, whether it is hidden or missing. */
  private static ForbiddenOperationException notThere() {
    return new ForbiddenOperationException(
        "Access denied: PUT changes only a record the caller may see; create new records with POST");
  }

  private static boolean isServer(RequestDetails request) {
    return request instanceof SystemRequestDetails;
  }

  private Caller caller(RequestDetails request) {
    Caller caller = request == null ? null : Callers.resolve(request, resolver);
    if (caller == null) {
      throw new AuthenticationException("Authentication required");
    }
    return caller;
  }

  private void requireVisible(Caller caller, IBaseResource stored, RequestDetails request) {
    if (!policy.decide(caller, Action.READ, stored).isPermitted()) {
      throw HiddenAsMissing.notFound(request);
    }
  }

  private void requirePermit(Caller caller, Action action, IBaseResource resource) {
    Decision decision = policy.decide(caller, action, resource);
    // a write is all or nothing: a projection of a write makes no sense, so only a whole permit counts
    if (decision.effect() != Effect.PERMIT) {
      throw new ForbiddenOperationException("Access denied");
    }
  }
}
