package dev.custodian.policy.minimum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custodian.policy.caller.PurposeOfUse;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MinimumNecessaryTest {

  private static MinimumNecessary parse(String text) throws IOException {
    return MinimumNecessary.parse(new StringReader(text), "test.properties");
  }

  @Test
  void theShippedFileHasThePaymentSetsOfTheIssue() {
    MinimumNecessary sets = MinimumNecessary.loadDefault();

    assertThat(sets.elementSet(PurposeOfUse.HPAYMT, "ImagingStudy").orElseThrow().elements())
        .containsExactlyInAnyOrder("identifier", "status", "subject", "started", "modality", "procedureCode",
            "numberOfSeries", "numberOfInstances");
    assertThat(sets.elementSet(PurposeOfUse.HPAYMT, "DiagnosticReport").orElseThrow().elements())
        .containsExactlyInAnyOrder("status", "code", "subject", "effective", "issued", "performer");
    assertThat(sets.elementSet(PurposeOfUse.HOPERAT, "DiagnosticReport")).isPresent();
    assertThat(sets.elementSet(PurposeOfUse.HLEGAL, "DiagnosticReport").orElseThrow().whole()).isTrue();
    assertThat(sets.elementSet(PurposeOfUse.HPAYMT, "Consent")).isEmpty();
    assertThat(sets.elementSet(PurposeOfUse.TREAT, "ImagingStudy")).isEmpty();
  }

  @Test
  void continuationLinesCommentsAndChoiceNames() throws IOException {
    MinimumNecessary sets = parse("""
        # comment
        ! also a comment

        HOPERAT.DiagnosticReport = status, \\
           code,effective[x]
        HLEGAL.Patient = *
        """);

    assertThat(sets.elementSet(PurposeOfUse.HOPERAT, "DiagnosticReport").orElseThrow().elements())
        .containsExactlyInAnyOrder("status", "code", "effective");
    assertThat(sets.elementSets(PurposeOfUse.HLEGAL)).containsKey("Patient");
  }

  @Test
  void aDeploymentMayLoadItsOwnFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("mn.properties");
    Files.writeString(file, "HOPERAT.ImagingStudy = status, started\n");

    assertThat(MinimumNecessary.load(file).elementSet(PurposeOfUse.HOPERAT, "ImagingStudy")).isPresent();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      HPAYMT.ImagingStudy = status, serie                   | ImagingStudy has no element serie
      HPAYMT.ImagingStudy = status, series                  | payment may never see ImagingStudy.series
      HPAYMT.DiagnosticReport = status, conclusion          | payment may never see DiagnosticReport.conclusion
      HPAYMT.DiagnosticReport = status, presentedForm       | payment may never see DiagnosticReport.presentedForm
      HPAYMT.DiagnosticReport = status, conclusionCode      | payment may never see DiagnosticReport.conclusionCode
      HPAYMT.DiagnosticReport = *                           | payment may never see a whole DiagnosticReport
      HOPERAT.DiagnosticReport = status, text               | 'text' is never kept
      HOPERAT.DiagnosticReport = status, contained          | 'contained' is never kept
      HOPERAT.DiagnosticReport = status, status             | duplicate element status
      HOPERAT.DiagnosticReport = status,,code               | empty element name
      HOPERAT.Imagingstudy = status                         | unknown R4 resource type Imagingstudy
      TREAT.ImagingStudy = status                           | purpose TREAT is not governed by minimum necessary
      PATRQT.ImagingStudy = status                          | purpose PATRQT is not governed
      FOO.ImagingStudy = status                             | unknown purpose of use FOO
      HOPERAT = status                                      | is not <PURPOSE>.<ResourceType>
      HOPERAT.ImagingStudy status                           | expected <PURPOSE>.<ResourceType> = elements
      """)
  void mistakesFailTheStart(String line, String message) {
    assertThatThrownBy(() -> parse(line))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("test.properties:1: ")
        .hasMessageContaining(message);
  }

  @Test
  void duplicateKeysAndDanglingContinuations() {
    assertThatThrownBy(() -> parse("HOPERAT.Patient = name\n\nHOPERAT.Patient = gender\n"))
        .hasMessage("test.properties:3: duplicate key HOPERAT.Patient");
    assertThatThrownBy(() -> parse("HOPERAT.Patient = name, \\\n"))
        .hasMessageContaining("continuation");
  }
}
