package dev.custodian.policy.enforce;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import dev.custodian.policy.caller.Caller;

/**
 * Turns an incoming request into the {@link Caller} it acts for. The server implements it from the
 * verified bearer token (or share-link secret); tests resolve callers from a header. Enforcement never
 * calls it directly: {@link Callers#resolve(RequestDetails, CallerResolver)} calls it once per request
 * and caches the answer in the request's user data.
 */
@FunctionalInterface
public interface CallerResolver {

  /**
   * The caller of {@code request}, or {@code null} when the request is not authenticated (the
   * enforcement points then answer 401). Must not return a caller for a token it has not verified.
   */
  Caller resolve(RequestDetails request);
}
