package dev.custodian.server.policy;

import static dev.custodian.server.support.Visibility.assertLooksMissing;
import static dev.custodian.server.support.Visibility.ids;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custodian.server.auth.DemoAccounts;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.Fixtures;
import dev.custodian.server.support.ServerTestBase;
import dev.custodian.server.support.SmartLogin;
import dev.custodian.server.support.TestAccounts;
import dev.custodian.server.support.TestClients;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Personal representatives (45 CFR 164.502(g)) on the real stack: the demo account {@code rep.costa}
 * (RelatedPerson/rep.costa, bruno's health care agent) signs in through SMART, gets bruno as the
 * launch patient, sees exactly bruno's compartment, writes bruno's Consents and nothing else; a
 * RelatedPerson who is not a representative, or whose relationship ended or was deactivated, sees
 * nothing at all.
 */
class RepresentativeAccessTest extends ServerTestBase {

  @BeforeEach
  void outsiders() {
    relatedPerson("test-rep-friend", "FRND", true, null);
    relatedPerson("test-rep-expired", "HPOWATT", true, Date.from(Instant.now().minus(1, ChronoUnit.DAYS)));
    relatedPerson("test-rep-inactive", "GUARD", false, null);
    org.hl7.fhir.r4.model.Organization recipient = new org.hl7.fhir.r4.model.Organization();
    recipient.setId("test-rep-recipient");
    recipient.setName("A recipient no test signs in as");
    fixtures.store(recipient);
    for (String id : new String[] {"test-rep-friend", "test-rep-expired", "test-rep-inactive"}) {
      account(id);
    }
  }

  @Test
  void theRepresentativeSignsInToThePatientSheRepresents() {
    SmartLogin.TokenResponse tokens = new SmartLogin(baseUrl()).login(TestClients.CLIENT_ID, TestClients.REDIRECT_URI,
        "openid fhirUser launch/patient patient/*.rs", "rep.costa", DemoAccounts.DEMO_PASSWORD);
    assertThat(tokens.body().get("patient")).isEqualTo("bruno");
    Map<String, Object> claims = tokens.claims("access_token");
    assertThat(claims.get("fhirUser")).isEqualTo("RelatedPerson/rep.costa");
    assertThat(claims.get("patient")).isEqualTo("bruno");
    assertThat(tokens.claims("id_token").get("fhirUser")).isEqualTo("RelatedPerson/rep.costa");
  }

  @Test
  void theRepresentativeSeesExactlyThePatientsCompartment() {
    for (FhirHttp rep : new FhirHttp[] {as("rep.costa", "launch/patient patient/*.rs"), as("rep.costa", "user/*.rs")}) {
      assertThat(rep.get("Patient/bruno").status()).isEqualTo(200);
      assertThat(rep.get("ImagingStudy/bruno-ct-chest").status()).isEqualTo(200);
      assertThat(rep.get("DiagnosticReport/bruno-ct-abdomen-report").status()).isEqualTo(200);
      assertThat(rep.get("RelatedPerson/rep.costa").status()).isEqualTo(200);
      assertThat(ids(rep.get("ImagingStudy").bundle())).contains("bruno-ct-chest", "bruno-ct-abdomen")
          .noneMatch(id -> id.startsWith("alice"));
      assertThat(ids(rep.get("Patient").bundle())).containsExactly("bruno");

      assertLooksMissing(rep, "Patient/alice", "Patient/no-such-patient");
      assertLooksMissing(rep, "ImagingStudy/alice-ct-chest", "ImagingStudy/no-such-study");
      assertLooksMissing(rep, "DiagnosticReport/alice-ct-head-report", "DiagnosticReport/no-such-report");
      assertLooksMissing(rep, "Coverage/alice-coverage", "Coverage/no-such-coverage");
    }
  }

  @Test
  void theRepresentativeWritesThePatientsConsentsAndNothingElse() {
    FhirHttp rep = as("rep.costa", "launch/patient patient/*.cruds");
    // (to a recipient no other test signs in as, and withdrawn again: other tests' worlds stay as they were)
    Consent forBruno = Fixtures.releaseAuthorization(null, Consent.ConsentState.ACTIVE, "Patient/bruno",
        "Organization/test-rep-recipient", "TREAT", 7, "ImagingStudy/bruno-ct-chest");
    FhirHttp.Response created = rep.create(forBruno);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    Consent granted = created.resource(Consent.class);
    granted.setStatus(Consent.ConsentState.INACTIVE);
    assertThat(rep.update(granted).status()).as("the representative revokes it").isEqualTo(200);

    Consent forAlice = Fixtures.releaseAuthorization(null, Consent.ConsentState.ACTIVE, "Patient/alice",
        "Organization/test-rep-recipient", "TREAT", 7, "ImagingStudy/alice-ct-chest");
    assertThat(rep.create(forAlice).status()).isBetween(400, 499);
    FhirHttp repUser = as("rep.costa", "user/*.cruds");
    assertThat(repUser.create(forAlice).status()).isBetween(400, 499);

    ImagingStudy study = rep.get("ImagingStudy/bruno-ct-chest").resource(ImagingStudy.class);
    study.setDescription("edited by the representative");
    assertThat(rep.update(study).status()).isBetween(400, 499);
    ImagingStudy stored = (ImagingStudy) daos.getResourceDao("ImagingStudy")
        .read(new org.hl7.fhir.r4.model.IdType("ImagingStudy/bruno-ct-chest"), new ca.uhn.fhir.rest.api.server.SystemRequestDetails());
    assertThat(stored.getDescription()).isNotEqualTo("edited by the representative");
  }

  @Test
  void aRelatedPersonWhoIsNoRepresentativeSeesNothing() {
    for (String username : new String[] {"test.rep-friend", "test.rep-expired", "test.rep-inactive"}) {
      FhirHttp outsider = as(username, "user/*.rs");
      assertLooksMissing(outsider, "Patient/bruno", "Patient/no-such-patient");
      assertLooksMissing(outsider, "ImagingStudy/bruno-ct-chest", "ImagingStudy/no-such-study");
      assertThat(ids(outsider.get("ImagingStudy").bundle())).as(username).isEmpty();
      assertThat(ids(outsider.get("DiagnosticReport?patient=bruno").bundle())).as(username).isEmpty();

      Consent consent = Fixtures.releaseAuthorization(null, Consent.ConsentState.ACTIVE, "Patient/bruno",
          "Organization/test-rep-recipient", "TREAT", 7, "ImagingStudy/bruno-ct-chest");
      assertThat(as(username, "user/*.cruds").create(consent).status()).as(username).isBetween(400, 499);

      // and no SMART launch context: there is no patient they may act for
      assertThatThrownBy(() -> new SmartLogin(baseUrl()).login(TestClients.CLIENT_ID, TestClients.REDIRECT_URI,
              "openid fhirUser launch/patient patient/*.rs", username, DemoAccounts.DEMO_PASSWORD))
          .as(username).hasMessageContaining("access_denied");
    }
  }

  private void relatedPerson(String id, String relationship, boolean active, Date ended) {
    RelatedPerson person = new RelatedPerson();
    person.setId(id);
    person.setActive(active);
    person.setPatient(new Reference("Patient/bruno"));
    person.addRelationship(new CodeableConcept(
        new Coding("http://terminology.hl7.org/CodeSystem/v3-RoleCode", relationship, relationship)));
    person.addName().setFamily("Outsider").addGiven(id);
    if (ended != null) {
      person.setPeriod(new Period().setStart(Date.from(Instant.now().minus(400, ChronoUnit.DAYS))).setEnd(ended));
    }
    fixtures.store(person);
  }

  private void account(String relatedPersonId) {
    TestAccounts.ensure(context, relatedPersonId.replaceFirst("^test-rep-", "test.rep-"),
        "RelatedPerson/" + relatedPersonId, "REPRESENTATIVE", null);
  }
}
