package dev.custodian.server.auth.backend;

import static dev.custodian.server.support.Visibility.assertLooksMissing;
import static dev.custodian.server.support.Visibility.ids;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.support.BackendTestClients;
import dev.custodian.server.support.ClientAssertions;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.Fixtures;
import dev.custodian.server.support.ServerTestBase;
import dev.custodian.server.support.SmartLogin;
import dev.custodian.server.support.SmartLogin.TokenResponse;
import java.util.Date;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a SMART Backend Services token reaches, on the real stack: the partner hospital's system
 * reads the records of alice, whom dr.chen referred to it, and nothing of bruno's — not by id, not in
 * searches, not through {@code _include}/{@code _revinclude}; it writes nothing. An outside clinic
 * with no care relationship sees exactly what a release authorization naming it grants.
 */
class BackendServicesAccessTest extends ServerTestBase {

  private static final String PARTNER_SCOPE =
      "system/ImagingStudy.rs system/DiagnosticReport.rs system/Patient.rs system/ImagingStudy.cu";

  private FhirHttp partner;

  @BeforeEach
  void partnerToken() {
    BackendTestClients.ensureRegistered(context);
    partner = backend(BackendTestClients.PARTNER, PARTNER_SCOPE);
  }

  private FhirHttp backend(String clientId, String scope) {
    String assertion = ClientAssertions.sign(BackendTestClients.RSA,
        ClientAssertions.claims(clientId, baseUrl() + "/oauth2/token").build());
    TokenResponse tokens = new SmartLogin(baseUrl()).token(ClientAssertions.tokenRequest(assertion, scope));
    assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
    return new FhirHttp(PORT, fhirContext).withBearer(tokens.accessToken());
  }

  @Test
  void thePartnerReadsTheReferredPatientsRecords() {
    assertThat(partner.get("ImagingStudy/alice-ct-chest").status()).isEqualTo(200);
    assertThat(partner.get("ImagingStudy/alice-ct-head").status()).isEqualTo(200);
    assertThat(partner.get("DiagnosticReport/alice-ct-head-report").status()).isEqualTo(200);
    assertThat(partner.get("Patient/alice").status()).isEqualTo(200);
  }

  @Test
  void brunosRecordsLookMissing() {
    assertLooksMissing(partner, "ImagingStudy/bruno-ct-chest", "ImagingStudy/no-such-study");
    assertLooksMissing(partner, "ImagingStudy/bruno-ct-abdomen", "ImagingStudy/no-such-study");
    assertLooksMissing(partner, "DiagnosticReport/bruno-ct-chest-report", "DiagnosticReport/no-such-report");
    assertLooksMissing(partner, "Patient/bruno", "Patient/no-such-patient");
    assertLooksMissing(partner, "ImagingStudy/bruno-ct-chest/_history", "ImagingStudy/no-such-study/_history");
  }

  @Test
  void searchesReturnOnlyTheReferredPatientsRecords() {
    Bundle studies = partner.get("ImagingStudy").bundle();
    assertThat(ids(studies)).contains("alice-ct-chest", "alice-ct-head").noneMatch(id -> id.startsWith("bruno"));
    assertThat(studies.hasTotal()).isFalse();
    assertThat(ids(partner.get("ImagingStudy?patient=bruno").bundle())).isEmpty();
    assertThat(ids(partner.get("ImagingStudy?modality=CT").bundle())).noneMatch(id -> id.startsWith("bruno"));
    assertThat(ids(partner.get("DiagnosticReport").bundle())).contains("alice-ct-chest-report")
        .noneMatch(id -> id.startsWith("bruno"));
    assertThat(ids(partner.get("Patient").bundle())).contains("alice").doesNotContain("bruno");
  }

  @Test
  void includedAndRevincludedRecordsDoNotLeak() {
    Bundle included = partner.get("DiagnosticReport?_include=DiagnosticReport:subject&_include=DiagnosticReport:imaging-study").bundle();
    assertThat(ids(included)).contains("alice", "alice-ct-chest-report")
        .noneMatch(id -> id.startsWith("bruno"));
    Bundle revincluded = partner.get("Patient?_revinclude=ImagingStudy:patient&_revinclude=DiagnosticReport:subject").bundle();
    assertThat(ids(revincluded)).contains("alice", "alice-ct-chest", "alice-ct-head-report")
        .noneMatch(id -> id.startsWith("bruno"));
    Bundle studiesWithPatients = partner.get("ImagingStudy?_include=ImagingStudy:patient").bundle();
    assertThat(ids(studiesWithPatients)).contains("alice").noneMatch(id -> id.startsWith("bruno"));
  }

  @Test
  void scopesStillNarrowWhatTheOrganizationMaySee() {
    FhirHttp studiesOnly = backend(BackendTestClients.PARTNER, "system/ImagingStudy.rs");
    assertThat(studiesOnly.get("ImagingStudy/alice-ct-chest").status()).isEqualTo(200);
    assertThat(studiesOnly.get("DiagnosticReport/alice-ct-chest-report").status()).isEqualTo(403);
    assertThat(studiesOnly.get("Observation").status()).isEqualTo(403);
    assertThat(partner.get("AuditEvent").status()).isEqualTo(403);
  }

  @Test
  void aProviderSystemWritesNothingEvenWithAWriteScope() {
    ImagingStudy study = new ImagingStudy();
    study.setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
    study.addIdentifier().setSystem("urn:dicom:uid").setValue("urn:oid:1.2.826.0.1.3680043.10.9.901");
    study.addModality(new Coding("http://dicom.nema.org/resources/ontology/DCM", "CT", null));
    study.setSubject(new Reference("Patient/alice"));
    study.setStarted(new Date());
    FhirHttp.Response created = partner.create(study);
    assertThat(created.status()).as(created.toString()).isEqualTo(403);

    ImagingStudy existing = partner.get("ImagingStudy/alice-ct-head").resource(ImagingStudy.class);
    existing.setDescription("changed by the partner");
    assertThat(partner.update(existing).status()).isEqualTo(403);
    assertThat(http.get("ImagingStudy/alice-ct-head").resource(ImagingStudy.class).getDescription())
        .isNotEqualTo("changed by the partner");
  }

  @Test
  void anOutsideClinicSeesOnlyWhatAReleaseAuthorizationNamesForIt() {
    Organization clinic = new Organization();
    clinic.setId(BackendTestClients.OUTSIDE_CLINIC_ORGANIZATION.substring("Organization/".length()));
    clinic.setName("Outside clinic (tests)");
    fixtures.store(clinic);
    FhirHttp outside = backend(BackendTestClients.OUTSIDE_CLINIC, "system/*.rs");
    assertLooksMissing(outside, "DiagnosticReport/bruno-ct-chest-report", "DiagnosticReport/no-such-report");
    assertThat(ids(outside.get("ImagingStudy").bundle())).isEmpty();

    Consent consent = Fixtures.releaseAuthorization("backend-release-outside-clinic", Consent.ConsentState.ACTIVE,
        "Patient/bruno", BackendTestClients.OUTSIDE_CLINIC_ORGANIZATION, "TREAT", 7, "DiagnosticReport/bruno-ct-chest-report");
    fixtures.store(consent);
    try {
      assertThat(outside.get("DiagnosticReport/bruno-ct-chest-report").status()).isEqualTo(200);
      assertThat(ids(outside.get("DiagnosticReport").bundle())).containsExactly("bruno-ct-chest-report");
      assertLooksMissing(outside, "ImagingStudy/bruno-ct-chest", "ImagingStudy/no-such-study");
      assertLooksMissing(outside, "DiagnosticReport/alice-ct-chest-report", "DiagnosticReport/no-such-report");
    } finally {
      consent.setStatus(Consent.ConsentState.INACTIVE);
      fixtures.store(consent);
    }
    assertLooksMissing(outside, "DiagnosticReport/bruno-ct-chest-report", "DiagnosticReport/no-such-report");
  }
}
