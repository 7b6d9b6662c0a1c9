package dev.custodian.server.support;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * Test records written the way the server writes its own (demo data, DICOM ingest): through the
 * storage layer as the system, with profile validation but without a caller's access rules. Tests
 * then read them over HTTP as a particular user.
 */
public final class Fixtures {

  private final DaoRegistry daos;

  public Fixtures(DaoRegistry daos) {
    this.daos = daos;
  }

  /**
   * A patient of its own for tests that write clinical records, with an active CareTeam that makes
   * dr.chen a treating clinician (so dr.chen may write for them), leaving the demo patients' records
   * as the demo loaded them.
   */
  public String patientTreatedByDrChen(String id) {
    org.hl7.fhir.r4.model.Patient patient = new org.hl7.fhir.r4.model.Patient();
    patient.setId(id);
    patient.addName().setFamily("Fixture").addGiven(id);
    store(patient);
    org.hl7.fhir.r4.model.CareTeam team = new org.hl7.fhir.r4.model.CareTeam();
    team.setId(id + "-care-team");
    team.setStatus(org.hl7.fhir.r4.model.CareTeam.CareTeamStatus.ACTIVE);
    team.setSubject(new org.hl7.fhir.r4.model.Reference("Patient/" + id));
    team.addParticipant().setMember(new org.hl7.fhir.r4.model.Reference("Practitioner/dr.chen"));
    store(team);
    return id;
  }

  /**
   * A release-authorization Consent of {@code patient}: {@code recipient} may receive
   * {@code records} for {@code purpose} from ten days ago until {@code daysLeft} days from now.
   */
  public static org.hl7.fhir.r4.model.Consent releaseAuthorization(String id, org.hl7.fhir.r4.model.Consent.ConsentState state,
      String patient, String recipient, String purpose, int daysLeft, String... records) {
    java.time.Instant now = java.time.Instant.now();
    org.hl7.fhir.r4.model.Consent consent = new org.hl7.fhir.r4.model.Consent();
    consent.setId(id);
    consent.setStatus(state);
    consent.setScope(concept("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", "Privacy Consent"));
    consent.addCategory(concept("http://loinc.org", "64292-6", "Release of information consent"));
    // R4 invariant ppc-1: a Consent names its policy or policy rule (here: the patient opts in)
    consent.setPolicyRule(concept("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN", "opt-in"));
    consent.setPatient(new org.hl7.fhir.r4.model.Reference(patient));
    org.hl7.fhir.r4.model.Consent.ProvisionComponent provision = consent.getProvision();
    provision.setType(org.hl7.fhir.r4.model.Consent.ConsentProvisionType.PERMIT);
    provision.setPeriod(new org.hl7.fhir.r4.model.Period()
        .setStart(java.util.Date.from(now.minus(10, java.time.temporal.ChronoUnit.DAYS)))
        .setEnd(java.util.Date.from(now.plus(daysLeft, java.time.temporal.ChronoUnit.DAYS))));
    provision.addActor()
        .setRole(concept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", "information recipient"))
        .setReference(new org.hl7.fhir.r4.model.Reference(recipient));
    provision.addPurpose(new org.hl7.fhir.r4.model.Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", purpose, purpose));
    for (String record : records) {
      provision.addData().setMeaning(org.hl7.fhir.r4.model.Consent.ConsentDataMeaning.INSTANCE)
          .setReference(new org.hl7.fhir.r4.model.Reference(record));
    }
    return consent;
  }

  private static org.hl7.fhir.r4.model.CodeableConcept concept(String system, String code, String display) {
    return new org.hl7.fhir.r4.model.CodeableConcept(new org.hl7.fhir.r4.model.Coding(system, code, display));
  }

  /** Creates the resource (server-assigned id) or, when it has an id, creates or updates it. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public IIdType store(IBaseResource resource) {
    var dao = daos.getResourceDao((Class) resource.getClass());
    SystemRequestDetails system = new SystemRequestDetails();
    if (resource.getIdElement().hasIdPart()) {
      return dao.update(resource, system).getId().toUnqualifiedVersionless();
    }
    return dao.create(resource, system).getId().toUnqualifiedVersionless();
  }
}
