package dev.custodian.server.dicomweb;

import dev.custodian.server.support.HttpAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.storage.StorageProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
  private static final long LIMIT = 64L * MB;
  private static final HttpClient HTTP = HttpClient.newHttpClient();
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
   * A body declared 1 GiB over the limit, from a raw socket: after its headers and 1 MiB of the body
   * the 413 is there to read (nothing more of the body needed), and once the client stops sending the
   * server closes the connection — no reset before the answer, no hang after it.
   */
  @Test
  void aBodyDeclaredFarOverTheLimitIsAnsweredBeforeItIsSent() throws IOException {
    String study = SyntheticCt.newStudyUid();
    long blobsBefore = blobFiles();
    long declared = LIMIT + 1024L * MB;
    try (Socket socket = rawStow(declared, "", study, MB)) {
      InputStream in = socket.getInputStream();
      assertThat413(in);
      socket.shutdownOutput(); // the client gives up on the rest of its body
      assertThat(in.read()).as("the server closes the connection").isEqualTo(-1);
    }
    assertNothingOf(study, 1, blobsBefore);
  }

  /**
   * A client that asks {@code Expect: 100-continue} (as curl does for large bodies) gets the 413
   * instead of the go-ahead, and so sends nothing of its body.
   */
  @Test
  void aClientThatWaitsForContinueGetsThe413InsteadOfTheGoAhead() throws IOException {
    String study = SyntheticCt.newStudyUid();
    long blobsBefore = blobFiles();
    try (Socket socket = rawStow(LIMIT + 1024L * MB, "Expect: 100-continue\r\n", study, 0)) {
      InputStream in = socket.getInputStream();
      assertThat413(in);
      assertThat(in.read()).as("the server closes the connection").isEqualTo(-1);
    }
    assertNothingOf(study, 1, blobsBefore);
  }

  /** A STOW-RS request declaring {@code declared} bytes, over a raw socket; {@code send} bytes of the body sent. */
  private Socket rawStow(long declared, String moreHeaders, String study, int send) throws IOException {
    StreamedStowBody body = new StreamedStowBody();
    Socket socket = new Socket("127.0.0.1", PORT);
    socket.setSoTimeout(30_000);
    OutputStream out = socket.getOutputStream();
    out.write(("POST /dicomweb/studies HTTP/1.1\r\nHost: localhost:" + PORT + "\r\n"
        + "Authorization: Bearer " + token("dr.chen", STAFF_SCOPES) + "\r\n"
        + "Content-Type: " + body.contentType() + "\r\nAccept: application/dicom+json\r\n" + moreHeaders
        + "Content-Length: " + declared + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(body.declared(smallInstance(study), declared).readNBytes(send));
    out.flush();
    return socket;
  }

  /** Reads a whole 413 answer (status line, headers, body) that closes the connection. */
  private static void assertThat413(InputStream in) throws IOException {
    String head = head(in);
    assertThat(head).startsWith("HTTP/1.1 413").containsIgnoringCase("connection: close");
    int length = Integer.parseInt(head.replaceAll("(?is).*content-length: *(\\d+).*", "$1").trim());
    assertThat(new String(in.readNBytes(length), StandardCharsets.UTF_8)).contains("larger than this server accepts");
  }

  /**
   * The JDK's HttpClient, sending a body declared over the limit by less than {@code
   * stow-refusal-drain}: whether it reads the answer while sending or only after its whole body, the
   * rest is read and dropped after the 413 went out, so it gets the 413, not a broken connection;
   * nothing of it is stored.
   */
  @Test
  void aClientThatSendsItsWholeBodyFirstStillGetsThe413() throws Exception {
    String study = SyntheticCt.newStudyUid();
    long blobsBefore = blobFiles();
    StreamedStowBody body = new StreamedStowBody();
    long declared = LIMIT + 48L * MB;
    HttpResponse<String> refused = sendDeclared(body, smallInstance(study), declared);
    assertThat(refused.statusCode()).isEqualTo(413);
    assertThat(refused.body()).contains("larger than this server accepts");
    assertNothingOf(study, 1, blobsBefore);
  }

  /**
   * A chunked body (no Content-Length) that crosses the limit mid-stream, far over it: the server
   * finds out only after reading the limit's worth, so the client has sent that much; it answers 413
   * and drops what follows up to the drain; what the instances before the limit stored is removed.
   */
  @Test
  void aChunkedBodyFarOverTheLimitStoresNothing() throws Exception {
    String study = SyntheticCt.newStudyUid();
    long blobsBefore = blobFiles();
    StreamedStowBody body = new StreamedStowBody();
    int instances = 20; // 320 MiB: 256 MiB over the limit, more than the drain takes
    String outcome;
    try {
      HttpResponse<String> answer = HTTP.send(stow(body).POST(HttpRequest.BodyPublishers.ofInputStream(
          () -> body.instances(n -> SyntheticCt.instance(study, n, patientId, 16 * MB), instances))).build(),
          HttpResponse.BodyHandlers.ofString());
      outcome = String.valueOf(answer.statusCode());
    } catch (IOException broken) {
      outcome = "connection closed: " + broken;
    }
    System.out.println("chunked far over the limit: " + outcome + " after " + body.sent.get() + " bytes");
    assertThat(outcome).doesNotStartWith("2");
    assertNothingOf(study, instances, blobsBefore);
  }

  private HttpRequest.Builder stow(StreamedStowBody body) {
    return HttpRequest.newBuilder(URI.create(baseUrl() + "/dicomweb/studies"))
        .header("Authorization", "Bearer " + token("dr.chen", STAFF_SCOPES))
        .header("Content-Type", body.contentType()).header("Accept", "application/dicom+json")
        .timeout(Duration.ofMinutes(3));
  }

  /** A STOW-RS of {@code first} and zeros, {@code declared} bytes in all, with a Content-Length. */
  private HttpResponse<String> sendDeclared(StreamedStowBody body, byte[] first, long declared)
      throws IOException, InterruptedException {
    return HTTP.send(stow(body).POST(HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofInputStream(() -> body.declared(first, declared)), declared)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private byte[] smallInstance(String study) {
    return SyntheticCt.instance(study, 1, patientId, 64 * 1024);
  }

  /** The status line and headers of an HTTP/1.1 response, up to the empty line. */
  private static String head(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed after " + head);
      }
      head.append((char) b);
    }
    return head.toString();
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
