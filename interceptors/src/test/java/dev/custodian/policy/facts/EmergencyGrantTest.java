package dev.custodian.policy.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.decision.Basis;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.decision.Effect;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmergencyGrantTest {

  private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
  private static final Instant T1 = T0.plusSeconds(3600);

  private static EmergencyGrant grant(PurposeOfUse purpose, String reason) {
    return new EmergencyGrant("g", "Practitioner/dr.diaz", "Patient/alice", purpose, reason, T0, T1);
  }

  @Test
  void aGrantNeedsAnEmergencyPurposeAWrittenReasonAndAWindow() {
    assertThat(grant(PurposeOfUse.ETREAT, "  unconscious in the ED  ").reason()).isEqualTo("unconscious in the ED");
    assertThatThrownBy(() -> grant(PurposeOfUse.TREAT, "unconscious in the ED"))
        .hasMessageContaining("ETREAT or BTG");
    assertThatThrownBy(() -> grant(PurposeOfUse.BTG, "  urgent   ")).hasMessageContaining("written reason");
    assertThatThrownBy(() -> grant(PurposeOfUse.BTG, null)).hasMessageContaining("written reason");
    assertThatThrownBy(() -> new EmergencyGrant("g", "Practitioner/dr.diaz", "Patient/alice", PurposeOfUse.BTG,
        "unconscious in the ED", T1, T0)).hasMessageContaining("end after it starts");
    assertThatThrownBy(() -> new EmergencyGrant("g", "Patient/bruno", "Patient/alice", PurposeOfUse.BTG,
        "unconscious in the ED", T0, T1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void inForceFromItsStartUntilJustBeforeItsEnd() {
    EmergencyGrant grant = grant(PurposeOfUse.BTG, "unconscious in the ED");
    assertThat(grant.activeAt(T0.minusMillis(1))).isFalse();
    assertThat(grant.activeAt(T0)).isTrue();
    assertThat(grant.activeAt(T1.minusMillis(1))).isTrue();
    assertThat(grant.activeAt(T1)).isFalse();
  }

  @Test
  void inMemoryFactsAnswerTheLongestGrantInForceForThatPractitionerAndPatient() {
    EmergencyGrant shortOne = grant(PurposeOfUse.BTG, "unconscious in the ED");
    EmergencyGrant longOne = new EmergencyGrant("g2", "Practitioner/dr.diaz", "Patient/alice", PurposeOfUse.ETREAT,
        "still unconscious, second look", T0.plusSeconds(600), T1.plusSeconds(600));
    InMemoryPolicyFacts facts = new InMemoryPolicyFacts().emergencyGrant(shortOne).emergencyGrant(longOne);

    assertThat(facts.emergencyGrant("Practitioner/dr.diaz", "Patient/alice", T0.plusSeconds(700))).contains(longOne);
    assertThat(facts.emergencyGrant("Practitioner/dr.diaz", "Patient/alice", T0)).contains(shortOne);
    assertThat(facts.emergencyGrant("Practitioner/dr.diaz", "Patient/bruno", T0)).isEmpty();
    assertThat(facts.emergencyGrant("Practitioner/dr.chen", "Patient/alice", T0)).isEmpty();
    assertThat(facts.emergencyGrant("Practitioner/dr.diaz", "Patient/alice", T1.plusSeconds(600))).isEmpty();
  }

  @Test
  void grantsGoWithAFlaggedEmergencyPermitOnly() {
    EmergencyGrant grant = grant(PurposeOfUse.BTG, "unconscious in the ED");
    Decision decision = Decision.emergency(List.of(grant), "break-the-glass");
    assertThat(decision.effect()).isEqualTo(Effect.PERMIT);
    assertThat(decision.basis()).isEqualTo(Basis.EMERGENCY);
    assertThat(decision.flaggedForReview()).isTrue();
    assertThat(decision.withConsent("Consent/c").emergencyGrants()).containsExactly(grant);
    assertThatThrownBy(() -> Decision.emergency(List.of(), "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Decision(Effect.PERMIT, Basis.TREATMENT, null, null, "x", true, List.of(grant)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Decision(Effect.PERMIT, Basis.EMERGENCY, null, null, "x", false, List.of(grant)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Decision.permit(Basis.TREATMENT, "x").emergencyGrants()).isEmpty();
  }
}
