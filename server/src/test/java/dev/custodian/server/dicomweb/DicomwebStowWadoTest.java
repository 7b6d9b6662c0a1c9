package dev.custodian.server.dicomweb;

import dev.custodian.server.support.HttpAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** STOW-RS then WADO-RS over real HTTP: what goes in comes out byte for byte. */
class DicomwebStowWadoTest extends DicomwebTestBase {

  @BeforeEach
  void patients() {
    requireCorpus();
    corpusPatient("dicom-ct1", "1CT1");
    corpusPatient("dicom-mr1", "4MR1");
    corpusPatient("dicom-nm1", "8NM1");
  }

  @Test
  void corpusFilesRoundTripByteForByte() {
    for (String name : List.of("CT_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_RLE.dcm",
        "JPEG2000.dcm", "MR_small.dcm")) {
      byte[] sent = DicomwebHttp.corpus(name);
      HttpAnswer stored = drChen().stow(null, sent);
      assertThat(stored.status()).as(name + ": " + stored).isEqualTo(200);
      JsonNode referenced = stored.json().get("00081199").get("Value").get(0);
      String url = referenced.get("00081190").get("Value").get(0).asText();
      HttpAnswer retrieved = drChen().wado(url.substring(url.indexOf("/dicomweb/") + "/dicomweb/".length()));
      assertThat(retrieved.status()).as(name + ": " + retrieved).isEqualTo(200);
      assertThat(retrieved.header("Content-Type")).startsWith("multipart/related").contains("application/dicom");
      List<byte[]> parts = retrieved.parts();
      assertThat(parts).as(name).hasSize(1);
      assertThat(parts.get(0)).as(name + " comes back byte for byte").isEqualTo(sent);
    }
  }

  @Test
  void sendingTheSameInstanceAgainIsIdempotent() {
    byte[] ct = DicomwebHttp.corpus("CT_small.dcm");
    assertThat(drChen().stow(null, ct).status()).isEqualTo(200);
    HttpAnswer again = drChen().stow(CT_STUDY, ct);
    assertThat(again.status()).as(again.toString()).isEqualTo(200);
    assertThat(again.json().get("00081190").get("Value").get(0).asText()).endsWith("/dicomweb/studies/" + CT_STUDY);
    List<byte[]> study = drChen().wado("studies/" + CT_STUDY).parts();
    assertThat(study).hasSize(1);
    assertThat(study.get(0)).isEqualTo(ct);
  }
}
