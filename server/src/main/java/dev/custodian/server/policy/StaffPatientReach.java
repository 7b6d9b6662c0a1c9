package dev.custodian.server.policy;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.enforce.PatientReach;
import dev.custodian.server.auth.launch.TreatedPatients;
import dev.custodian.server.policy.breakglass.BreakGlassGrants;
import java.time.Clock;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Coverage;

/**
 * The patients a clinician or a health plan could see records of, so that their searches are
 * narrowed in the database (see {@code PatientSearchNarrowing}). A superset, read as the system:
 *
 * <ul>
 *   <li>a clinician acting for treatment (or in an emergency): patients of records that name them
 *       (CareTeam, Encounter, performer, requester, ...), of their break-the-glass grants in force,
 *       and of Consents that name them;</li>
 *   <li>health plan staff acting for payment: beneficiaries of Coverages their organization pays,
 *       and patients of Consents that name them or their organization.</li>
 * </ul>
 *
 * Anyone else (operations, HIM and oversight staff, system clients, several roles at once) and any
 * reach larger than {@value #MAX_PATIENTS} patients: unknown, and searches are filtered afterwards.
 */
public class StaffPatientReach implements PatientReach {

  /** The most patients a query is narrowed by; beyond that the parameter list would cost more than filtering. */
  static final int MAX_PATIENTS = 500;

  private static final Set<PurposeOfUse> CLINICAL = EnumSet.of(PurposeOfUse.TREAT, PurposeOfUse.ETREAT, PurposeOfUse.BTG);

  private final DaoRegistry daos;
  private final TreatedPatients treated;
  private final BreakGlassGrants grants;
  private final Clock clock;

  public StaffPatientReach(DaoRegistry daos, TreatedPatients treated, BreakGlassGrants grants, Clock clock) {
    this.daos = daos;
    this.treated = treated;
    this.grants = grants;
    this.clock = clock;
  }

  @Override
  public Optional<Set<String>> of(Caller caller) {
    Set<String> patients = new LinkedHashSet<>();
    if (caller.roles().equals(EnumSet.of(Role.CLINICIAN)) && CLINICAL.contains(caller.purpose())) {
      treated.candidatePatients(caller.fhirUser()).forEach(id -> patients.add("Patient/" + id));
      patients.addAll(grants.patientsInForce(caller.fhirUser(), clock.instant()));
    } else if (caller.roles().equals(EnumSet.of(Role.HEALTH_PLAN)) && caller.purpose() == PurposeOfUse.HPAYMT) {
      SearchParameterMap covered = SearchParameterMap.newSynchronous()
          .add(Coverage.SP_PAYOR, new ReferenceParam(caller.organization()));
      for (IBaseResource coverage : search("Coverage", covered)) {
        patients.add(((Coverage) coverage).getBeneficiary().getReference());
      }
    } else {
      return Optional.empty();
    }
    // a release authorization may name the caller or its organization (the policy checks the rest)
    ReferenceOrListParam named = new ReferenceOrListParam().addOr(new ReferenceParam(caller.fhirUser()));
    if (caller.organization() != null) {
      named.addOr(new ReferenceParam(caller.organization()));
    }
    for (IBaseResource consent : search("Consent", SearchParameterMap.newSynchronous().add(Consent.SP_ACTOR, named))) {
      patients.add(((Consent) consent).getPatient().getReference());
    }
    patients.removeIf(patient -> patient == null || !patient.matches("Patient/[A-Za-z0-9\\-.]{1,64}"));
    return patients.size() > MAX_PATIENTS ? Optional.empty() : Optional.of(patients);
  }

  private java.util.List<IBaseResource> search(String type, SearchParameterMap query) {
    return daos.getResourceDao(type).search(query, new SystemRequestDetails()).getAllResources();
  }
}
