package dev.custodian.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import dev.custodian.server.policy.BreakGlassTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Patients see who looked at their records — and nothing about anybody else, nor internal ids. */
class PatientAccessLogTest extends ServerTestBase {

  @Autowired JdbcTemplate authJdbcTemplate;

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

  @Test
  void anEmergencyAccessIsShownAsSuchWithItsReason() {
    FhirHttp diaz = as("dr.diaz", "openid fhirUser user/*.rs");
    String reason = "Unconscious in the ED, prior chest CT needed " + java.util.UUID.randomUUID();
    try {
      assertThat(BreakGlassTest.breakTheGlass(diaz, "alice", "ETREAT", reason, "log-" + java.util.UUID.randomUUID())
          .status()).isEqualTo(200);
      assertThat(diaz.get("ImagingStudy/alice-ct-chest").status()).isEqualTo(200);
      List<AuditEvent> log = events(asPatient("alice").get("Patient/alice/$access-log").bundle());
      assertThat(log).anySatisfy(event -> {
        assertThat(event.getMeta().getSecurity("http://terminology.hl7.org/CodeSystem/v3-ActReason", "BTG")).isNotNull();
        assertThat(event.getExtensionString("https://custodian.dev/fhir/StructureDefinition/audit-break-glass-reason"))
            .isEqualTo(reason);
        assertThat(event.getAgent()).anyMatch(a -> "Dr. Lucia Diaz".equals(a.getWho().getDisplay()));
        assertThat(event.getEntity()).anyMatch(e -> "ImagingStudy/alice-ct-chest".equals(e.getWhat().getReference()));
      });
    } finally {
      authJdbcTemplate.update("UPDATE custodian_break_glass_grant SET expires_at = granted_at + interval '1 millisecond'"
          + " WHERE expires_at > now()");
    }
  }

  private static List<AuditEvent> events(Bundle bundle) {
    return bundle.getEntry().stream().map(e -> (AuditEvent) e.getResource()).toList();
  }
}
