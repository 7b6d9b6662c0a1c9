package dev.custodian.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.facts.EmergencyGrant;
import dev.custodian.server.policy.breakglass.BreakGlassGrants;
import dev.custodian.server.support.ServerTestBase;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Break-the-glass grants in PostgreSQL, as the policy's facts answer them. */
class BreakGlassGrantsTest extends ServerTestBase {

  @Autowired BreakGlassGrants grants;
  @Autowired DatabasePolicyFacts facts;

  @Test
  void aGrantIsInForceForItsPractitionerAndPatientDuringItsWindowOnly() {
    // a practitioner and patient of this test only, so that no other test sees the grants
    String practitioner = "Practitioner/grants-test-" + UUID.randomUUID().toString().substring(0, 8);
    Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(60);
    Instant end = start.plusSeconds(3600);
    EmergencyGrant grant = new EmergencyGrant(UUID.randomUUID().toString(), practitioner, "Patient/grants-test",
        PurposeOfUse.BTG, "  trauma bay, no records on file  ", start, end);
    grants.insert(grant, "test-client", "test-token", "Task/grants-test");
    EmergencyGrant longer = new EmergencyGrant(UUID.randomUUID().toString(), practitioner, "Patient/grants-test",
        PurposeOfUse.ETREAT, "second look, still unconscious", start.plusSeconds(600), end.plusSeconds(600));
    grants.insert(longer, "test-client", "test-token", "Task/grants-test-2");

    assertThat(facts.emergencyGrant(practitioner, "Patient/grants-test", start)).contains(grant);
    assertThat(facts.emergencyGrant(practitioner, "Patient/grants-test", start.plusSeconds(700))).contains(longer);
    assertThat(facts.emergencyGrant(practitioner, "Patient/grants-test", end.plusSeconds(599))).contains(longer);
    assertThat(facts.emergencyGrant(practitioner, "Patient/grants-test", end.plusSeconds(600))).isEmpty();
    assertThat(facts.emergencyGrant(practitioner, "Patient/grants-test", start.minusMillis(1))).isEmpty();
    assertThat(facts.emergencyGrant(practitioner, "Patient/other", start)).isEmpty();
    assertThat(facts.emergencyGrant("Practitioner/dr.chen", "Patient/grants-test", start)).isEmpty();
    assertThat(grant.reason()).isEqualTo("trauma bay, no records on file");
  }
}
