package dev.custodian.policy.minimum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custodian.policy.caller.PurposeOfUse;
import java.util.Set;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

class ProjectionTest {

  private static final Projection NAME_ONLY =
      new Projection(PurposeOfUse.HOPERAT, ElementSet.of("Patient", Set.of("name")));

  private static Patient patient() {
    Patient patient = new Patient();
    patient.setId("Patient/alice/_history/3");
    patient.getMeta().setVersionId("3").addTag("http://example.org/tags", "vip", null);
    patient.addName().setFamily("Martin");
    patient.addAddress().setCity("Springfield");
    patient.addExtension("http://example.org/secret", new StringType("x"));
    patient.addModifierExtension().setUrl("http://example.org/mod").setValue(new StringType("y"));
    patient.getText().setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">Alice Martin, Springfield</div>");
    patient.addContained(new Patient().setGender(org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.FEMALE));
    patient.setImplicitRules("http://example.org/rules");
    return patient;
  }

  @Test
  void keepsOnlyTheAllowlistAndIdentity() {
    Patient projected = (Patient) NAME_ONLY.apply(patient());

    assertThat(projected.getNameFirstRep().getFamily()).isEqualTo("Martin");
    assertThat(projected.getIdElement().getIdPart()).isEqualTo("alice");
    assertThat(projected.getIdElement().getVersionIdPart()).isEqualTo("3");
    assertThat(projected.getMeta().getTag()).hasSize(1);
    assertThat(projected.getImplicitRules()).isEqualTo("http://example.org/rules");
    assertThat(projected.hasAddress()).isFalse();
    assertThat(projected.hasExtension()).isFalse();
    assertThat(projected.hasModifierExtension()).isFalse();
    assertThat(projected.hasText()).isFalse();
    assertThat(projected.hasContained()).isFalse();
  }

  @Test
  void labelsOnceEvenIfAlreadyLabelled() {
    Patient source = patient();
    source.getMeta().addSecurity(new Coding(Projection.SECURITY_SYSTEM, Projection.SUBSETTED, null));

    Patient projected = (Patient) NAME_ONLY.apply(source);

    assertThat(projected.getMeta().getSecurity())
        .extracting(Coding::getCode)
        .containsExactlyInAnyOrder(Projection.SUBSETTED, Projection.REDACTED);
  }

  @Test
  void theResultSharesNothingWithTheSource() {
    Patient source = patient();
    Patient projected = (Patient) NAME_ONLY.apply(source);

    projected.getNameFirstRep().setFamily("Changed");
    projected.getMeta().addTag("x", "y", null);

    assertThat(source.getNameFirstRep().getFamily()).isEqualTo("Martin");
    assertThat(source.getMeta().getTag()).hasSize(1);
    assertThat(source.getMeta().getSecurity()).isEmpty();
  }

  @Test
  void onlyForItsOwnType() {
    assertThatThrownBy(() -> NAME_ONLY.apply(new DiagnosticReport())).hasMessageContaining("cannot apply");
  }

  @Test
  void aWholeSetIsNotAProjection() {
    assertThatThrownBy(() -> new Projection(PurposeOfUse.HLEGAL, ElementSet.whole("Patient")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void elementSets() {
    ElementSet set = ElementSet.of("Patient", Set.of("name"));

    assertThat(set.keeps("name")).isTrue();
    assertThat(set.keeps("id")).isTrue();
    assertThat(set.keeps("meta")).isTrue();
    assertThat(set.keeps("text")).isFalse();
    assertThat(set.keeps("address")).isFalse();
    assertThat(ElementSet.whole("Patient").keeps("address")).isTrue();
    assertThatThrownBy(() -> ElementSet.of("Patient", Set.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
