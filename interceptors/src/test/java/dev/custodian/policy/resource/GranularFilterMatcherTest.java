package dev.custodian.policy.resource;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import dev.custodian.policy.scope.GranularFilter;
import dev.custodian.policy.scope.ResourceScope;
import dev.custodian.policy.scope.ScopeSet;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Practitioner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GranularFilterMatcherTest {

  private static final String V2_0074 = "http://terminology.hl7.org/CodeSystem/v2-0074";
  private final GranularFilterMatcher matcher = new GranularFilterMatcher(FhirContext.forR4Cached());

  private static GranularFilter filter(String scope) {
    return ((ResourceScope) ScopeSet.parse(scope).scopes().get(0)).filter();
  }

  private static DiagnosticReport radiologyReport() {
    DiagnosticReport report = new DiagnosticReport();
    report.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
    report.addCategory(new CodeableConcept(new Coding(V2_0074, "RAD", null)));
    report.setCode(new CodeableConcept(new Coding("http://loinc.org", "24627-2", null)));
    report.getMeta().addSecurity("http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "N", null);
    return report;
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "user/DiagnosticReport.rs?category=http://terminology.hl7.org/CodeSystem/v2-0074|RAD, true",
    "user/DiagnosticReport.rs?category=RAD, true",
    "user/DiagnosticReport.rs?category=|RAD, false",
    "user/DiagnosticReport.rs?category=http://terminology.hl7.org/CodeSystem/v2-0074|LAB, false",
    "user/DiagnosticReport.rs?category=LAB%2CRAD, true",
    "user/DiagnosticReport.rs?category=RAD&code=http://loinc.org|24627-2, true",
    "user/DiagnosticReport.rs?category=RAD&code=http://loinc.org|99999-9, false",
    "user/DiagnosticReport.rs?status=final, true",
    "user/DiagnosticReport.rs?status=http://hl7.org/fhir/diagnostic-report-status|final, true",
    "user/DiagnosticReport.rs?status=preliminary, false",
    "user/DiagnosticReport.rs?_security=http://terminology.hl7.org/CodeSystem/v3-Confidentiality|N, true",
    "user/DiagnosticReport.rs?_security=R, false",
  })
  void tokenRules(String scope, boolean expected) {
    assertThat(matcher.matches(filter(scope.replace("%2C", ",")), radiologyReport())).isEqualTo(expected);
  }

  @Test
  void nestedPathsAreFollowed() {
    ImagingStudy study = new ImagingStudy();
    study.addSeries().setModality(new Coding("http://dicom.nema.org/resources/ontology/DCM", "CT", null));

    assertThat(matcher.matches(filter("user/ImagingStudy.rs?modality=CT"), study)).isTrue();
    assertThat(matcher.matches(filter("user/ImagingStudy.rs?modality=MR"), study)).isFalse();
  }

  @Test
  void pathsWithFunctionsFailClosed() {
    Practitioner practitioner = new Practitioner();
    practitioner.addTelecom().setSystem(ContactPoint.ContactPointSystem.EMAIL).setValue("chen@example.org");

    assertThat(matcher.matches(filter("user/Practitioner.rs?email=chen@example.org"), practitioner)).isFalse();
  }

  @Test
  void noFilterMatchesEverything() {
    assertThat(matcher.matches(GranularFilter.NONE, new DiagnosticReport())).isTrue();
  }
}
