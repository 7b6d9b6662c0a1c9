package dev.custodian.server.policy;

import static dev.custodian.server.support.Visibility.assertLooksMissing;
import static dev.custodian.server.support.Visibility.ids;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.support.BackendTestClients;
import dev.custodian.server.support.ClientAssertions;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import dev.custodian.server.support.SmartLogin;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/**
 * Patient restrictions (45 CFR 164.522(a)) on the real stack: alice writes a deny Consent through
 * the API, and it overrides the permit it targets from the very next request — the self-pay
 * restriction hides a study from her health plan, a restriction on the partner hospital hides all
 * of her records from its system — while she herself, and everyone it does not name, are unaffected;
 * withdrawing it (status inactive) restores the permit.
 */
class PatientRestrictionTest extends ServerTestBase {

  private FhirHttp alice() {
    return as("alice", "launch/patient patient/*.cruds");
  }

  /** A deny Consent of alice's: {@code actor} may not receive {@code records} (none: all of hers). */
  static Consent restriction(String actor, String... records) {
    Consent consent = new Consent();
    consent.setStatus(Consent.ConsentState.ACTIVE);
    consent.setScope(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", "Privacy Consent")));
    consent.addCategory(new CodeableConcept(new Coding("http://loinc.org", "59284-0", "Patient Consent")));
    consent.setPatient(new Reference("Patient/alice"));
    consent.setPolicyRule(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTOUT", "opt-out")));
    Consent.ProvisionComponent provision = consent.getProvision();
    provision.setType(Consent.ConsentProvisionType.DENY);
    provision.addActor()
        .setRole(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", "information recipient")))
        .setReference(new Reference(actor));
    for (String record : records) {
      provision.addData().setMeaning(Consent.ConsentDataMeaning.INSTANCE).setReference(new Reference(record));
    }
    return consent;
  }

  private Consent grant(Consent consent) {
    FhirHttp.Response created = alice().create(consent);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.resource(Consent.class);
  }

  private void withdraw(Consent consent) {
    consent.setStatus(Consent.ConsentState.INACTIVE);
    FhirHttp.Response updated = alice().update(consent);
    assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
  }

  @Test
  void theSelfPayRestrictionHidesTheStudyFromTheHealthPlan() {
    FhirHttp plan = as("payer.evans", "user/*.rs");
    assertThat(plan.get("ImagingStudy/alice-ct-head").status()).isEqualTo(200);
    assertThat(plan.get("DiagnosticReport/alice-ct-head-report").status()).isEqualTo(200);

    Consent selfPay = grant(restriction("Organization/health-plan",
        "ImagingStudy/alice-ct-head", "DiagnosticReport/alice-ct-head-report"));
    try {
      assertLooksMissing(plan, "ImagingStudy/alice-ct-head", "ImagingStudy/no-such-study");
      assertLooksMissing(plan, "DiagnosticReport/alice-ct-head-report", "DiagnosticReport/no-such-report");
      assertThat(ids(plan.get("ImagingStudy?patient=alice").bundle())).contains("alice-ct-chest").doesNotContain("alice-ct-head");
      assertThat(ids(plan.get("DiagnosticReport").bundle())).contains("alice-ct-chest-report")
          .doesNotContain("alice-ct-head-report");
      assertThat(plan.get("ImagingStudy/alice-ct-chest").status()).as("what it does not name").isEqualTo(200);
      // the patient herself, and her treating clinician, are not restricted
      assertThat(alice().get("ImagingStudy/alice-ct-head").status()).isEqualTo(200);
      assertThat(http.get("ImagingStudy/alice-ct-head").status()).isEqualTo(200);
    } finally {
      withdraw(selfPay);
    }
    assertThat(plan.get("ImagingStudy/alice-ct-head").status()).as("withdrawn on the very next request").isEqualTo(200);
  }

  @Test
  void aRestrictionOnAnOrganizationHidesEverythingFromItsSystem() {
    BackendTestClients.ensureRegistered(context);
    String assertion = ClientAssertions.sign(BackendTestClients.RSA,
        ClientAssertions.claims(BackendTestClients.PARTNER, baseUrl() + "/oauth2/token").build());
    SmartLogin.TokenResponse tokens = new SmartLogin(baseUrl()).token(ClientAssertions.tokenRequest(assertion,
        "system/ImagingStudy.rs system/DiagnosticReport.rs system/Patient.rs"));
    FhirHttp partner = new FhirHttp(PORT, fhirContext).withBearer(tokens.accessToken());
    assertThat(partner.get("ImagingStudy/alice-ct-chest").status()).isEqualTo(200);

    Consent restriction = grant(restriction("Organization/partner-hospital"));
    try {
      assertLooksMissing(partner, "ImagingStudy/alice-ct-chest", "ImagingStudy/no-such-study");
      assertLooksMissing(partner, "DiagnosticReport/alice-ct-head-report", "DiagnosticReport/no-such-report");
      assertLooksMissing(partner, "Patient/alice", "Patient/no-such-patient");
      assertThat(ids(partner.get("ImagingStudy").bundle())).noneMatch(id -> id.startsWith("alice"));
      assertThat(ids(partner.get("Patient").bundle())).doesNotContain("alice");
      assertThat(http.get("ImagingStudy/alice-ct-chest").status()).as("others still see it").isEqualTo(200);
    } finally {
      withdraw(restriction);
    }
    assertThat(partner.get("ImagingStudy/alice-ct-chest").status()).isEqualTo(200);
  }

  @Test
  void nobodyButThePatientMayWriteHerRestrictions() {
    Consent forged = restriction("Organization/health-plan");
    FhirHttp.Response byClinician = as("dr.chen", "user/*.cruds").create(forged);
    assertThat(byClinician.status()).isBetween(400, 499);
    FhirHttp.Response byBruno = as("bruno", "launch/patient patient/*.cruds").create(forged);
    assertThat(byBruno.status()).isBetween(400, 499);
  }
}
