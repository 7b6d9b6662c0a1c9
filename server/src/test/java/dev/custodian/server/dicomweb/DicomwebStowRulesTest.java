package dev.custodian.server.dicomweb;

import dev.custodian.server.support.HttpAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** STOW-RS status codes, failure reasons, who may store, and the FHIR link of a stored study. */
class DicomwebStowRulesTest extends DicomwebTestBase {

  @BeforeEach
  void patients() {
    requireCorpus();
    corpusPatient("dicom-ct1", "1CT1"); // the truncated CT_small must fail as DICOM, not on an unknown patient
    corpusPatient("dicom-mr1", "4MR1");
    corpusPatient("dicom-nm1", "8NM1");
  }

  private static int failureReason(HttpAnswer response, int index) {
    return response.json().get("00081198").get("Value").get(index).get("00081197").get("Value").get(0).asInt();
  }

  @Test
  void aStoredStudyGetsItsImagingStudyWithSeriesInstancesSubjectAndEndpoint() {
    HttpAnswer stored = drChen().stow(null, DicomwebHttp.corpus("MR_small.dcm"));
    assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
    Bundle found = http.get("ImagingStudy?identifier=urn:dicom:uid|urn:oid:" + MR_STUDY).bundle();
    assertThat(found.getEntry()).hasSize(1);
    ImagingStudy study = (ImagingStudy) found.getEntryFirstRep().getResource();
    assertThat(study.getSubject().getReference()).isEqualTo("Patient/dicom-mr1");
    assertThat(study.getModalityFirstRep().getCode()).isEqualTo("MR");
    assertThat(study.getStartedElement().getValueAsString()).startsWith("2004-08-26");
    assertThat(study.getNumberOfSeries()).isEqualTo(1);
    assertThat(study.getNumberOfInstances()).isEqualTo(1);
    assertThat(study.getSeriesFirstRep().getInstanceFirstRep().getUid()).isEqualTo(MR_SOP);
    // this server's own DICOMweb Endpoint: the demo's, whose address is this server's DICOMweb base
    String endpoint = study.getEndpointFirstRep().getReference();
    assertThat(endpoint).isEqualTo("Endpoint/imaging-centre-wado");
    assertThat(http.get(endpoint).body()).contains("dicom-wado-rs").contains("\"" + baseUrl() + "/dicomweb\"");
  }

  @Test
  void someStoredSomeFailedIs202AndNoneStoredIs409WithFailureReasons() {
    byte[] ok = DicomwebHttp.corpus("JPEG2000.dcm");
    byte[] garbage = "this is not DICOM at all, not even close to it".getBytes(StandardCharsets.US_ASCII);
    HttpAnswer some = drChen().stow(null, ok, garbage);
    assertThat(some.status()).as(some.toString()).isEqualTo(202);
    assertThat(failureReason(some, 0)).as(some.toString()).isEqualTo(0xC000);
    assertThat(some.json().get("00081199").get("Value")).hasSize(1);

    byte[] truncated = Arrays.copyOf(DicomwebHttp.corpus("CT_small.dcm"), 5000);
    HttpAnswer none = drChen().stow(null, garbage, truncated);
    assertThat(none.status()).as(none.toString()).isEqualTo(409);
    assertThat(failureReason(none, 0)).as(none.toString()).isEqualTo(0xC000);
    assertThat(failureReason(none, 1)).isEqualTo(0xC000);
    assertThat(none.json().has("00081199")).isFalse();
  }

  @Test
  void anInstanceOfAnotherStudyThanThePathsFails() {
    HttpAnswer wrong = drChen().stow("1.2.3.4", DicomwebHttp.corpus("MR_small.dcm"));
    assertThat(wrong.status()).isEqualTo(409);
    JsonNode failed = wrong.json().get("00081198").get("Value").get(0);
    assertThat(failed.get("00081155").get("Value").get(0).asText()).isEqualTo(MR_SOP);
    assertThat(failed.get("00081197").get("Value").get(0).asInt()).isEqualTo(0xA900);
  }

  @Test
  void badRequestsAre400AndWrongMediaTypes415() {
    assertThat(drChen().post("studies", "multipart/related; type=\"application/dicom\"; boundary=xyz",
        "no parts here".getBytes(StandardCharsets.US_ASCII)).status()).isEqualTo(400);
    assertThat(drChen().post("studies", "application/dicom", DicomwebHttp.corpus("CT_small.dcm")).status()).isEqualTo(415);
    assertThat(drChen().post("studies", "multipart/related; type=\"application/dicom+xml\"; boundary=xyz",
        new byte[10]).status()).isEqualTo(415);
    assertThat(drChen().qido("studies?StudyDate=yesterday").status()).isEqualTo(400);
    assertThat(drChen().qido("studies?NoSuchKey=1").status()).isEqualTo(400);
    assertThat(drChen().qido("studies?limit=0").status()).isEqualTo(400);
  }

  @Test
  void storingNeedsStaffWithCreateScopeAndTheirWriteDecision() {
    byte[] mr = DicomwebHttp.corpus("MR_small.dcm");
    // a patient's app never stores
    assertThat(dicomweb("alice", "launch/patient patient/*.rs").stow(null, mr).status()).isEqualTo(403);
    // a clinician with read-only scopes
    assertThat(dicomweb("dr.chen", "openid fhirUser user/*.rs").stow(null, mr).status()).isEqualTo(403);
    // a clinician who does not treat the patient: the policy refuses, the instance is not stored
    String requestId = "stow-refused-" + UUID.randomUUID();
    HttpAnswer refused = dicomweb("dr.diaz", STAFF_SCOPES).withRequestId(requestId).stow(null, mr);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
    assertThat(failureReason(refused, 0)).isEqualTo(0x0124);
    assertThat(auditEventsOf(requestId)).isNotEmpty().allMatch(json -> json.contains("\"outcome\":\"4\""));
  }

  @Test
  void aPatientNobodyTreatsCannotBeCreatedByAClinician() {
    // rtdose.dcm's Patient ID id11111 matches no patient: storing it would create one, whom no
    // clinician treats, so the policy refuses the ImagingStudy and nothing is stored
    HttpAnswer refused = drChen().stow(null, DicomwebHttp.corpus("rtdose.dcm"));
    assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
    assertThat(failureReason(refused, 0)).isEqualTo(0x0124);
    assertThat(http.get("Patient?identifier=" + MRN + "|id11111").bundle().getEntry()).isEmpty();
  }
}
