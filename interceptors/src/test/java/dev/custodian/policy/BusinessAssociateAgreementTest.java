package dev.custodian.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.decision.Action;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.decision.Effect;
import dev.custodian.policy.minimum.MinimumNecessary;
import java.io.StringReader;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.junit.jupiter.api.Test;

/** A business associate sees only the element set its agreement names, never the operations set. */
class BusinessAssociateAgreementTest {

  private final DemoScenario scenario = new DemoScenario();

  @Test
  void theAgreementsSetIsTheProjection() {
    Decision decision = scenario.policy().decide(scenario.caller("ba-system"), Action.READ,
        scenario.resource("DiagnosticReport/bruno-ct-chest-report"));
    assertThat(decision.effect()).isEqualTo(Effect.PERMIT_PROJECTED);
    DiagnosticReport seen = (DiagnosticReport) decision.apply(scenario.resource("DiagnosticReport/bruno-ct-chest-report"));
    assertThat(seen.hasCode()).isTrue();
    assertThat(seen.hasConclusion()).isFalse();
    // in the operations set, not in the billing associate's agreement
    assertThat(seen.hasImagingStudy()).isFalse();
    assertThat(seen.hasCategory()).isFalse();
  }

  @Test
  void anAssociateWithoutAnAgreementSeesNothing() {
    Caller unknown = Caller.builder().clientId("other-ba").roles(Role.BUSINESS_ASSOCIATE)
        .organization("Organization/other-associate").scopes("system/*.rs").purpose(PurposeOfUse.HOPERAT)
        .tokenId("t-other").build();
    assertThat(scenario.policy().decide(unknown, Action.READ,
        scenario.resource("DiagnosticReport/bruno-ct-chest-report")).isPermitted()).isFalse();
    assertThat(scenario.policy().decide(unknown, Action.READ,
        scenario.resource("ImagingStudy/bruno-ct-chest")).isPermitted()).isFalse();
  }

  @Test
  void anAgreementNeverCoversAWholeResource() {
    assertThatThrownBy(() -> MinimumNecessary.parse(
            new StringReader("HOPERAT[some-associate].ImagingStudy = *\n"), "test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("never covers a whole");
    assertThat(MinimumNecessary.loadDefault().agreementSet("Organization/billing-associate", "ImagingStudy"))
        .hasValueSatisfying(set -> assertThat(set.keeps("series")).isFalse());
  }
}
