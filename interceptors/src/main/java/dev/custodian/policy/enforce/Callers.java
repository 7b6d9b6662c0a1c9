package dev.custodian.policy.enforce;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import dev.custodian.policy.caller.Caller;
import java.util.Objects;

/**
 * The caller of a request, resolved once and kept in {@link RequestDetails#getUserData()} for every
 * enforcement point that handles the same request (consent service, write guard, audit).
 */
public final class Callers {

  /** The user-data key under which the resolved {@link Caller} is kept. */
  public static final String USER_DATA_KEY = Callers.class.getName() + ".caller";

  private Callers() {}

  /** The caller already resolved for {@code request}, or {@code null} if none has been. */
  public static Caller of(RequestDetails request) {
    if (request == null) {
      return null;
    }
    Object value = request.getUserData().get(USER_DATA_KEY);
    return value instanceof Caller caller ? caller : null;
  }

  /**
   * The caller of {@code request}: the cached one, else asks {@code resolver} and caches a non-null
   * answer. Returns {@code null} for an unauthenticated request.
   */
  public static Caller resolve(RequestDetails request, CallerResolver resolver) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(resolver, "resolver");
    Caller cached = of(request);
    if (cached != null) {
      return cached;
    }
    Caller caller = resolver.resolve(request);
    if (caller != null) {
      request.getUserData().put(USER_DATA_KEY, caller);
    }
    return caller;
  }
}
