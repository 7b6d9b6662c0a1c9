package dev.custodian.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.decision.Action;
import dev.custodian.policy.decision.Basis;
import dev.custodian.policy.decision.Decision;
import dev.custodian.policy.decision.Effect;
import dev.custodian.policy.facts.AuthorizationStatus;
import dev.custodian.policy.minimum.Projection;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {

  private final DemoScenario scenario = new DemoScenario();
  private final AccessPolicy policy = scenario.policy();

  private Decision decide(String caller, Action action, String resource) {
    return policy.decide(scenario.caller(caller), action, scenario.resource(resource));
  }

  private static Set<String> securityCodes(org.hl7.fhir.r4.model.Resource resource) {
    return resource.getMeta().getSecurity().stream()
        .filter(c -> Projection.SECURITY_SYSTEM.equals(c.getSystem()))
        .map(Coding::getCode)
        .collect(Collectors.toSet());
  }

  @Nested
  class Payment {

    @Test
    void reportIsProjectedToCodesDatesStatusAndPerformer() {
      Decision decision = decide("health-plan", Action.READ, "DiagnosticReport/alice-ct-chest-report");
      DiagnosticReport stored = (DiagnosticReport) scenario.resource("DiagnosticReport/alice-ct-chest-report");

      DiagnosticReport seen = (DiagnosticReport) decision.apply(stored);

      assertThat(decision.effect()).isEqualTo(Effect.PERMIT_PROJECTED);
      assertThat(decision.projection().purpose()).isEqualTo(PurposeOfUse.HPAYMT);
      assertThat(seen).isNotSameAs(stored);
      assertThat(seen.hasConclusion()).isFalse();
      assertThat(seen.hasConclusionCode()).isFalse();
      assertThat(seen.hasPresentedForm()).isFalse();
      assertThat(seen.hasText()).isFalse();
      assertThat(seen.hasResult()).isFalse();
      assertThat(seen.hasImagingStudy()).isFalse();
      assertThat(seen.hasCategory()).isFalse();
      assertThat(seen.getIdElement().getIdPart()).isEqualTo("alice-ct-chest-report");
      assertThat(seen.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.FINAL);
      assertThat(seen.getCode().getCodingFirstRep().getCode()).isEqualTo("24627-2");
      assertThat(seen.getSubject().getReference()).isEqualTo("Patient/alice");
      assertThat(seen.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2026-09-02T14:05:00Z");
      assertThat(seen.getIssuedElement().getValueAsString()).isEqualTo("2026-09-02T17:05:00Z");
      assertThat(seen.getPerformerFirstRep().getReference()).isEqualTo("Organization/imaging-centre");
      assertThat(securityCodes(seen)).containsExactlyInAnyOrder(Projection.SUBSETTED, Projection.REDACTED);
    }

    @Test
    void studyLosesSeriesInstancesEndpointAndNarrative() {
      Decision decision = decide("health-plan", Action.SEARCH, "ImagingStudy/alice-ct-chest");
      ImagingStudy stored = (ImagingStudy) scenario.resource("ImagingStudy/alice-ct-chest");

      ImagingStudy seen = (ImagingStudy) decision.apply(stored);

      assertThat(seen.hasSeries()).isFalse();
      assertThat(seen.hasEndpoint()).isFalse();
      assertThat(seen.hasText()).isFalse();
      assertThat(seen.hasDescription()).isFalse();
      assertThat(seen.hasReasonCode()).isFalse();
      assertThat(seen.getIdentifierFirstRep().getSystem()).isEqualTo("urn:dicom:uid");
      assertThat(seen.getModalityFirstRep().getCode()).isEqualTo("CT");
      assertThat(seen.getProcedureCodeFirstRep().getCodingFirstRep().getCode()).isEqualTo("24627-2");
      assertThat(seen.getNumberOfSeries()).isEqualTo(2);
      assertThat(seen.getNumberOfInstances()).isEqualTo(6);
      assertThat(seen.hasStarted()).isTrue();
      assertThat(securityCodes(seen)).containsExactlyInAnyOrder(Projection.SUBSETTED, Projection.REDACTED);
    }

    @Test
    void theStoredResourceIsNeverModified() {
      ImagingStudy stored = (ImagingStudy) scenario.resource("ImagingStudy/alice-ct-chest");
      var json = ca.uhn.fhir.context.FhirContext.forR4Cached().newJsonParser();
      String before = json.encodeResourceToString(stored);

      decide("health-plan", Action.READ, "ImagingStudy/alice-ct-chest").apply(stored);

      assertThat(json.encodeResourceToString(stored)).isEqualTo(before);
      assertThat(stored.getSeries()).hasSize(2);
      assertThat(stored.getMeta().getSecurity()).isEmpty();
    }

    @Test
    void patientDemographicsAreLimited() {
      Patient seen = (Patient) decide("health-plan", Action.READ, "Patient/alice")
          .apply(scenario.resource("Patient/alice"));

      assertThat(seen.hasName()).isTrue();
      assertThat(seen.hasBirthDate()).isTrue();
      assertThat(seen.hasAddress()).isFalse();
      assertThat(seen.hasText()).isFalse();
    }

    @Test
    void aPayorWhoseCoverageEndedIsDenied() {
      Decision decision = scenario.policyAt(Instant.parse("2031-02-01T00:00:00Z"))
          .decide(scenario.caller("health-plan"), Action.READ, scenario.resource("ImagingStudy/alice-ct-chest"));

      assertThat(decision.effect()).isEqualTo(Effect.DENY);
      assertThat(decision.reason()).contains("not the payor of an active Coverage of Patient/alice");
    }
  }

  @Nested
  class Operations {

    @Test
    void operationsSeesWorkflowNotFindings() {
      DiagnosticReport seen = (DiagnosticReport) decide("ops", Action.READ, "DiagnosticReport/bruno-ct-chest-report")
          .apply(scenario.resource("DiagnosticReport/bruno-ct-chest-report"));

      assertThat(seen.hasImagingStudy()).isTrue();
      assertThat(seen.hasCategory()).isTrue();
      assertThat(seen.hasConclusion()).isFalse();
      assertThat(seen.hasPresentedForm()).isFalse();
      assertThat(seen.hasText()).isFalse();
      assertThat(securityCodes(seen)).contains(Projection.SUBSETTED, Projection.REDACTED);
    }
  }

  @Nested
  class ReleaseAuthorizations {

    @Test
    void aPermitNamesTheConsentAndReleasesTheWholeResource() {
      Decision decision = decide("ms.evans", Action.READ, "ImagingStudy/alice-ct-head");

      assertThat(decision.consentRef()).isEqualTo("Consent/release-evans");
      assertThat(decision.effect()).isEqualTo(Effect.PERMIT);
      assertThat(decision.apply(scenario.resource("ImagingStudy/alice-ct-head")))
          .isSameAs(scenario.resource("ImagingStudy/alice-ct-head"));
    }

    @Test
    void expiredRevokedAndOtherRecipientsAuthorizationsAreExplained() {
      assertThat(decide("ms.evans", Action.READ, "ImagingStudy/alice-ct-chest").reason())
          .contains("Consent/release-evans-expired expired");
      assertThat(decide("ms.evans", Action.READ, "DiagnosticReport/alice-ct-chest-report").reason())
          .contains("Consent/release-evans-revoked was revoked");
      assertThat(decide("mr.frank", Action.READ, "ImagingStudy/alice-ct-head").reason())
          .contains("Consent/release-frank does not name ImagingStudy/alice-ct-head");
      assertThat(decide("ms.evans-legal", Action.READ, "ImagingStudy/alice-ct-head").reason())
          .contains("is not for purpose HLEGAL");
    }

    @Test
    void revocationTakesEffectOnTheNextRequest() {
      assertThat(decide("ms.evans", Action.READ, "ImagingStudy/alice-ct-head").isPermitted()).isTrue();

      scenario.facts.replaceAuthorization(DemoScenario.authorization("release-evans", "Person/ms.evans",
          Set.of("ImagingStudy/alice-ct-head", "DiagnosticReport/alice-ct-head-report"),
          "2026-11-01T00:00:00Z", "2027-05-01T00:00:00Z", AuthorizationStatus.REVOKED));

      Decision after = decide("ms.evans", Action.READ, "ImagingStudy/alice-ct-head");
      assertThat(after.effect()).isEqualTo(Effect.DENY);
      assertThat(after.consentRef()).isNull();
    }

    @Test
    void expiryTakesEffectAtTheEndOfThePeriod() {
      Caller evans = scenario.caller("ms.evans");
      var study = scenario.resource("ImagingStudy/alice-ct-head");

      assertThat(scenario.policyAt(Instant.parse("2027-04-30T23:59:59Z")).decide(evans, Action.READ, study).effect())
          .isEqualTo(Effect.PERMIT);
      assertThat(scenario.policyAt(Instant.parse("2027-05-01T00:00:00Z")).decide(evans, Action.READ, study).effect())
          .isEqualTo(Effect.DENY);
      assertThat(scenario.policyAt(Instant.parse("2026-10-31T23:59:59Z")).decide(evans, Action.READ, study).effect())
          .isEqualTo(Effect.DENY);
    }
  }

  @Nested
  class BreakTheGlass {

    @Test
    void emergencyAccessIsFlaggedAndRecordsTheGrant() {
      Decision decision = decide("dr.ruiz", Action.READ, "ImagingStudy/bruno-ct-chest");

      assertThat(decision.basis()).isEqualTo(Basis.EMERGENCY);
      assertThat(decision.flaggedForReview()).isTrue();
      assertThat(decision.reason()).contains("unconscious after a car crash").contains("Patient/bruno")
          .contains("grant-ruiz-bruno");
      assertThat(decision.emergencyGrants()).singleElement().satisfies(grant -> {
        assertThat(grant.purpose()).isEqualTo(PurposeOfUse.ETREAT);
        assertThat(grant.patient()).isEqualTo("Patient/bruno");
      });
      assertThat(decision.emergencyGrantOf("Patient/bruno")).isNotNull();
      assertThat(decision.emergencyGrantOf("Patient/alice")).isNull();
    }

    @Test
    void theGrantEndsWithItsWindow() {
      Caller ruiz = scenario.caller("dr.ruiz");
      var study = scenario.resource("ImagingStudy/bruno-ct-chest");
      Instant granted = DemoScenario.NOW.minusSeconds(600);
      Instant expires = DemoScenario.NOW.plusSeconds(3000);

      assertThat(scenario.policyAt(granted.minusMillis(1)).decide(ruiz, Action.READ, study).effect())
          .isEqualTo(Effect.DENY);
      assertThat(scenario.policyAt(granted).decide(ruiz, Action.READ, study).effect()).isEqualTo(Effect.PERMIT);
      assertThat(scenario.policyAt(expires.minusMillis(1)).decide(ruiz, Action.READ, study).effect())
          .isEqualTo(Effect.PERMIT);
      Decision after = scenario.policyAt(expires).decide(ruiz, Action.READ, study);
      assertThat(after.effect()).isEqualTo(Effect.DENY);
      assertThat(after.reason()).contains("no break-the-glass grant in force for Patient/bruno");
    }

    @Test
    void aGrantOpensItsPatientOnlyAndAResourceOfTwoPatientsNeedsBoth() {
      assertThat(decide("dr.ruiz", Action.READ, "Patient/alice").effect()).isEqualTo(Effect.DENY);
      // family-coverage belongs to alice (beneficiary) and bruno (subscriber): bruno's grant is not enough
      assertThat(decide("dr.ruiz", Action.READ, "Coverage/family-coverage").effect()).isEqualTo(Effect.DENY);
      scenario.facts.emergencyGrant(new dev.custodian.policy.facts.EmergencyGrant("grant-ruiz-alice-2",
          "Practitioner/dr.ruiz", "Patient/alice", PurposeOfUse.BTG, "second casualty of the same crash",
          DemoScenario.NOW.minusSeconds(60), DemoScenario.NOW.plusSeconds(600)));
      Decision both = decide("dr.ruiz", Action.READ, "Coverage/family-coverage");
      assertThat(both.basis()).isEqualTo(Basis.EMERGENCY);
      assertThat(both.emergencyGrants()).extracting(g -> g.id())
          .containsExactlyInAnyOrder("grant-ruiz-bruno", "grant-ruiz-alice-2");
    }

    @Test
    void assertingAnEmergencyPurposeOpensNothingWithoutAGrant() {
      Decision decision = decide("dr.diaz-btg", Action.READ, "ImagingStudy/bruno-ct-chest");

      assertThat(decision.effect()).isEqualTo(Effect.DENY);
      assertThat(decision.reason()).contains("Practitioner/dr.diaz has no break-the-glass grant in force");
    }

    @Test
    void ordinaryTreatmentIsNotFlagged() {
      assertThat(decide("dr.chen", Action.READ, "ImagingStudy/alice-ct-chest").flaggedForReview()).isFalse();
    }

    @Test
    void noReasonNoCaller() {
      assertThatThrownBy(() -> Caller.builder().fhirUser("Practitioner/dr.diaz").clientId("ehr")
              .roles(Role.CLINICIAN).scopes("user/*.rs").purpose(PurposeOfUse.BTG).tokenId("t").build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("written reason");
      assertThatThrownBy(() -> Caller.builder().fhirUser("Practitioner/dr.diaz").clientId("ehr")
              .roles(Role.CLINICIAN).scopes("user/*.rs").purpose(PurposeOfUse.ETREAT)
              .breakGlassReason("   urgent   ").tokenId("t").build())
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyCliniciansMayBreakTheGlass() {
      scenario.facts.emergencyGrant(new dev.custodian.policy.facts.EmergencyGrant("grant-olga", "Practitioner/ops.olga",
          "Patient/bruno", PurposeOfUse.BTG, "I really need to see this", DemoScenario.NOW.minusSeconds(60),
          DemoScenario.NOW.plusSeconds(600)));
      Caller operations = Caller.builder().fhirUser("Practitioner/ops.olga").clientId("console")
          .roles(Role.OPERATIONS).scopes("user/*.rs").purpose(PurposeOfUse.BTG)
          .breakGlassReason("I really need to see this").tokenId("t").build();

      Decision decision = policy.decide(operations, Action.READ, scenario.resource("ImagingStudy/bruno-ct-chest"));

      assertThat(decision.effect()).isEqualTo(Effect.DENY);
      assertThat(decision.reason()).contains("break-the-glass is for clinicians");
    }

    @Test
    void requiredByLawIsFlaggedToo() {
      Decision decision = decide("him-legal", Action.READ, "DiagnosticReport/bruno-ct-chest-report");

      assertThat(decision.flaggedForReview()).isTrue();
      assertThat(decision.reason()).contains("subpoena");
    }
  }

  @Nested
  class Scopes {

    @Test
    void scopesAreCheckedBeforeAnyRelationship() {
      Decision decision = decide("dr.chen-studies-only", Action.READ, "DiagnosticReport/alice-ct-chest-report");

      assertThat(decision.reason()).contains("scopes do not permit 'r' on DiagnosticReport");
    }

    @Test
    void patientContextScopesStayInTheLaunchPatientsCompartment() {
      Decision decision = decide("dr.chen-patient-bruno", Action.READ, "ImagingStudy/alice-ct-chest");

      assertThat(decision.effect()).isEqualTo(Effect.DENY);
      assertThat(decision.reason()).contains("launch patient's compartment (Patient/bruno)");
    }

    @Test
    void patientContextScopesWithoutALaunchPatientReachNoPatientData() {
      Caller noLaunch = Caller.builder().fhirUser("Practitioner/dr.chen").clientId("ehr").roles(Role.CLINICIAN)
          .scopes("patient/*.rs").purpose(PurposeOfUse.TREAT).tokenId("t").build();

      assertThat(policy.decide(noLaunch, Action.READ, scenario.resource("ImagingStudy/alice-ct-chest")).effect())
          .isEqualTo(Effect.DENY);
      assertThat(policy.decide(noLaunch, Action.READ, scenario.resource("Organization/imaging-centre")).effect())
          .isEqualTo(Effect.PERMIT);
    }

    @Test
    void aGranularFilterTheResourceDoesNotMatchDenies() {
      Decision decision = decide("dr.chen-rad-only", Action.READ, "DiagnosticReport/alice-lab-report");

      assertThat(decision.reason()).contains("filtered by").contains("does not match");
    }

    @Test
    void auditEventIsNotReachedThroughWildcards() {
      assertThat(decide("auditor-wildcard", Action.READ, "AuditEvent/audit-1").reason())
          .contains("scopes do not permit 'r' on AuditEvent");
      assertThat(decide("dr.chen-audit", Action.READ, "AuditEvent/audit-1").reason())
          .contains("auditors and privacy officers only");
    }
  }

  @Nested
  class Writes {

    @Test
    void aClinicianCannotGrantThemselvesAccessByNamingThemselvesPerformer() {
      DiagnosticReport forged = DemoScenario.report("new-report", "bruno", "bruno-ct-chest", "RAD");
      forged.getPerformer().clear();
      forged.addPerformer(DemoScenario.ref("Practitioner/dr.diaz"));

      assertThat(policy.decide(scenario.caller("dr.diaz"), Action.CREATE, forged).effect()).isEqualTo(Effect.DENY);
      assertThat(policy.decide(scenario.caller("dr.diaz"), Action.READ, forged).basis()).isEqualTo(Basis.TREATMENT);
    }

    @Test
    void aNewResourceWithoutAnIdIsJudgedByItsPatient() {
      DiagnosticReport draft = DemoScenario.report("x", "alice", null, "RAD");
      draft.setId((String) null);

      assertThat(policy.decide(scenario.caller("dr.chen"), Action.CREATE, draft).effect()).isEqualTo(Effect.PERMIT);
      assertThat(policy.decide(scenario.caller("dr.diaz"), Action.CREATE, draft).reason())
          .contains("a new DiagnosticReport");
    }

    @Test
    void aNewReferralMadeByTheReferrerIsAReadableRelationshipOnlyForThatResource() {
      org.hl7.fhir.r4.model.ServiceRequest order = new org.hl7.fhir.r4.model.ServiceRequest();
      order.setId("order-1");
      order.setSubject(DemoScenario.ref("Patient/bruno"));
      order.setRequester(DemoScenario.ref("Practitioner/dr.diaz"));

      assertThat(policy.decide(scenario.caller("dr.diaz"), Action.READ, order).basis()).isEqualTo(Basis.TREATMENT);
      assertThat(decide("dr.diaz", Action.READ, "ImagingStudy/bruno-ct-chest").effect()).isEqualTo(Effect.DENY);
    }
  }

  @Nested
  class DicomRetrieval {

    @Test
    void onlyAboutImagingStudies() {
      assertThat(decide("alice", Action.RETRIEVE_DICOM, "DiagnosticReport/alice-ct-chest-report").effect())
          .isEqualTo(Effect.DENY);
    }

    @Test
    void neverUnderAProjection() {
      Decision decision = decide("health-plan", Action.RETRIEVE_DICOM, "ImagingStudy/alice-ct-chest");

      assertThat(decision.effect()).isEqualTo(Effect.DENY);
      assertThat(decision.reason()).contains("images cannot be released under a minimum-necessary projection");
    }
  }

  @Test
  void aDenialCannotBeApplied() {
    Decision denied = decide("dr.diaz", Action.READ, "ImagingStudy/alice-ct-chest");

    assertThat(denied.isPermitted()).isFalse();
    assertThatThrownBy(() -> denied.apply(scenario.resource("ImagingStudy/alice-ct-chest")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void reasonsNameTheCallerThePurposeAndTheResource() {
    Decision decision = decide("dr.chen", Action.READ, "ImagingStudy/alice-ct-chest");

    assertThat(decision.reason())
        .startsWith("READ ImagingStudy/alice-ct-chest by Practitioner/dr.chen (TREAT): ")
        .contains("active CareTeam of Patient/alice");
  }
}
