package dev.custodian.server.sharing;

import dev.custodian.server.support.HttpAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.server.support.TestAccounts;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.RelatedPerson;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A personal representative manages the represented patient's share links as she does — create,
 * list, reissue, revoke — and nobody else's: the demo representative rep.costa (bruno's) cannot touch
 * alice's. A patient of its own (share-rep-pat, signing in as test.share-rep-pat) with a
 * representative of its own (test.rep-share, her health care agent).
 */
class ShareLinkRepresentativeTest extends ShareLinkTestBase {

  static final String PATIENT = "share-rep-pat";
  static final String STUDY = "ImagingStudy/" + PATIENT + "-ct";

  @BeforeEach
  void patientWithARepresentative() {
    fixtures.patientTreatedByDrChen(PATIENT);
    TestAccounts.ensure(context, "test.share-rep-pat", "Patient/" + PATIENT, "PATIENT", null);
    RelatedPerson agent = new RelatedPerson();
    agent.setId("test-rep-share");
    agent.setActive(true);
    agent.setPatient(new Reference("Patient/" + PATIENT));
    agent.addRelationship(new CodeableConcept(
        new Coding("http://terminology.hl7.org/CodeSystem/v3-RoleCode", "HPOWATT", "healthcare power of attorney")));
    agent.addName().setFamily("Agent").addGiven("Share");
    fixtures.store(agent);
    TestAccounts.ensure(context, "test.rep-share", "RelatedPerson/test-rep-share", "REPRESENTATIVE", null);
    ImagingStudy study = new ImagingStudy();
    study.setId(PATIENT + "-ct");
    study.addIdentifier().setSystem("urn:dicom:uid").setValue("urn:oid:2.25.7070702");
    study.setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
    study.addModality(new Coding("http://dicom.nema.org/resources/ontology/DCM", "CT", "Computed Tomography"));
    study.setSubject(new Reference("Patient/" + PATIENT));
    study.setStartedElement(new DateTimeType("2026-10-02T09:00:00Z"));
    fixtures.store(study);
  }

  private static ObjectNode study() {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("studies").add(STUDY);
    body.put("expiresIn", "P1D");
    body.put("maxUses", 2);
    return body;
  }

  @Test
  void theRepresentativeCreatesListsReissuesAndRevokesThePatientsLinks() {
    String agent = token("test.rep-share", PATIENT_SCOPES);
    String patient = token("test.share-rep-pat", PATIENT_SCOPES);

    // created for the patient she represents (no "patient" needed: her launch patient)
    JsonNode byAgent = link(agent, study());
    assertThat(byAgent.get("createdBy").asText()).isEqualTo("RelatedPerson/test-rep-share");
    assertThat(byAgent.get("patient").asText()).isEqualTo("Patient/" + PATIENT);
    JsonNode byPatient = link(patient, study());

    // each sees both: the patient's links are the representative's to manage
    for (String who : new String[] {agent, patient}) {
      JsonNode listed = list(who).json();
      ShareLinkTest.find(listed, byAgent.get("id").asText());
      ShareLinkTest.find(listed, byPatient.get("id").asText());
    }

    // she reissues the patient's link: the old URL is dead, the new one opens
    HttpAnswer reissued = reissue(agent, byPatient.get("id").asText());
    assertThat(reissued.status()).as(reissued.toString()).isEqualTo(200);
    assertGone(redeem(byPatient.get("url").asText(), null, true));
    assertThat(redeem(reissued.json().get("url").asText(), null, true).status()).isEqualTo(200);

    // and revokes it, and her own
    HttpAnswer revoked = revoke(agent, byPatient.get("id").asText());
    assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
    assertThat(revoked.json().get("state").asText()).isEqualTo("revoked");
    assertGone(redeem(reissued.json().get("url").asText(), null, true));
    assertThat(revoke(agent, byAgent.get("id").asText()).status()).isEqualTo(200);
    assertThat(ShareLinkTest.find(list(patient).json(), byAgent.get("id").asText()).get("state").asText())
        .isEqualTo("revoked");
  }

  @Test
  void brunosRepresentativeCannotTouchAlicesLinks() {
    JsonNode alices = link(alice(), chestCt().put("maxUses", 2));
    String id = alices.get("id").asText();
    String costa = token("rep.costa", PATIENT_SCOPES);
    String missing = "00000000-0000-0000-0000-000000000000";

    assertThat(list(costa).json().toString()).doesNotContain(id, "alice");
    HttpAnswer reissue = reissue(costa, id);
    assertThat(reissue.status()).isEqualTo(404);
    assertThat(reissue.text()).isEqualTo(reissue(costa, missing).text());
    HttpAnswer revoke = revoke(costa, id);
    assertThat(revoke.status()).isEqualTo(404);
    assertThat(revoke.text()).isEqualTo(revoke(costa, missing).text());
    HttpAnswer create = create(costa, chestCt().put("patient", "Patient/alice"));
    assertThat(create.status()).as(create.toString()).isEqualTo(404);

    // and alice's link is as it was: it opens, with the original URL
    assertThat(redeem(alices.get("url").asText(), null, true).status()).isEqualTo(200);
    assertThat(ShareLinkTest.find(list(alice()).json(), id).get("state").asText()).isEqualTo("active");
  }

  @Test
  void aClinicianWhoCreatedALinkCannotReissueItButTheRepresentativeCan() {
    String agent = token("test.rep-share", PATIENT_SCOPES);
    // a staff member who merely created a link of the patient's cannot reissue it (only she and her agent)
    JsonNode byClinician = link(token("dr.chen", STAFF_SCOPES), study().put("patient", "Patient/" + PATIENT));
    assertThat(reissue(token("dr.chen", STAFF_SCOPES), byClinician.get("id").asText()).status()).isEqualTo(404);
    assertThat(reissue(agent, byClinician.get("id").asText()).status()).isEqualTo(200);
  }
}
