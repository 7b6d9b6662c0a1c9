package dev.custodian.server.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import dev.custodian.server.audit.store.AuditEventStore;

/** The common searches of the first-class resource types, over the demo records and a few more. */
class ResourceSearchTest extends ServerTestBase {

  @Autowired AuditEventStore auditEvents;

  @Test
  void imagingStudySearches() {
    ImagingStudy chest = http.get("ImagingStudy/alice-ct-chest").resource(ImagingStudy.class);
    String uid = chest.getIdentifierFirstRep().getValue();

    assertThat(ids("ImagingStudy?patient=Patient/alice")).containsExactlyInAnyOrder("alice-ct-chest", "alice-ct-head");
    assertThat(ids("ImagingStudy?identifier=urn:dicom:uid|" + uid)).containsExactly("alice-ct-chest");
    assertThat(ids("ImagingStudy?patient=alice&started=ge2026-06-01")).containsExactly("alice-ct-head");
    assertThat(ids("ImagingStudy?patient=alice&started=lt2026-06-01")).containsExactly("alice-ct-chest");
    FhirHttp bruno = asPatient("bruno");
    assertThat(ids(bruno, "ImagingStudy?patient=bruno&modality=http://dicom.nema.org/resources/ontology/DCM|CT")).hasSize(2);
    assertThat(ids(bruno, "ImagingStudy?patient=bruno&modality=MR")).isEmpty();
    assertThat(ids(bruno, "ImagingStudy?patient=bruno&status=available")).hasSize(2);
    assertThat(ids(bruno, "ImagingStudy?patient=bruno&status=cancelled")).isEmpty();
  }

  @Test
  void diagnosticReportSearches() {
    Observation finding = new Observation();
    finding.setStatus(Observation.ObservationStatus.FINAL);
    finding.setCode(new CodeableConcept(new Coding("http://loinc.org", "18782-3", "Radiology Study observation")));
    finding.setSubject(new Reference("Patient/bruno"));
    String findingId = fixtures.store(finding).getIdPart();
    FhirHttp bruno = asPatient("bruno");

    DiagnosticReport report = bruno.get("DiagnosticReport/bruno-ct-chest-report").resource(DiagnosticReport.class);
    report.addResult(new Reference("Observation/" + findingId));
    fixtures.store(report);

    assertThat(ids("DiagnosticReport?patient=alice")).containsExactlyInAnyOrder("alice-ct-chest-report", "alice-ct-head-report");
    assertThat(ids("DiagnosticReport?patient=alice&code=http://loinc.org|24725-4")).containsExactly("alice-ct-head-report");
    assertThat(ids("DiagnosticReport?patient=alice&category=http://terminology.hl7.org/CodeSystem/v2-0074|RAD")).hasSize(2);
    assertThat(ids("DiagnosticReport?patient=alice&date=2026-03-14")).containsExactly("alice-ct-chest-report");
    assertThat(ids("DiagnosticReport?patient=alice&status=final")).hasSize(2);
    assertThat(ids("DiagnosticReport?patient=alice&status=preliminary")).isEmpty();
    assertThat(ids(bruno, "DiagnosticReport?result=Observation/" + findingId)).containsExactly("bruno-ct-chest-report");
    assertThat(ids(bruno, "DiagnosticReport?imaging-study=ImagingStudy/bruno-ct-abdomen")).containsExactly("bruno-ct-abdomen-report");
  }

  @Test
  void consentSearches() {
    Consent consent = new Consent();
    consent.setId("search-test-consent");
    consent.setStatus(Consent.ConsentState.ACTIVE);
    consent.setScope(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", "Privacy Consent")));
    consent.addCategory(new CodeableConcept(new Coding("http://loinc.org", "64292-6", "Release of information consent")));
    consent.setPatient(new Reference("Patient/bruno"));
    consent.setPolicyRule(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN", "opt-in")));
    Consent.ProvisionComponent provision = consent.getProvision();
    provision.setType(Consent.ConsentProvisionType.PERMIT);
    provision.setPeriod(new Period().setStart(new Date(1767225600000L)).setEnd(new Date(1798761600000L))); // 2026-01-01 .. 2027-01-01
    provision.addActor()
        .setRole(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", "information recipient")))
        .setReference(new Reference("Practitioner/dr.diaz"));
    provision.addPurpose(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", "HPAYMT", "healthcare payment"));
    // a release authorization names its records (profile custodian-release-authorization)
    provision.addData().setMeaning(Consent.ConsentDataMeaning.INSTANCE).setReference(new Reference("ImagingStudy/bruno-ct-abdomen"));
    fixtures.store(consent);
    FhirHttp bruno = asPatient("bruno");

    assertThat(ids(bruno, "Consent?patient=bruno")).contains("search-test-consent");
    assertThat(ids(bruno, "Consent?patient=bruno&status=active")).contains("search-test-consent");
    assertThat(ids(bruno, "Consent?patient=bruno&status=inactive")).doesNotContain("search-test-consent");
    assertThat(ids(bruno, "Consent?actor=Practitioner/dr.diaz")).contains("search-test-consent");
    assertThat(ids(bruno, "Consent?actor=Practitioner/dr.chen")).doesNotContain("search-test-consent");
    assertThat(ids(bruno, "Consent?purpose=HPAYMT")).contains("search-test-consent");
    assertThat(ids(bruno, "Consent?purpose=TREAT")).doesNotContain("search-test-consent");
    // "in force on a day": the period reaches that day from both sides
    assertThat(ids(bruno, "Consent?period=ge2026-06-01&period=le2026-06-01")).contains("search-test-consent");
    assertThat(ids(bruno, "Consent?period=ge2028-06-01&period=le2028-06-01")).doesNotContain("search-test-consent");
  }

  @Test
  void auditEventSearches() {
    AuditEvent event = new AuditEvent();
    event.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
    event.addSubtype(new Coding("http://hl7.org/fhir/restful-interaction", "read", "read"));
    event.setAction(AuditEvent.AuditEventAction.R);
    event.setRecorded(new Date(1781000000000L)); // 2026-06-09
    event.setOutcome(AuditEvent.AuditEventOutcome._0);
    event.addAgent().setWho(new Reference("Practitioner/dr.chen")).setRequestor(true);
    event.getSource().setObserver(new Reference("Organization/imaging-centre"));
    event.addEntity().setWhat(new Reference("Patient/alice"));
    event.addEntity().setWhat(new Reference("ImagingStudy/alice-ct-chest"));
    // Appended to the trail's store directly: no client can create AuditEvents.
    auditEvents.append(List.of(event));
    String id = event.getIdElement().getIdPart();
    FhirHttp auditor = as("audit.gray", "user/AuditEvent.rs");
    // (the real audit trail grows with every test's requests: these searches pin the test's event by its day)

    assertThat(ids(auditor, "AuditEvent?patient=alice&date=2026-06-09")).contains(id);
    assertThat(ids(auditor, "AuditEvent?patient=bruno&date=2026-06-09")).doesNotContain(id);
    assertThat(ids(auditor, "AuditEvent?agent=Practitioner/dr.chen&date=2026-06-09")).contains(id);
    assertThat(ids(auditor, "AuditEvent?entity=ImagingStudy/alice-ct-chest&date=2026-06-09")).contains(id);
    assertThat(ids(auditor, "AuditEvent?date=2026-06-09")).contains(id);
    assertThat(ids(auditor, "AuditEvent?date=2026-06-10")).doesNotContain(id);
    assertThat(ids(auditor, "AuditEvent?type=rest&date=2026-06-09")).contains(id);
    assertThat(ids(auditor, "AuditEvent?subtype=read&date=2026-06-09")).contains(id);
    assertThat(ids(auditor, "AuditEvent?subtype=delete&date=2026-06-09")).doesNotContain(id);
    assertThat(ids(auditor, "AuditEvent?outcome=0&date=2026-06-09")).contains(id);
    assertThat(ids(auditor, "AuditEvent?outcome=8&date=2026-06-09")).doesNotContain(id);
  }

  @Test
  void supportingResourceSearches() {
    assertThat(ids("PractitionerRole?practitioner=Practitioner/dr.chen")).containsExactly("dr-chen-role");
    assertThat(ids("PractitionerRole?organization=Organization/imaging-centre")).contains("dr-chen-role", "dr-diaz-role");
    assertThat(ids("Organization?name=Northwind")).containsExactly("health-plan");
    // (DICOMweb tests in the same server may have added the test server's own DICOMweb Endpoint)
    assertThat(ids("Endpoint?connection-type=dicom-wado-rs")).contains("imaging-centre-wado");
    assertThat(ids("CareTeam?patient=alice&status=active")).containsExactly("alice-care-team");
    assertThat(ids("Encounter?patient=alice&date=2026-09-02")).containsExactly("alice-encounter-1");
    assertThat(ids("Coverage?beneficiary=Patient/alice&status=active")).containsExactly("alice-coverage");

    RelatedPerson mother = new RelatedPerson();
    mother.setId("bruno-mother");
    mother.setPatient(new Reference("Patient/bruno"));
    mother.addRelationship(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-RoleCode", "MTH", "mother")));
    fixtures.store(mother);
    assertThat(ids(asPatient("bruno"), "RelatedPerson?patient=bruno&relationship=MTH")).containsExactly("bruno-mother");

    Task task = new Task();
    task.setId("copy-request-1");
    task.setStatus(Task.TaskStatus.REQUESTED);
    task.setIntent(Task.TaskIntent.ORDER);
    task.setFor(new Reference("Patient/alice"));
    task.setOwner(new Reference("Organization/imaging-centre"));
    fixtures.store(task);
    assertThat(ids("Task?patient=alice&status=requested")).containsExactly("copy-request-1");
    assertThat(ids("Task?owner=Organization/imaging-centre")).contains("copy-request-1");
  }

  private Set<String> ids(String query) {
    return ids(http, query);
  }

  private static Set<String> ids(FhirHttp as, String query) {
    Bundle bundle = as.get(query).bundle();
    List<String> ids = bundle.getEntry().stream()
        .filter(e -> e.getSearch().getMode() != Bundle.SearchEntryMode.OUTCOME)
        .map(e -> e.getResource().getIdElement().getIdPart()).toList();
    return ids.stream().collect(Collectors.toSet());
  }
}
