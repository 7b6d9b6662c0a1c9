package dev.custodian.server.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import java.util.Date;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/** Creates and updates of ImagingStudy and DiagnosticReport must meet Custodian's profiles. */
class ProfileValidationTest extends ServerTestBase {

  /**
   * The studies these tests create belong to a patient of their own whom dr.chen treats (so he may
   * write for them), not to the demo patients.
   */
  static final String SUBJECT = "validation-subject";

  @org.junit.jupiter.api.BeforeEach
  void subject() {
    fixtures.patientTreatedByDrChen(SUBJECT);
  }

  static ImagingStudy validStudy(String uid) {
    ImagingStudy study = new ImagingStudy();
    study.addIdentifier().setSystem("urn:dicom:uid").setValue("urn:oid:" + uid);
    study.setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
    study.addModality(new Coding("http://dicom.nema.org/resources/ontology/DCM", "CT", "Computed Tomography"));
    study.setSubject(new Reference("Patient/" + SUBJECT));
    study.setStartedElement(new DateTimeType(new Date()));
    return study;
  }

  static DiagnosticReport validReport(String studyId) {
    DiagnosticReport report = new DiagnosticReport();
    report.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
    report.setCode(new CodeableConcept(new Coding("http://loinc.org", "24627-2", "CT Chest")));
    report.setSubject(new Reference("Patient/" + SUBJECT));
    report.setEffective(new DateTimeType(new Date()));
    report.addImagingStudy(new Reference("ImagingStudy/" + studyId));
    return report;
  }

  @Test
  void aConformingStudyAndReportAreStored() {
    FhirHttp.Response study = http.create(validStudy("1.2.826.0.1.3680043.10.9.1"));
    assertThat(study.status()).as(study.toString()).isEqualTo(201);
    String studyId = study.resource(ImagingStudy.class).getIdElement().getIdPart();
    FhirHttp.Response report = http.create(validReport(studyId));
    assertThat(report.status()).as(report.toString()).isEqualTo(201);
  }

  @Test
  void aStudyWithoutItsDicomUidIsRefused() {
    ImagingStudy study = validStudy("1.2.3");
    study.getIdentifier().clear();
    study.addIdentifier().setSystem("urn:example:accession").setValue("A-1");
    assertRefused(http.create(study), "cust-is-1");
  }

  @Test
  void aStudyWithAMalformedUidIsRefused() {
    assertRefused(http.create(validStudy("1.2.abc")), "cust-is-1");
  }

  @Test
  void aStudyWithoutStartOrModalityIsRefused() {
    ImagingStudy noStart = validStudy("1.2.826.0.1.3680043.10.9.2");
    noStart.setStartedElement(null);
    assertRefused(http.create(noStart), "ImagingStudy.started");

    ImagingStudy noModality = validStudy("1.2.826.0.1.3680043.10.9.3");
    noModality.getModality().clear();
    assertRefused(http.create(noModality), "ImagingStudy.modality");
  }

  @Test
  void aReportWithoutItsStudyOrEffectiveTimeIsRefused() {
    DiagnosticReport noStudy = validReport("alice-ct-chest");
    noStudy.getImagingStudy().clear();
    assertRefused(http.create(noStudy), "DiagnosticReport.imagingStudy");

    DiagnosticReport noEffective = validReport("alice-ct-chest");
    noEffective.setEffective(null);
    assertRefused(http.create(noEffective), "DiagnosticReport.effective");
  }

  @Test
  void anUpdateThatBreaksTheProfileIsRefusedAndTheStoredVersionKept() {
    ImagingStudy stored = http.get("ImagingStudy/alice-ct-head").resource(ImagingStudy.class);
    String version = stored.getMeta().getVersionId();
    stored.getModality().clear();
    assertRefused(http.update(stored), "ImagingStudy.modality");
    ImagingStudy after = http.get("ImagingStudy/alice-ct-head").resource(ImagingStudy.class);
    assertThat(after.getMeta().getVersionId()).isEqualTo(version);
    assertThat(after.getModality()).isNotEmpty();
  }

  @Test
  void aTransactionWithOneNonConformingStudyStoresNothing() {
    ImagingStudy good = validStudy("1.2.826.0.1.3680043.10.9.4");
    ImagingStudy bad = validStudy("1.2.826.0.1.3680043.10.9.5");
    bad.setStartedElement(null);
    org.hl7.fhir.r4.model.Bundle tx = new org.hl7.fhir.r4.model.Bundle().setType(org.hl7.fhir.r4.model.Bundle.BundleType.TRANSACTION);
    tx.addEntry().setResource(good).getRequest().setMethod(org.hl7.fhir.r4.model.Bundle.HTTPVerb.POST).setUrl("ImagingStudy");
    tx.addEntry().setResource(bad).getRequest().setMethod(org.hl7.fhir.r4.model.Bundle.HTTPVerb.POST).setUrl("ImagingStudy");
    // Through the storage layer as the system: clients may not send transactions under access control.
    ca.uhn.fhir.jpa.api.dao.IFhirSystemDao<org.hl7.fhir.r4.model.Bundle, ?> system = daos.getSystemDao();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> system.transaction(new ca.uhn.fhir.rest.api.server.SystemRequestDetails(), tx))
        .isInstanceOf(ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException.class)
        .hasMessageContaining("does not conform");
    assertThat(http.get("ImagingStudy?identifier=urn:dicom:uid|urn:oid:1.2.826.0.1.3680043.10.9.4").bundle().getEntry()).isEmpty();
  }

  private static void assertRefused(FhirHttp.Response response, String mentioning) {
    assertThat(response.status()).as(response.toString()).isEqualTo(422);
    OperationOutcome outcome = response.outcome();
    assertThat(outcome.getIssue()).isNotEmpty();
    assertThat(response.body()).contains(mentioning);
    assertThat(response.body()).doesNotContain("at ca.uhn").doesNotContain("Exception");
  }
}
