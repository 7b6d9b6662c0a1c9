package dev.custodian.policy.enforce;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizedList;
import ca.uhn.fhir.rest.server.interceptor.auth.SearchNarrowingInterceptor;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.Role;
import java.util.Objects;

/**
 * Narrows the searches of a caller who acts for one patient — a patient, or an app with a launch
 * patient — to that patient's compartment before they reach the database, so pages are full and
 * paging links honest. The policy still decides every returned resource; this only stops hidden
 * matches from shaping the pages. Other callers' searches are filtered afterwards (known gap: their
 * page sizes and links can still hint at hidden matches).
 */
public final class PatientSearchNarrowing extends SearchNarrowingInterceptor {

  private final CallerResolver resolver;

  public PatientSearchNarrowing(CallerResolver resolver) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  @Override
  protected AuthorizedList buildAuthorizedList(RequestDetails request) {
    Caller caller = Callers.resolve(request, resolver);
    if (caller == null) {
      return null;
    }
    String patient = caller.launchPatient() != null
        ? "Patient/" + caller.launchPatient()
        : caller.roles().contains(Role.PATIENT) ? caller.fhirUser() : null;
    return patient == null ? null : new AuthorizedList().addCompartment(patient);
  }
}
