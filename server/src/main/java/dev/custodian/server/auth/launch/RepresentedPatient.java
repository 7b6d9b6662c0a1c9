package dev.custodian.server.auth.launch;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import dev.custodian.policy.AccessPolicy;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.decision.Action;
import dev.custodian.policy.decision.Basis;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.scope.ScopeParser;
import dev.custodian.server.auth.users.UserAccount;
import java.util.EnumSet;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.RelatedPerson;

/**
 * The patient a personal representative acts for, as the SMART launch context of a
 * {@code launch/patient} sign-in: the patient of the representative's own RelatedPerson (an R4
 * RelatedPerson names exactly one patient, so there is nothing to pick), if — and only while — the
 * policy decision point grants that representative the patient's right of access (an active
 * RelatedPerson, a representative relationship, within its period). The rules are the PDP's alone.
 */
public class RepresentedPatient {

  private final DaoRegistry daos;
  private final AccessPolicy policy;

  public RepresentedPatient(DaoRegistry daos, AccessPolicy policy) {
    this.daos = daos;
    this.policy = policy;
  }

  /** Whether {@code user} signs in as a personal representative. */
  public static boolean isRepresentative(UserAccount user) {
    return user != null && user.roles().contains(Role.REPRESENTATIVE.name())
        && user.fhirUser() != null && user.fhirUser().startsWith("RelatedPerson/");
  }

  /** The id of the patient {@code user} represents now, or empty. */
  public Optional<String> of(UserAccount user, String clientId) {
    if (!isRepresentative(user)) {
      return Optional.empty();
    }
    RelatedPerson person = read(new IdType(user.fhirUser()));
    if (person == null || !person.hasPatient()) {
      return Optional.empty();
    }
    IdType patientId = new IdType(person.getPatient().getReference());
    if (patientId.hasBaseUrl() || !"Patient".equals(patientId.getResourceType()) || !patientId.hasIdPart()) {
      return Optional.empty();
    }
    IBaseResource patient = read(patientId.toUnqualifiedVersionless());
    if (patient == null) {
      return Optional.empty();
    }
    Caller caller = new Caller(
        user.fhirUser(), clientId, EnumSet.of(Role.REPRESENTATIVE), user.organization(),
        ScopeParser.standard().parse("user/Patient.r"), null, PurposeOfUse.PATRQT, null, "launch-context");
    Decision decision = policy.decide(caller, Action.READ, patient);
    return decision.isPermitted() && decision.basis() == Basis.RIGHT_OF_ACCESS
        ? Optional.of(patientId.getIdPart())
        : Optional.empty();
  }

  @SuppressWarnings("unchecked")
  private <T extends IBaseResource> T read(IdType id) {
    try {
      return (T) daos.getResourceDao(id.getResourceType()).read(id, new SystemRequestDetails());
    } catch (ResourceNotFoundException | ResourceGoneException e) {
      return null;
    }
  }
}
