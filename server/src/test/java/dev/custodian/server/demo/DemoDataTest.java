package dev.custodian.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.support.ServerTestBase;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class DemoDataTest extends ServerTestBase {

  @Autowired DemoDataLoader loader;

  /**
   * The demo WADO-RS Endpoint names this server's DICOMweb base, derived from the configured public
   * base URL (the issuer; this test server's port, not a fixed localhost:8080), so the demo studies
   * point where their images are; the DICOMweb link reuses it instead of adding an Endpoint of its own.
   */
  @Test
  void theDemoWadoEndpointAddressIsThisServersDicomwebBase() {
    Endpoint endpoint = http.get("Endpoint/" + DemoIds.WADO_ENDPOINT).resource(Endpoint.class);
    assertThat(endpoint.getAddress()).isEqualTo(baseUrl() + "/dicomweb").doesNotContain(":8080");
    assertThat(http.get("ImagingStudy/alice-ct-chest").resource(ImagingStudy.class).getEndpointFirstRep().getReference())
        .isEqualTo("Endpoint/" + DemoIds.WADO_ENDPOINT);
    assertThat(resources(http.get("Endpoint?connection-type=dicom-wado-rs").bundle(), Endpoint.class))
        .extracting(e -> e.getIdElement().getIdPart()).containsExactly(DemoIds.WADO_ENDPOINT);
  }

  @Test
  void theDemoWadoEndpointFollowsAnotherPublicBaseUrl() {
    Endpoint endpoint = DemoRecords.all("https://imaging.example.org/dicomweb").stream()
        .filter(Endpoint.class::isInstance).map(Endpoint.class::cast).findFirst().orElseThrow();
    assertThat(endpoint.getAddress()).isEqualTo("https://imaging.example.org/dicomweb");
  }

  @Test
  void demoPatientsAreFoundByTheirDocumentedIdentifiers() {
    for (String name : List.of(DemoIds.ALICE, DemoIds.BRUNO)) {
      Bundle found = asPatient(name).get("Patient?identifier=" + DemoIds.DEMO_SYSTEM + "|" + name).bundle();
      assertThat(found.getEntry()).hasSize(1);
      assertThat(found.getEntryFirstRep().getResource().getIdElement().getIdPart()).isEqualTo(name);
    }
    for (String name : List.of(DemoIds.DR_CHEN, DemoIds.DR_DIAZ, DemoIds.PAYER_EVANS, DemoIds.OPS_FOX, DemoIds.AUDIT_GRAY)) {
      assertThat(http.get("Practitioner?identifier=" + DemoIds.DEMO_SYSTEM + "|" + name).bundle().getEntry())
          .hasSize(1);
    }
    for (String name : List.of(DemoIds.IMAGING_CENTRE, DemoIds.HEALTH_PLAN)) {
      assertThat(http.get("Organization?identifier=" + DemoIds.DEMO_SYSTEM + "|" + name).bundle().getEntry())
          .hasSize(1);
    }
    Patient alice = asPatient(DemoIds.ALICE).get("Patient?name=Martin").bundle().getEntry().stream()
        .map(e -> (Patient) e.getResource()).findFirst().orElseThrow();
    assertThat(alice.getNameFirstRep().getGivenAsSingleString()).isEqualTo("Alice");
  }

  @Test
  void eachPatientHasTwoCtStudiesWithAFinalReportEach() {
    for (String patient : List.of(DemoIds.ALICE, DemoIds.BRUNO)) {
      var http = asPatient(patient);
      List<ImagingStudy> studies =
          resources(http.get("ImagingStudy?patient=" + patient).bundle(), ImagingStudy.class);
      assertThat(studies).hasSize(2);
      for (ImagingStudy study : studies) {
        assertThat(study.getModalityFirstRep().getCode()).isEqualTo("CT");
        assertThat(study.getSeries()).isNotEmpty();
        assertThat(study.getSeriesFirstRep().getBodySite().getCode()).isNotBlank();
        assertThat(study.getProcedureCodeFirstRep().getCodingFirstRep().getSystem()).isEqualTo("http://loinc.org");
        List<DiagnosticReport> reports =
            resources(
                http.get("DiagnosticReport?imaging-study=ImagingStudy/" + study.getIdElement().getIdPart()).bundle(),
                DiagnosticReport.class);
        assertThat(reports).hasSize(1);
        DiagnosticReport report = reports.get(0);
        assertThat(report.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.FINAL);
        assertThat(report.getConclusion()).isNotBlank();
        assertThat(report.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://loinc.org");
      }
    }
  }

  @Test
  void drChenTreatsAliceAndDrDiazHasNoRelationship() {
    List<CareTeam> teams =
        resources(http.get("CareTeam?participant=Practitioner/" + DemoIds.DR_CHEN + "&status=active").bundle(), CareTeam.class);
    // other tests add patients of their own to dr.chen's care; of the demo patients, only alice
    assertThat(teams).extracting(t -> t.getSubject().getReference())
        .contains("Patient/alice").doesNotContain("Patient/bruno");
    assertThat(http.get("Encounter?participant=Practitioner/" + DemoIds.DR_CHEN).bundle().getEntry())
        .extracting(e -> ((org.hl7.fhir.r4.model.Encounter) e.getResource()).getSubject().getReference())
        .containsOnly("Patient/alice");
    assertThat(http.get("CareTeam?participant=Practitioner/" + DemoIds.DR_DIAZ).bundle().getEntry()).isEmpty();
    assertThat(http.get("Encounter?participant=Practitioner/" + DemoIds.DR_DIAZ).bundle().getEntry()).isEmpty();
    assertThat(http.get("Coverage?beneficiary=Patient/alice&payor=Organization/" + DemoIds.HEALTH_PLAN).bundle().getEntry())
        .hasSize(1);
  }

  @Test
  void loadingTheDemoAgainChangesNothing() {
    String before = http.get("ImagingStudy/alice-ct-chest").resource(ImagingStudy.class).getMeta().getVersionId();
    int patientsBefore = count(Patient.class);
    int studiesBefore = count(ImagingStudy.class);
    loader.loadDemo();
    assertThat(count(Patient.class)).isEqualTo(patientsBefore);
    assertThat(count(ImagingStudy.class)).isEqualTo(studiesBefore);
    assertThat(http.get("ImagingStudy/alice-ct-chest").resource(ImagingStudy.class).getMeta().getVersionId())
        .isEqualTo(before);
  }

  /** How many there are, as the system sees it (no caller may count across patients). */
  private int count(Class<? extends org.hl7.fhir.instance.model.api.IBaseResource> type) {
    return daos.getResourceDao(type)
        .search(ca.uhn.fhir.jpa.searchparam.SearchParameterMap.newSynchronous(), new ca.uhn.fhir.rest.api.server.SystemRequestDetails())
        .size();
  }

  static <T extends Resource> List<T> resources(Bundle bundle, Class<T> type) {
    return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).map(type::cast).toList();
  }
}
