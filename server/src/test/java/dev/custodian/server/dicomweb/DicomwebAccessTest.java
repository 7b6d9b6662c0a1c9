package dev.custodian.server.dicomweb;

import dev.custodian.server.support.HttpAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.dicom.model.DatasetReader;
import dev.custodian.dicom.model.DicomFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Who gets what over DICOMweb, on the demo studies and their generated images: the same rules as
 * FHIR, through the one policy; what is denied looks exactly like what does not exist; every
 * request is audited.
 */
class DicomwebAccessTest extends DicomwebTestBase {

  private static final String MISSING_STUDY = "1.2.3.4.5.6.7.8.9.0";

  private DicomwebHttp alice() {
    return dicomweb("alice", "launch/patient patient/*.rs");
  }

  private static List<String> studyUids(HttpAnswer qido) {
    assertThat(qido.status()).as(qido.toString()).isEqualTo(200);
    List<String> uids = new ArrayList<>();
    for (JsonNode study : qido.json()) {
      uids.add(study.get("0020000D").get("Value").get(0).asText());
    }
    return uids;
  }

  @Test
  void demoStudiesHaveRetrievableCtImagesMatchingTheirImagingStudy() throws IOException {
    String chest = demoStudyUid("alice-ct-chest");
    List<byte[]> instances = drChen().wado("studies/" + chest).parts();
    assertThat(instances).hasSize(6); // 2 series x 3 instances, as the ImagingStudy lists
    DicomFile first = DatasetReader.read(new ByteArrayInputStream(instances.get(0)), 1024);
    assertThat(first.dataset().string(0x00080016)).isEqualTo("1.2.840.10008.5.1.4.1.1.2");
    assertThat(first.dataset().string(0x0020000D)).isEqualTo(chest);
    assertThat(first.dataset().string(0x00100010)).isEqualTo("Martin^Alice");
    assertThat(first.dataset().string(0x00100020)).isEqualTo("MRN-100001");
    assertThat(first.dataset().string(0x00080020)).isEqualTo("20260314");
    assertThat(first.dataset().get(0x7FE00010).valueLength()).isEqualTo(64 * 64 * 2);
    JsonNode metadata = drChen().get("studies/" + chest + "/metadata", "application/dicom+json").json();
    assertThat(metadata).hasSize(6);
    assertThat(metadata.get(0).get("00100010").get("Value").get(0).get("Alphabetic").asText()).isEqualTo("Martin^Alice");
    String bulk = metadata.get(0).get("7FE00010").get("BulkDataURI").asText();
    assertThat(bulk).contains("/dicomweb/studies/" + chest);
    HttpAnswer pixels = drChen().get(bulk.substring(bulk.indexOf("/dicomweb/") + "/dicomweb/".length()),
        "multipart/related; type=\"application/octet-stream\"");
    assertThat(pixels.status()).as(pixels.toString()).isEqualTo(200);
    assertThat(pixels.parts()).hasSize(1);
    assertThat(pixels.parts().get(0)).hasSize(64 * 64 * 2);
    // the bulk data of a study the caller may not see is as missing as the study
    assertThat(dicomweb("bruno", "launch/patient patient/*.rs")
        .get(bulk.substring(bulk.indexOf("/dicomweb/") + "/dicomweb/".length()), null).status()).isEqualTo(404);
  }

  @Test
  void alicesAppListsAndRetrievesHerStudiesOnly() {
    List<String> listed = studyUids(alice().qido("studies"));
    assertThat(listed).containsExactlyInAnyOrder(demoStudyUid("alice-ct-chest"), demoStudyUid("alice-ct-head"));
    assertThat(alice().wado("studies/" + demoStudyUid("alice-ct-head")).parts()).hasSize(6);
  }

  @Test
  void alicesTokenGetsBrunosStudyExactlyLikeAMissingOne() {
    String bruno = demoStudyUid("bruno-ct-chest");
    assertThat(studyUids(alice().qido("studies?StudyInstanceUID=" + bruno))).isEmpty();
    assertThat(studyUids(alice().qido("studies?PatientID=MRN-100002"))).isEmpty();
    assertThat(studyUids(alice().qido("studies/" + bruno + "/series")).size()).isZero();
    HttpAnswer hidden = alice().wado("studies/" + bruno);
    HttpAnswer missing = alice().wado("studies/" + MISSING_STUDY);
    assertThat(hidden.status()).isEqualTo(404);
    assertThat(hidden.text()).isEqualTo(missing.text());
    HttpAnswer hiddenMetadata = alice().get("studies/" + bruno + "/metadata", "application/dicom+json");
    assertThat(hiddenMetadata.status()).isEqualTo(404);
    assertThat(hiddenMetadata.text()).isEqualTo(alice().get("studies/" + MISSING_STUDY + "/metadata", null).text());
  }

  @Test
  void aClinicianWhoTreatsNobodySeesNothing() {
    DicomwebHttp diaz = dicomweb("dr.diaz", "openid fhirUser user/*.rs");
    assertThat(studyUids(diaz.qido("studies"))).isEmpty();
    assertThat(diaz.wado("studies/" + demoStudyUid("alice-ct-chest")).status()).isEqualTo(404);
  }

  @Test
  void theHealthPlanGetsNoDicomwebAtAll() {
    DicomwebHttp payer = dicomweb("payer.evans", "openid fhirUser user/*.rs");
    // it sees alice's ImagingStudy over FHIR (projected), but no images and no DICOM attributes
    assertThat(as("payer.evans", "openid fhirUser user/*.rs").get("ImagingStudy/alice-ct-chest").status()).isEqualTo(200);
    assertThat(studyUids(payer.qido("studies"))).isEmpty();
    assertThat(payer.wado("studies/" + demoStudyUid("alice-ct-chest")).status()).isEqualTo(404);
    assertThat(payer.get("studies/" + demoStudyUid("alice-ct-chest") + "/metadata", null).status()).isEqualTo(404);
  }

  @Test
  void theTreatingClinicianSeesHisPatientsStudiesNotOthers() {
    List<String> listed = studyUids(drChen().qido("studies?ModalitiesInStudy=CT"));
    assertThat(listed).contains(demoStudyUid("alice-ct-chest"), demoStudyUid("alice-ct-head"))
        .doesNotContain(demoStudyUid("bruno-ct-chest"), demoStudyUid("bruno-ct-abdomen"));
    assertThat(drChen().wado("studies/" + demoStudyUid("bruno-ct-abdomen")).status()).isEqualTo(404);
  }

  @Test
  void withoutATokenDicomwebIs401WithWwwAuthenticate() {
    HttpAnswer refused = anonymous().qido("studies");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(anonymous().wado("studies/" + demoStudyUid("alice-ct-chest")).status()).isEqualTo(401);
  }

  @Test
  void everyRequestIsAuditedPermittedOrDenied() {
    String permitted = "dicomweb-permitted-" + UUID.randomUUID();
    String denied = "dicomweb-denied-" + UUID.randomUUID();
    String listed = "dicomweb-qido-" + UUID.randomUUID();
    alice().withRequestId(permitted).wado("studies/" + demoStudyUid("alice-ct-chest"));
    alice().withRequestId(denied).wado("studies/" + demoStudyUid("bruno-ct-chest"));
    alice().withRequestId(listed).qido("studies");
    List<String> read = auditEventsOf(permitted);
    assertThat(read).hasSize(1);
    assertThat(read.get(0)).contains("ImagingStudy/alice-ct-chest").contains("Patient/alice").contains("\"outcome\":\"0\"");
    List<String> refused = auditEventsOf(denied);
    assertThat(refused).hasSize(1);
    assertThat(refused.get(0)).contains("ImagingStudy/bruno-ct-chest").contains("\"outcome\":\"4\"");
    assertThat(auditEventsOf(listed)).isNotEmpty().allMatch(json -> !json.contains("Patient/bruno"));
  }
}
