package dev.custodian.policy.enforce;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * Makes a denied resource indistinguishable from a missing one in error answers. HAPI's own 404s differ
 * by cause — a resource filtered out by the consent service is "HAPI-2243" in the plain server and
 * "HAPI-1995" in JPA, a missing one "HAPI-1982" / "HAPI-2001" — and a deleted resource answers 410
 * Gone before any consent check. This interceptor replaces every 404 and 410 with one 404 whose only
 * content is the id the client itself sent: {@code Resource Patient/x is not known}.
 *
 * <p>A 410 therefore no longer tells anyone that a resource once existed; that is the price of not
 * telling it about hidden ones.
 */
@Interceptor
public final class HiddenAsMissing {

  @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
  public BaseServerResponseException uniform(RequestDetails request, Throwable exception) {
    if (exception instanceof ResourceNotFoundException || exception instanceof ResourceGoneException) {
      return notFound(request);
    }
    return null;
  }

  /** The one 404 answer for {@code request}. */
  public static ResourceNotFoundException notFound(RequestDetails request) {
    String what = null;
    if (request != null) {
      IIdType id = request.getId();
      String type = request.getResourceName();
      if (type != null && id != null && id.hasIdPart()) {
        what = type + "/" + id.getIdPart();
      }
    }
    return new ResourceNotFoundException(what == null ? "Resource is not known" : "Resource " + what + " is not known");
  }
}
