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
