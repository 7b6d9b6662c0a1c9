package dev.custodian.policy.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.minimum.ElementSet;
import dev.custodian.policy.minimum.Projection;
import dev.custodian.policy.scope.Interaction;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DecisionTest {

  private static final Projection PROJECTION =
      new Projection(PurposeOfUse.HPAYMT, ElementSet.of("Patient", Set.of("name")));

  @Test
  void aDenialCarriesNothingButItsReason() {
    Decision deny = Decision.deny("no");

    assertThat(deny.basis()).isEqualTo(Basis.NONE);
    assertThat(deny.isPermitted()).isFalse();
    assertThatThrownBy(() -> deny.flagged()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> deny.withConsent("Consent/c")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Decision(Effect.DENY, Basis.TREATMENT, null, null, "x", false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void projectionsGoWithProjectedPermitsOnly() {
    assertThat(Decision.permitProjected(Basis.PAYMENT, PROJECTION, "ok").effect()).isEqualTo(Effect.PERMIT_PROJECTED);
    assertThatThrownBy(() -> new Decision(Effect.PERMIT, Basis.PAYMENT, null, PROJECTION, "x", false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Decision(Effect.PERMIT_PROJECTED, Basis.PAYMENT, null, null, "x", false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyDecisionHasAReason() {
    assertThatThrownBy(() -> Decision.permit(Basis.TREATMENT, " ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void permitsCanBeFlaggedAndNameAConsent() {
    Decision decision = Decision.permit(Basis.AUTHORIZATION, "ok").withConsent("Consent/c").flagged();

    assertThat(decision.consentRef()).isEqualTo("Consent/c");
    assertThat(decision.flaggedForReview()).isTrue();
  }

  @Test
  void actionsMapToScopeInteractions() {
    assertThat(Action.VREAD.interaction()).isEqualTo(Interaction.READ);
    assertThat(Action.HISTORY_INSTANCE.interaction()).isEqualTo(Interaction.READ);
    assertThat(Action.HISTORY_TYPE.interaction()).isEqualTo(Interaction.SEARCH);
    assertThat(Action.RETRIEVE_DICOM.interaction()).isEqualTo(Interaction.READ);
    assertThat(Action.DELETE.isWrite()).isTrue();
    assertThat(Action.RETRIEVE_DICOM.isWrite()).isFalse();
    assertThat(Action.of(RestOperationTypeEnum.PATCH)).contains(Action.UPDATE);
    assertThat(Action.of(RestOperationTypeEnum.SEARCH_TYPE)).contains(Action.SEARCH);
    assertThat(Action.of(RestOperationTypeEnum.TRANSACTION)).isEmpty();
    assertThat(Action.of(null)).isEmpty();
    for (RestOperationTypeEnum operation : RestOperationTypeEnum.values()) {
      Action.of(operation).ifPresent(action ->
          assertThat(Interaction.of(operation)).contains(action.interaction()));
    }
  }
}
