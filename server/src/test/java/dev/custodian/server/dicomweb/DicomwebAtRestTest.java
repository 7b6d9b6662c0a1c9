package dev.custodian.server.dicomweb;

import dev.custodian.server.support.HttpAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.storage.StorageProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What STOW-RS leaves on disk, and what WADO-RS does with a blob that was tampered with. */
class DicomwebAtRestTest extends DicomwebTestBase {

  @BeforeEach
  void patient() {
    requireCorpus();
    corpusPatient("dicom-ct1", "1CT1");
  }

  private Path blobDir() {
    return context.getBean(StorageProperties.class).blobDir();
  }

  @Test
  void afterStowingCtSmallNeitherItsPatientNameNorItsUidsArePlaintextOnDisk() throws IOException {
    assertThat(drChen().stow(null, DicomwebHttp.corpus("CT_small.dcm")).status()).isEqualTo(200);
    // The patient id "1CT1" is only 4 bytes: that short a string turns up by chance in the hundreds of
    // MiB of ciphertext the suite stores, so it is looked for as its data element (tag, VR, length,
    // value), the way a plaintext file would hold it, in explicit and implicit VR little endian.
    String patientIdElement = "\u0010\u0000\u0020\u0000LO\u0004\u00001CT1";
    String patientIdImplicit = "\u0010\u0000\u0020\u0000\u0004\u0000\u0000\u00001CT1";
    List<String> secrets = List.of("CompressedSamples", "CompressedSamples^CT1", CT_STUDY, CT_SERIES, CT_SOP,
        patientIdElement, patientIdImplicit);
    try (Stream<Path> files = Files.walk(blobDir())) {
      List<Path> all = files.filter(Files::isRegularFile).toList();
      assertThat(all).as("the blob directory holds the stored instances").isNotEmpty();
      for (Path file : all) {
        String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        for (String secret : secrets) {
          assertThat(content).as(file + " holds " + secret).doesNotContain(secret);
        }
        for (String secret : List.of("CompressedSamples", CT_STUDY, CT_SERIES, CT_SOP, "1CT1")) {
          assertThat(file.toString()).doesNotContain(secret);
        }
      }
    }
  }

  @Test
  void aTamperedBlobFailsRetrievalAndIsAuditedNeverGarbage() throws IOException {
    corpusPatient("dicom-nm1", "8NM1");
    assertThat(drChen().stow(null, DicomwebHttp.corpus("JPEG2000.dcm")).status()).isEqualTo(200);
    Path blob = newestBlob();
    byte[] bytes = Files.readAllBytes(blob);
    bytes[bytes.length / 2] ^= 0x40;
    Files.write(blob, bytes);
    String requestId = "tampered-" + UUID.randomUUID();
    HttpAnswer response = drChen().withRequestId(requestId).wado("studies/" + NM_STUDY);
    assertThat(response.status()).isEqualTo(500);
    assertThat(response.text()).contains("integrity").doesNotContain("Exception");
    // found before a byte was sent: the one record is the failure's
    assertThat(auditEventsOf(requestId)).singleElement().asString().contains("integrity").doesNotContain("\"outcome\":\"0\"");
  }

  @Test
  void aBlobTamperedAfterItsFirstSegmentBreaksTheResponseOffAndIsAudited() throws IOException {
    String study = "2.25.1" + Math.abs(UUID.randomUUID().getMostSignificantBits());
    byte[] large = Part10Writer.toPart10("1.2.840.10008.5.1.4.1.1.7", study + ".1.1", "2.25.1", new Part10Writer()
        .text(0x00080016, "UI", "1.2.840.10008.5.1.4.1.1.7")
        .text(0x00080018, "UI", study + ".1.1")
        .text(0x00080020, "DA", "20260101")
        .text(0x00080060, "CS", "OT")
        .text(0x00100010, "PN", "Fixture^Large")
        .text(0x00100020, "LO", "1CT1")
        .text(0x0020000D, "UI", study)
        .text(0x0020000E, "UI", study + ".1")
        .binary(0x7FE00010, "OW", new byte[300 * 1024])
        .bytes());
    assertThat(drChen().stow(null, large).status()).isEqualTo(200);
    Path blob = newestBlob();
    byte[] bytes = Files.readAllBytes(blob);
    bytes[bytes.length - 1000] ^= 0x01; // in the last 64 KiB segment
    Files.write(blob, bytes);
    String requestId = "tampered-late-" + UUID.randomUUID();
    boolean complete;
    try {
      HttpAnswer response = drChen().withRequestId(requestId).wado("studies/" + study);
      List<byte[]> parts = response.parts();
      complete = parts.size() == 1 && java.util.Arrays.equals(parts.get(0), large);
    } catch (RuntimeException brokenOff) {
      complete = false; // the connection or the multipart body ended early: what a client must see
    }
    assertThat(complete).as("a tampered instance never arrives as a complete, well-formed response").isFalse();
    // the answer streamed after its record was written; its failure is a second record
    List<String> events = auditEventsOf(requestId);
    assertThat(events).hasSize(2);
    assertThat(events).filteredOn(json -> json.contains("integrity")).singleElement().asString()
        .doesNotContain("\"outcome\":\"0\"");
    assertThat(events).filteredOn(json -> !json.contains("integrity")).singleElement().asString()
        .contains("\"outcome\":\"0\"");
  }

  private Path newestBlob() throws IOException {
    try (Stream<Path> files = Files.walk(blobDir())) {
      return files.filter(Files::isRegularFile)
          .max((a, b) -> {
            try {
              return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b));
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }).orElseThrow();
    }
  }
}
