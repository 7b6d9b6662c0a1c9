package dev.custodian.server.dicomweb;

import dev.custodian.server.support.HttpAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.storage.StorageProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The STOW-RS request size limit ({@code custodian.dicomweb.max-stow-request-size}, 64 MB for the
 * test server): a body over it is answered 413 with a reason, whether it declares its length or
 * not, and leaves nothing of its own behind — no blob (temporary files included), no index entry,
 * no ImagingStudy. Instances the request sent again stay as they were.
 */
class DicomwebStowLimitTest extends DicomwebTestBase {

  private static final int MB = 1024 * 1024;
  private String patientId;

  @BeforeEach
  void patient() {
    patientId = "LIMIT-" + UUID.randomUUID().toString().substring(0, 8);
    corpusPatient("limit-" + patientId.toLowerCase(), patientId); // treated by dr.chen: he may store
  }

  @Test
  void aBodyDeclaredOverTheLimitIs413AndNothingIsStored() throws IOException {
    String study = SyntheticCt.newStudyUid();
    long blobsBefore = blobFiles();
    String requestId = "stow-limit-declared-" + UUID.randomUUID();
    HttpAnswer refused = drChen().withRequestId(requestId).stow(null, false, bigInstances(study, 4));
    assertThat(refused.status()).as(refused.toString()).isEqualTo(413);
    assertThat(refused.text()).contains("larger than this server accepts");
    assertNothingOf(study, 4, blobsBefore);
    assertThat(auditEventsOf(requestId)).as("the refused request is audited").isNotEmpty();
  }

  @Test
  void aChunkedBodyThatGrowsOverTheLimitIs413AndWhatItStoredFirstIsGone() throws IOException {
    String study = SyntheticCt.newStudyUid();
    long blobsBefore = blobFiles();
    // three are complete (and were stored and indexed) before the fourth crosses the limit
    HttpAnswer refused = drChen().stow(null, true, bigInstances(study, 4));
    assertThat(refused.status()).as(refused.toString()).isEqualTo(413);
    assertNothingOf(study, 4, blobsBefore);
  }

  @Test
  void anInstanceSentAgainInARefusedRequestStaysAsItWas() {
    String study = SyntheticCt.newStudyUid();
    byte[] small = SyntheticCt.instance(study, 100, patientId, 64 * 1024);
    assertThat(drChen().stow(null, small).status()).isEqualTo(200);
    byte[][] body = new byte[5][];
    body[0] = small;
    System.arraycopy(bigInstances(study, 4), 0, body, 1, 4);
    assertThat(drChen().stow(null, true, body).status()).isEqualTo(413);
    HttpAnswer again = drChen().wado("studies/" + study);
    assertThat(again.status()).as(again.toString()).isEqualTo(200);
    assertThat(again.parts()).hasSize(1);
    assertThat(again.parts().get(0)).isEqualTo(small);
    assertThat(index().instances(study, null, null)).extracting(StudyIndex.Instance::sopInstanceUid)
        .containsExactly(SyntheticCt.sopUid(study, 100));
  }

  @Test
  void aBodyUnderTheLimitIsStoredAfterARefusal() {
    String study = SyntheticCt.newStudyUid();
    assertThat(drChen().stow(null, true, bigInstances(study, 4)).status()).isEqualTo(413);
    HttpAnswer stored = drChen().stow(null, true, bigInstances(study, 2));
    assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
    assertThat(drChen().wado("studies/" + study).parts()).hasSize(2);
  }

  /**
   * Instances of 16 MiB of pixels: four are just over the test server's 64 MiB limit (by their
   * headers and boundaries, a few KiB: what the server does not read stays within what Tomcat
   * swallows, so the client reliably gets the 413 rather than a reset connection).
   */
  private byte[][] bigInstances(String study, int count) {
    byte[][] instances = new byte[count][];
    for (int i = 0; i < count; i++) {
      instances[i] = SyntheticCt.instance(study, i + 1, patientId, 16 * MB);
    }
    return instances;
  }

  private void assertNothingOf(String study, int count, long blobsBefore) throws IOException {
    assertThat(index().study(study)).as("no index entry for the study").isEmpty();
    assertThat(index().instances(study, null, null)).isEmpty();
    for (int i = 1; i <= count; i++) {
      assertThat(index().studyOfInstance(SyntheticCt.sopUid(study, i))).isEmpty();
    }
    ImagingStudyLink link = context.getBean(ImagingStudyLink.class);
    assertThat(link.findByUid(study)).as("no ImagingStudy").isEmpty();
    assertThat(drChen().wado("studies/" + study).status()).isEqualTo(404);
    assertThat(drChen().qido("studies?StudyInstanceUID=" + study).text()).doesNotContain(study);
    assertThat(blobFiles()).as("no blob and no temporary file left").isEqualTo(blobsBefore);
  }

  private StudyIndex index() {
    return context.getBean(StudyIndex.class);
  }

  private long blobFiles() throws IOException {
    Path dir = context.getBean(StorageProperties.class).blobDir();
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).count();
    }
  }
}
