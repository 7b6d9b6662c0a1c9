package dev.custodian.policy.resource;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class PatientCompartmentTest {

  private final PatientCompartment compartment = new PatientCompartment(FhirContext.forR4Cached());

  @Test
  void aPatientBelongsToItself() {
    Patient patient = new Patient();
    patient.setId("Patient/alice/_history/2");

    assertThat(compartment.owners(patient)).containsExactly("Patient/alice");
  }

  @Test
  void aTaskForAPatientIsTheirsThoughR4LeavesTaskOutOfTheCompartment() {
    org.hl7.fhir.r4.model.Task task = new org.hl7.fhir.r4.model.Task();
    task.setFor(new Reference("Patient/alice"));
    task.setOwner(new Reference("Organization/imaging-centre"));
    assertThat(compartment.owners(task)).containsExactly("Patient/alice");
    org.hl7.fhir.r4.model.Task groupTask = new org.hl7.fhir.r4.model.Task();
    groupTask.setFor(new Reference("Group/cohort"));
    assertThat(compartment.owners(groupTask)).isEmpty();
  }

  @Test
  void clinicalResourcesBelongToTheirSubject() {
    assertThat(compartment.owners(new ImagingStudy().setSubject(new Reference("Patient/alice"))))
        .containsExactly("Patient/alice");
    assertThat(compartment.owners(new DiagnosticReport().setSubject(new Reference("Patient/bruno/_history/4"))
            .addPerformer(new Reference("Practitioner/dr.chen"))))
        .containsExactly("Patient/bruno");
    assertThat(compartment.owners(new Consent().setPatient(new Reference("Patient/alice"))))
        .containsExactly("Patient/alice");
  }

  @Test
  void nonPatientParticipantsAreNotOwners() {
    Coverage coverage = new Coverage().setBeneficiary(new Reference("Patient/alice"));
    coverage.addPayor(new Reference("Organization/health-plan"));

    assertThat(compartment.owners(coverage)).containsExactly("Patient/alice");
  }

  @Test
  void severalPatients() {
    Coverage coverage = new Coverage().setBeneficiary(new Reference("Patient/alice"))
        .setSubscriber(new Reference("Patient/bruno"));

    assertThat(compartment.owners(coverage)).containsExactly("Patient/alice", "Patient/bruno");
  }

  @Test
  void foreignAndContainedPatientsStayUnresolved() {
    assertThat(compartment.owners(new ImagingStudy().setSubject(new Reference("http://other.example/fhir/Patient/alice"))))
        .containsExactly("http://other.example/fhir/Patient/alice");
    assertThat(compartment.owners(new ImagingStudy().setSubject(new Reference("#p1"))))
        .containsExactly("#p1");
  }

  @Test
  void noOwner() {
    assertThat(compartment.owners(new Organization())).isEmpty();
    assertThat(compartment.owners(new ImagingStudy())).isEmpty();
    assertThat(compartment.owners(new ImagingStudy().setSubject(new Reference().setIdentifier(new Identifier().setValue("x")))))
        .isEmpty();
  }

  @Test
  void auditEventsNamingAPatientAreInTheirCompartment() {
    AuditEvent event = new AuditEvent();
    event.addEntity().setWhat(new Reference("Patient/alice"));

    assertThat(compartment.owners(event)).containsExactly("Patient/alice");
  }

  @Test
  void categories() {
    assertThat(ResourceCategory.of("AuditEvent")).isEqualTo(ResourceCategory.OVERSIGHT);
    assertThat(ResourceCategory.of("Organization")).isEqualTo(ResourceCategory.DIRECTORY);
    assertThat(ResourceCategory.of("StructureDefinition")).isEqualTo(ResourceCategory.CONFORMANCE);
    assertThat(ResourceCategory.of("ImagingStudy")).isEqualTo(ResourceCategory.PATIENT_DATA);
    assertThat(ResourceCategory.of("Group")).isEqualTo(ResourceCategory.PATIENT_DATA);
  }
}
