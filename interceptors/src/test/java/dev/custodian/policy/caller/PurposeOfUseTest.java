package dev.custodian.policy.caller;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PurposeOfUseTest {

  @Test
  void codesAndDisplaysOfV3ActReason() {
    assertThat(PurposeOfUse.SYSTEM).isEqualTo("http://terminology.hl7.org/CodeSystem/v3-ActReason");
    assertThat(PurposeOfUse.HPAYMT.code()).isEqualTo("HPAYMT");
    assertThat(PurposeOfUse.TREAT.display()).isEqualTo("treatment");
    assertThat(PurposeOfUse.BTG.display()).isEqualTo("break the glass");
    assertThat(PurposeOfUse.fromCode("ETREAT")).contains(PurposeOfUse.ETREAT);
    assertThat(PurposeOfUse.fromCode("treat")).isEmpty();
  }

  @Test
  void whichPurposesAreEmergenciesOrNeedJustification() {
    assertThat(PurposeOfUse.BTG.isEmergency()).isTrue();
    assertThat(PurposeOfUse.ETREAT.isEmergency()).isTrue();
    assertThat(PurposeOfUse.HLEGAL.isEmergency()).isFalse();
    assertThat(PurposeOfUse.HLEGAL.requiresJustification()).isTrue();
    assertThat(PurposeOfUse.PUBHLTH.requiresJustification()).isTrue();
    assertThat(PurposeOfUse.TREAT.requiresJustification()).isFalse();
    assertThat(PurposeOfUse.PATRQT.requiresJustification()).isFalse();
  }
}
