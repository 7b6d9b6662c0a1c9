package dev.custodian.server.dicomweb;

import dev.custodian.server.support.HttpAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** QIDO-RS matching, return attributes and paging, as dr.chen over his patients' studies. */
class DicomwebQidoTest extends DicomwebTestBase {

  @BeforeEach
  void studies() {
    requireCorpus();
    corpusPatient("dicom-ct1", "1CT1");
    corpusPatient("dicom-nm1", "8NM1");
    assertThat(drChen().stow(null, DicomwebHttp.corpus("CT_small.dcm"), DicomwebHttp.corpus("JPEG2000.dcm")).status())
        .isEqualTo(200);
  }

  private static List<String> values(HttpAnswer response, String tag) {
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    List<String> values = new ArrayList<>();
    for (JsonNode result : response.json()) {
      JsonNode value = result.get(tag).get("Value").get(0);
      values.add(value.isObject() ? value.get("Alphabetic").asText() : value.asText());
    }
    return values;
  }

  @Test
  void patientNameMatchesWithWildcardsCaseInsensitively() {
    assertThat(values(drChen().qido("studies?PatientName=CompressedSamples%5ECT1"), "0020000D")).containsExactly(CT_STUDY);
    assertThat(values(drChen().qido("studies?PatientName=compressed*"), "0020000D")).contains(CT_STUDY, NM_STUDY);
    assertThat(values(drChen().qido("studies?PatientName=*%5ENM?"), "0020000D")).containsExactly(NM_STUDY);
    assertThat(values(drChen().qido("studies?PatientName=Compressed"), "0020000D")).isEmpty();
  }

  @Test
  void studyDateMatchesSingleDatesAndRanges() {
    assertThat(values(drChen().qido("studies?StudyDate=20040119"), "0020000D")).containsExactly(CT_STUDY);
    assertThat(values(drChen().qido("studies?StudyDate=20040101-20040131"), "0020000D")).containsExactly(CT_STUDY);
    assertThat(values(drChen().qido("studies?StudyDate=20040801-20040831"), "0020000D")).contains(NM_STUDY)
        .doesNotContain(CT_STUDY);
    assertThat(values(drChen().qido("studies?StudyDate=-20040120&PatientID=1CT1"), "0020000D")).containsExactly(CT_STUDY);
    assertThat(values(drChen().qido("studies?StudyDate=20040120-&PatientID=1CT1"), "0020000D")).isEmpty();
  }

  @Test
  void uidListsModalitiesAndOtherKeys() {
    assertThat(values(drChen().qido("studies?StudyInstanceUID=" + CT_STUDY + "," + NM_STUDY), "0020000D"))
        .containsExactlyInAnyOrder(CT_STUDY, NM_STUDY);
    assertThat(values(drChen().qido("studies?ModalitiesInStudy=NM&PatientID=8NM1"), "0020000D")).containsExactly(NM_STUDY);
    assertThat(values(drChen().qido("studies?PatientID=1CT1"), "00080061")).containsExactly("CT");
    assertThat(values(drChen().qido("series?Modality=NM&PatientID=8NM1"), "00080060")).containsExactly("NM");
    HttpAnswer instances = drChen().qido("studies/" + CT_STUDY + "/instances");
    assertThat(values(instances, "00080018")).containsExactly("1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322");
    assertThat(values(instances, "00081190").get(0)).contains("/dicomweb/studies/" + CT_STUDY + "/series/");
  }

  @Test
  void defaultAttributesIncludefieldLimitAndOffset() {
    JsonNode study = drChen().qido("studies?StudyInstanceUID=" + CT_STUDY).json().get(0);
    assertThat(study.has("00100010")).isTrue();
    assertThat(study.get("00201208").get("Value").get(0).asInt()).isEqualTo(1);
    assertThat(study.get("00081190").get("Value").get(0).asText()).endsWith("/dicomweb/studies/" + CT_STUDY);
    assertThat(study.has("00081030")).isFalse();
    JsonNode included = drChen().qido("studies?StudyInstanceUID=" + CT_STUDY + "&includefield=StudyDescription")
        .json().get(0);
    assertThat(included.has("00081030")).isTrue();
    List<String> all = values(drChen().qido("studies?PatientName=Compressed*"), "0020000D");
    List<String> first = values(drChen().qido("studies?PatientName=Compressed*&limit=1"), "0020000D");
    List<String> second = values(drChen().qido("studies?PatientName=Compressed*&limit=1&offset=1"), "0020000D");
    assertThat(first).hasSize(1).containsExactly(all.get(0));
    assertThat(second).hasSize(1).containsExactly(all.get(1));
  }
}
