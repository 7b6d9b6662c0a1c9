package dev.custodian.policy.facts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class InMemoryPolicyFactsTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T1 = Instant.parse("2026-06-01T00:00:00Z");

  @Test
  void periodsAreClosedAtTheStartAndOpenAtTheEnd() {
    InMemoryPolicyFacts facts = new InMemoryPolicyFacts().careTeamMember("Practitioner/a", "Patient/p", T0, T1);

    assertThat(facts.isCareTeamMember("Practitioner/a", "Patient/p", T0)).isTrue();
    assertThat(facts.isCareTeamMember("Practitioner/a", "Patient/p", T1)).isFalse();
    assertThat(facts.isCareTeamMember("Practitioner/a", "Patient/q", T0)).isFalse();
    assertThat(facts.isCareTeamMember("Practitioner/b", "Patient/p", T0)).isFalse();
  }

  @Test
  void encountersOverlapTheWindow() {
    InMemoryPolicyFacts facts = new InMemoryPolicyFacts().encounterParticipant("Practitioner/a", "Patient/p", T0, T1);

    assertThat(facts.hasEncounterParticipation("Practitioner/a", "Patient/p", T1, T1.plusSeconds(60))).isTrue();
    assertThat(facts.hasEncounterParticipation("Practitioner/a", "Patient/p", T1.plusSeconds(1), T1.plusSeconds(60))).isFalse();
    assertThat(facts.hasEncounterParticipation("Practitioner/a", "Patient/p", T0.minusSeconds(60), T0)).isTrue();
  }

  @Test
  void openEndedFacts() {
    InMemoryPolicyFacts facts = new InMemoryPolicyFacts()
        .payor("Organization/plan", "Patient/p", null, null)
        .representative("RelatedPerson/r", "Patient/p", T0, null)
        .referral("Organization/h", "Patient/p", null, T1);

    assertThat(facts.isPayor("Organization/plan", "Patient/p", Instant.MAX)).isTrue();
    assertThat(facts.isPersonalRepresentative("RelatedPerson/r", "Patient/p", T0.minusSeconds(1))).isFalse();
    assertThat(facts.hasReferralTo("Organization/h", "Patient/p", T0)).isTrue();
    assertThat(facts.hasReferralTo("Organization/h", "Patient/p", T1)).isFalse();
  }
}
