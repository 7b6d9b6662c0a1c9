package dev.custodian.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.ShareLinkHolders;
import dev.custodian.policy.decision.Action;
import dev.custodian.policy.decision.Basis;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.decision.Effect;
import dev.custodian.policy.facts.ShareGrant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A share link's holder gets exactly the records the link names, while it is in force, and nothing else. */
class ShareLinkRuleTest {

  private final DemoScenario scenario = new DemoScenario();
  private final AccessPolicy policy = scenario.policy();
  private final Caller holder = ShareLinkHolders.holder("link-1");

  private void grant(boolean revoked, long hoursLeft, String consent) {
    scenario.facts.shareGrant(new ShareGrant("link-1", "Patient/alice",
        Set.of("ImagingStudy/alice-ct-chest", "DiagnosticReport/alice-ct-chest-report"),
        DemoScenario.NOW.plus(hoursLeft, ChronoUnit.HOURS), revoked, consent));
  }

  private Decision decide(Action action, String resource) {
    return policy.decide(holder, action, scenario.resource(resource));
  }

  @Test
  void theHolderReadsAndRetrievesExactlyTheNamedRecords() {
    grant(false, 24, null);
    for (Action action : Set.of(Action.READ, Action.VREAD, Action.SEARCH, Action.RETRIEVE_DICOM)) {
      Decision decision = decide(action, "ImagingStudy/alice-ct-chest");
      assertThat(decision.effect()).as(action + ": " + decision.reason()).isEqualTo(Effect.PERMIT);
      assertThat(decision.basis()).isEqualTo(Basis.RIGHT_OF_ACCESS);
    }
    assertThat(decide(Action.READ, "DiagnosticReport/alice-ct-chest-report").isPermitted()).isTrue();
  }

  @Test
  void nothingElseOfThePatientNorOfAnother() {
    grant(false, 24, null);
    assertThat(decide(Action.RETRIEVE_DICOM, "ImagingStudy/alice-ct-head").isPermitted()).isFalse();
    assertThat(decide(Action.READ, "DiagnosticReport/alice-ct-head-report").isPermitted()).isFalse();
    assertThat(decide(Action.READ, "Patient/alice").isPermitted()).isFalse();
    assertThat(decide(Action.RETRIEVE_DICOM, "ImagingStudy/bruno-ct-abdomen").isPermitted()).isFalse();
    assertThat(decide(Action.HISTORY_INSTANCE, "ImagingStudy/alice-ct-chest").isPermitted()).isFalse();
    assertThat(decide(Action.UPDATE, "ImagingStudy/alice-ct-chest").isPermitted()).isFalse();
  }

  @Test
  void anExpiredRevokedOrUnknownLinkGrantsNothing() {
    assertThat(decide(Action.READ, "ImagingStudy/alice-ct-chest").isPermitted()).isFalse();
    grant(false, -1, null);
    assertThat(decide(Action.READ, "ImagingStudy/alice-ct-chest").reason()).contains("expired");
    grant(true, 24, null);
    assertThat(decide(Action.READ, "ImagingStudy/alice-ct-chest").reason()).contains("revoked");
  }

  @Test
  void aLinkWithAReleaseAuthorizationNamesItsConsent() {
    grant(false, 24, "Consent/share-1");
    Decision decision = decide(Action.RETRIEVE_DICOM, "ImagingStudy/alice-ct-chest");
    assertThat(decision.basis()).isEqualTo(Basis.AUTHORIZATION);
    assertThat(decision.consentRef()).isEqualTo("Consent/share-1");
  }

  @Test
  void otherCallersDoNotGetShareLinkGrants() {
    grant(false, 24, null);
    Caller impostor = new Caller("Patient/bruno", ShareLinkHolders.CLIENT_ID, Set.of(dev.custodian.policy.caller.Role.PATIENT),
        null, holder.scopes(), null, dev.custodian.policy.caller.PurposeOfUse.PATRQT, null, "link-1");
    assertThat(policy.decide(impostor, Action.READ, scenario.resource("ImagingStudy/alice-ct-chest")).isPermitted()).isFalse();
  }
}
