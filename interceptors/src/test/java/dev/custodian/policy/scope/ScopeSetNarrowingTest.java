package dev.custodian.policy.scope;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScopeSetNarrowingTest {

  private static final String LAB =
      "?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory";
  private static final String VITALS =
      "?category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs";

  private static boolean covers(String allowed, String requested) {
    return ScopeSet.parse(allowed).covers(SmartScope.parse(requested));
  }

  @ParameterizedTest(name = "allowed [{0}] covers {1}")
  @CsvSource({
    // the type: same, or a wildcard
    "patient/*.read, patient/ImagingStudy.rs",
    "patient/*.read, patient/ImagingStudy.r",
    "patient/*.read, patient/ImagingStudy.s",
    "patient/*.read, patient/*.read",
    "patient/*.read, patient/*.rs",
    "patient/ImagingStudy.rs, patient/ImagingStudy.rs",
    "patient/ImagingStudy.rs, patient/ImagingStudy.read",
    "patient/ImagingStudy.cruds, patient/ImagingStudy.write",
    "system/*.*, system/Patient.cruds",
    "system/*.*, system/*.cud",
    // letters may come from several allowed scopes together
    "patient/Observation.r patient/Observation.s, patient/Observation.rs",
    "patient/Observation.r patient/*.s, patient/Observation.read",
    // filters: same unfiltered, or the same filter
    "patient/Observation.rs, patient/Observation.rs" + LAB,
    "patient/Observation.rs, patient/Observation.r" + LAB,
    "patient/*.read, patient/Observation.rs" + LAB,
    "patient/Observation.rs" + LAB + ", patient/Observation.rs" + LAB,
    "patient/Observation.rs" + LAB + ", patient/Observation.s" + LAB,
    "patient/Observation.r patient/Observation.s" + LAB + ", patient/Observation.rs" + LAB,
    // AuditEvent, explicitly
    "user/AuditEvent.rs, user/AuditEvent.read",
    "user/AuditEvent.rs user/*.rs, user/AuditEvent.rs",
  })
  void covered(String allowed, String requested) {
    assertThat(covers(allowed, requested)).isTrue();
  }

  @ParameterizedTest(name = "allowed [{0}] does not cover {1}")
  @CsvSource({
    // other context
    "patient/*.read, user/*.read",
    "patient/*.read, user/Observation.rs",
    "user/*.read, patient/Observation.rs",
    "user/*.*, system/Observation.r",
    // other type, or a wildcard request against a typed allowance
    "patient/ImagingStudy.rs, patient/DiagnosticReport.rs",
    "patient/ImagingStudy.rs, patient/*.rs",
    "patient/ImagingStudy.rs patient/DiagnosticReport.rs, patient/*.r",
    // more letters than allowed: not cut down, not covered
    "patient/*.read, patient/Observation.cruds",
    "patient/*.read, patient/Observation.write",
    "patient/*.read, patient/Observation.rds",
    "patient/Observation.r, patient/Observation.rs",
    "patient/Observation.read, patient/Observation.*",
    // filters
    "patient/Observation.rs" + LAB + ", patient/Observation.rs",
    "patient/Observation.rs" + LAB + ", patient/Observation.rs" + VITALS,
    "patient/Observation.rs" + LAB + ", patient/Observation.rs" + LAB + "&status=final",
    "patient/Observation.r" + LAB + ", patient/Observation.rs" + LAB,
    "patient/Observation.r patient/Observation.s" + LAB + ", patient/Observation.rs",
    // AuditEvent is never covered by a wildcard
    "user/*.read, user/AuditEvent.rs",
    "system/*.*, system/AuditEvent.r",
    "patient/*.cruds, patient/AuditEvent.s",
    // non-resource scopes need the same scope
    "patient/*.read, openid",
    "launch, launch/patient",
    "openid, fhirUser",
    "online_access, offline_access",
  })
  void notCovered(String allowed, String requested) {
    assertThat(covers(allowed, requested)).isFalse();
  }

  @Test
  void nonResourceScopesAreCoveredByTheSameScope() {
    ScopeSet allowed = ScopeSet.parse("openid fhirUser launch/patient offline_access");

    for (NonResourceScope scope : allowed.nonResourceScopes()) {
      assertThat(allowed.covers(scope)).isTrue();
    }
    assertThat(allowed.covers(NonResourceScope.ONLINE_ACCESS)).isFalse();
  }

  @Test
  void narrowKeepsTheCoveredRequestsAsRequested() {
    ScopeSet requested = ScopeSet.parse(
        "openid fhirUser launch/patient offline_access patient/ImagingStudy.read patient/Observation.rs"
            + LAB + " patient/DiagnosticReport.cruds user/*.read patient/AuditEvent.rs");
    ScopeSet allowed = ScopeSet.parse("openid fhirUser launch/patient patient/*.rs");

    ScopeSet granted = requested.narrowTo(allowed);

    assertThat(granted.toString()).isEqualTo(
        "openid fhirUser launch/patient patient/ImagingStudy.read patient/Observation.rs" + LAB);
  }

  @Test
  void narrowingIsIdempotentAndNeverWidens() {
    ScopeSet requested = ScopeSet.parse("openid patient/*.read user/Observation.rs patient/Consent.cud");
    ScopeSet allowed = ScopeSet.parse("openid patient/*.cruds");

    ScopeSet granted = requested.narrowTo(allowed);

    assertThat(granted.toString()).isEqualTo("openid patient/*.read patient/Consent.cud");
    assertThat(granted.narrowTo(allowed)).isEqualTo(granted);
    assertThat(granted.scopes()).allSatisfy(scope -> assertThat(requested.contains(scope)).isTrue());
  }

  @Test
  void everySetCoversItself() {
    ScopeSet set = ScopeSet.parse(
        "openid launch patient/Observation.rs" + LAB + " user/AuditEvent.rs system/*.* patient/Patient.read");

    assertThat(set.narrowTo(set)).isEqualTo(set);
  }

  @Test
  void nothingAllowedGrantsNothing() {
    assertThat(ScopeSet.parse("openid patient/*.read").narrowTo(ScopeSet.empty()).isEmpty()).isTrue();
    assertThat(ScopeSet.empty().narrowTo(ScopeSet.parse("patient/*.read")).isEmpty()).isTrue();
  }

  @Test
  void v1RequestCoveredByV2AllowanceStaysV1() {
    ScopeSet granted = ScopeSet.parse("patient/*.read").narrowTo(ScopeSet.parse("patient/*.rs"));

    assertThat(granted.toString()).isEqualTo("patient/*.read");
    assertThat(granted.resourceScopes().get(0).version()).isEqualTo(ScopeVersion.V1);
  }
}
