package dev.custodian.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.decision.Action;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.facts.PatientRestriction;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A patient's restriction (a deny Consent) overrides the permits it targets, and only those. */
class RestrictionOverrideTest {

  private final DemoScenario scenario = new DemoScenario();

  private Decision read(String caller, String reference) {
    return scenario.policy().decide(scenario.caller(caller), Action.READ, scenario.resource(reference));
  }

  @Test
  void theSelfPayRestrictionHidesTheStudyFromTheHealthPlanOnly() {
    assertThat(read("health-plan", "ImagingStudy/alice-ct-head").isPermitted()).isTrue();
    scenario.facts.restriction(new PatientRestriction("Consent/self-pay", "Patient/alice",
        Set.of("Organization/health-plan"), Set.of("ImagingStudy/alice-ct-head", "DiagnosticReport/alice-ct-head-report"),
        Set.of(), null, null));

    Decision denied = read("health-plan", "ImagingStudy/alice-ct-head");
    assertThat(denied.isPermitted()).isFalse();
    assertThat(denied.reason()).contains("Consent/self-pay");
    assertThat(read("health-plan", "DiagnosticReport/alice-ct-head-report").isPermitted()).isFalse();
    assertThat(read("health-plan", "ImagingStudy/alice-ct-chest").isPermitted()).isTrue();
    assertThat(read("dr.chen", "ImagingStudy/alice-ct-head").isPermitted()).isTrue();
    assertThat(read("alice", "ImagingStudy/alice-ct-head").isPermitted()).isTrue();
    assertThat(read("carol", "ImagingStudy/alice-ct-head").isPermitted()).isTrue();
  }

  @Test
  void aRestrictionOnARecipientOverridesTreatmentAndAuthorizationsButNotEmergencyOrLaw() {
    scenario.facts.restriction(new PatientRestriction("Consent/no-chen", "Patient/alice",
        Set.of("Practitioner/dr.chen"), Set.of(), Set.of(), null, null));
    scenario.facts.restriction(new PatientRestriction("Consent/no-evans", "Patient/alice",
        Set.of("Person/ms.evans"), Set.of(), Set.of(), null, null));
    assertThat(read("dr.chen", "ImagingStudy/alice-ct-chest").isPermitted()).isFalse();
    assertThat(read("dr.chen", "Patient/alice").isPermitted()).isFalse();
    assertThat(read("ms.evans", "ImagingStudy/alice-ct-head").isPermitted()).isFalse();
    scenario.facts.restriction(new PatientRestriction("Consent/no-ruiz", "Patient/bruno",
        Set.of("Practitioner/dr.ruiz"), Set.of(), Set.of(), null, null));
    assertThat(read("dr.ruiz-btg", "ImagingStudy/bruno-ct-chest").isPermitted()).as("emergency access").isTrue();
    assertThat(read("him-legal", "ImagingStudy/alice-ct-chest").isPermitted()).isTrue();
    assertThat(read("dr.chen", "ImagingStudy/bruno-ct-chest").isPermitted()).isFalse(); // never treated bruno
  }

  @Test
  void aRestrictionAppliesOnlyWithinItsPeriodAndForItsPurposes() {
    scenario.facts.restriction(new PatientRestriction("Consent/ended", "Patient/alice",
        Set.of("Organization/health-plan"), Set.of(), Set.of(), null, Instant.parse("2026-01-01T00:00:00Z")));
    scenario.facts.restriction(new PatientRestriction("Consent/operations-only", "Patient/alice",
        Set.of("Organization/health-plan"), Set.of(), Set.of(PurposeOfUse.HOPERAT), null, null));
    assertThat(read("health-plan", "ImagingStudy/alice-ct-chest").isPermitted()).isTrue();
  }
}
