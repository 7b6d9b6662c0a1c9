package dev.custodian.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;

/** Patients see who looked at their records — and nothing about anybody else, nor internal ids. */
class PatientAccessLogTest extends ServerTestBase {

  @Test
  void aliceSeesThatDrChenReadHerStudyByNameRoleAndPurpose() {
    assertThat(as("dr.chen", "user/*.rs").get("ImagingStudy/alice-ct-head").status()).isEqualTo(200);

    FhirHttp.Response response = asPatient("alice").get("Patient/alice/$access-log");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    List<AuditEvent> log = events(response.bundle());
    assertThat(log).anySatisfy(event -> {
      assertThat(event.getAgent()).anySatisfy(agent -> {
        assertThat(agent.getWho().getDisplay()).isEqualTo("Dr. Wei Chen");
        assertThat(agent.getRoleFirstRep().getCodingFirstRep().getDisplay()).isEqualTo("Clinician");
      });
      assertThat(event.getEntity()).anyMatch(e -> "ImagingStudy/alice-ct-head".equals(e.getWhat().getReference()));
      assertThat(event.getPurposeOfEventFirstRep().getCodingFirstRep().getCode()).isEqualTo("TREAT");
    });
    // names instead of internal ids; no client ids, token ids, addresses or queries
    assertThat(response.body()).doesNotContain("Practitioner/dr.chen", "dr.chen", "urn:ietf:params:oauth:jti",
        "custodian-test", "127.0.0.1", "\"query\"");
  }

  @Test
  void aSearchThatNamedOtherPatientsShowsOnlyTheirOwnPart() {
    assertThat(as("dr.chen", "user/*.rs").get("ImagingStudy?patient=alice,bruno").status()).isEqualTo(200);
    FhirHttp.Response response = asPatient("alice").get("Patient/alice/$access-log");
    assertThat(response.body()).doesNotContain("bruno");
  }

  @Test
  void brunoCannotReadAlicesLogNorFindHerAccessesInHis() {
    as("dr.chen", "user/*.rs").get("ImagingStudy/alice-ct-chest");
    FhirHttp bruno = asPatient("bruno");
    assertThat(bruno.get("Patient/alice/$access-log").status()).isEqualTo(404);
    assertThat(bruno.get("Patient/no-such-patient/$access-log").status()).isEqualTo(404);
    FhirHttp.Response own = bruno.get("Patient/bruno/$access-log");
    assertThat(own.status()).isEqualTo(200);
    assertThat(own.body()).doesNotContain("alice");
  }

  @Test
  void staffOtherThanAuditorsCannotReadAPatientsLog() {
    assertThat(as("dr.chen", "user/*.rs").get("Patient/alice/$access-log").status()).isEqualTo(404);
    assertThat(as("audit.gray", "user/AuditEvent.rs").get("Patient/alice/$access-log").status()).isEqualTo(200);
    assertThat(http.withBearer("nonsense").get("Patient/alice/$access-log").status()).isEqualTo(401);
  }

  @Test
  void ownAccessesOnlyOnRequest() {
    FhirHttp alice = asPatient("alice");
    alice.get("ImagingStudy/alice-ct-chest");
    assertThat(events(alice.get("Patient/alice/$access-log").bundle()))
        .noneMatch(e -> e.getAgent().stream().anyMatch(a -> a.getWho().getDisplay().contains("Alice")));
    assertThat(events(alice.get("Patient/alice/$access-log?includeOwn=true").bundle()))
        .anyMatch(e -> e.getAgent().stream().anyMatch(a -> a.getWho().getDisplay().contains("Alice")));
  }

  private static List<AuditEvent> events(Bundle bundle) {
    return bundle.getEntry().stream().map(e -> (AuditEvent) e.getResource()).toList();
  }
}
