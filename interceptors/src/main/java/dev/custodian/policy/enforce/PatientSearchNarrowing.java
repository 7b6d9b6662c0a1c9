package dev.custodian.policy.enforce;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizedList;
import ca.uhn.fhir.rest.server.interceptor.auth.SearchNarrowingInterceptor;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.Role;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Narrows searches to the compartments of the patients the caller could see before they reach the
 * database, so that pages are full and paging links honest:
 *
 * <ul>
 *   <li>a caller who acts for one patient — a patient, or an app with a launch patient — to that
 *       patient's compartment;</li>
 *   <li>other callers to their {@link PatientReach} (for example a clinician's patients), when the
 *       server knows it and the search does not name its patients itself ({@code patient},
 *       {@code subject}, {@code beneficiary}, {@code _id}): those searches keep their own answer,
 *       filtered afterwards as before.</li>
 * </ul>
 *
 * The policy still decides every returned resource; this only stops hidden matches from shaping the
 * pages. Where a caller's reach is unknown (operations staff see every patient; system clients), or
 * some of its records are permitted one by one (a release authorization, a record naming the
 * clinician), results are filtered afterwards and {@code Bundle.total} is withheld.
 */
public final class PatientSearchNarrowing extends SearchNarrowingInterceptor {

  /** Search parameters by which a client names the patients itself. */
  private static final Set<String> NAMES_PATIENTS = Set.of("patient", "subject", "beneficiary", "_id");
  /**
   * Narrows a caller who reaches no patient: not a valid FHIR id (it has an underscore), so no
   * resource can ever be in its compartment.
   */
  static final String NO_PATIENT = "Patient/no_patient";

  private final CallerResolver resolver;
  private final PatientReach reach;

  public PatientSearchNarrowing(CallerResolver resolver) {
    this(resolver, PatientReach.UNKNOWN);
  }

  public PatientSearchNarrowing(CallerResolver resolver, PatientReach reach) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.reach = Objects.requireNonNull(reach, "reach");
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
    if (patient != null) {
      return new AuthorizedList().addCompartment(patient);
    }
    if (namesPatients(request)) {
      return null;
    }
    Optional<Set<String>> patients = reach.of(caller);
    if (patients.isEmpty()) {
      return null;
    }
    return patients.get().isEmpty()
        ? new AuthorizedList().addCompartment(NO_PATIENT)
        : new AuthorizedList().addCompartments(patients.get().toArray(String[]::new));
  }

  private static boolean namesPatients(RequestDetails request) {
    return request.getParameters().keySet().stream()
        .map(name -> name.split("[:.]", 2)[0])
        .anyMatch(NAMES_PATIENTS::contains);
  }
}
