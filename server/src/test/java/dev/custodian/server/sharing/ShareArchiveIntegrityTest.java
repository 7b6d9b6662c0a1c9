package dev.custodian.server.sharing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.custodian.dicom.multipart.MultipartRelatedWriter;
import dev.custodian.server.audit.store.AuditEventStore;
import dev.custodian.server.audit.store.AuditQuery;
import dev.custodian.server.dicomweb.SyntheticCt;
import dev.custodian.server.storage.StorageProperties;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A stored image that fails its integrity check in the middle of a share link's {@code images.zip}:
 * the 200 and the first files have gone out, so the server breaks the connection off instead of
 * finishing the ZIP. The recipient's client sees the transfer fail, what arrived does not open as a
 * ZIP, and the broken-off download is in the audit trail.
 */
class ShareArchiveIntegrityTest extends ShareLinkTestBase {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private static final int KB = 1024;

  @Autowired AuditEventStore auditEvents;

  @Test
  void aTamperedImageMidDownloadBreaksTheZipOffAndIsAudited() throws Exception {
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String patient = "zip-tamper-" + suffix;
    String mrn = "ZIP-" + suffix;
    fixtures.patientTreatedByDrChen(patient);
    Patient withMrn = new Patient();
    withMrn.setId(patient);
    withMrn.addName().setFamily("Fixture").addGiven(patient);
    withMrn.addIdentifier(new Identifier().setSystem("https://custodian.dev/fhir/sid/mrn").setValue(mrn));
    fixtures.store(withMrn);

    String study = SyntheticCt.newStudyUid();
    Map<String, byte[]> stored = new java.util.HashMap<>();
    Path middle = null;
    for (int n = 1; n <= 3; n++) {
      byte[] instance = SyntheticCt.instance(study, n, mrn, 512 * KB);
      stow(instance);
      stored.put(SyntheticCt.sopUid(study, n) + ".dcm", instance);
      if (n == 2) {
        middle = newestBlob();
      }
    }
    byte[] blob = Files.readAllBytes(middle);
    blob[blob.length / 2] ^= 0x20;
    Files.write(middle, blob);

    Bundle found = as("dr.chen", STAFF_SCOPES).get("ImagingStudy?identifier=urn:dicom:uid%7Curn:oid:" + study).bundle();
    assertThat(found.getEntry()).hasSize(1);
    ObjectNode body = JSON.createObjectNode().put("patient", "Patient/" + patient).put("expiresIn", "P1D");
    body.putArray("studies").add("ImagingStudy/" + found.getEntryFirstRep().getResource().getIdPart());
    String url = link(token("dr.chen", STAFF_SCOPES), body).get("url").asText();
    String session = redeem(url, null, true).json().get("session").asText();

    HttpResponse<InputStream> download = CLIENT.send(HttpRequest.newBuilder(URI.create(session + "/images.zip"))
        .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(download.statusCode()).isEqualTo(200); // the headers went out before the tampered file was reached
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    assertThatThrownBy(() -> {
      try (InputStream in = download.body()) {
        in.transferTo(received);
      }
    }).as("the client sees the download fail").isInstanceOf(IOException.class);
    // the files before the tampered one arrived whole (as stored); the ZIP stream then just stops
    try (ZipInputStream partialZip = new ZipInputStream(new ByteArrayInputStream(received.toByteArray()))) {
      ZipEntry first = partialZip.getNextEntry();
      assertThat(first).isNotNull();
      String name = first.getName().substring(first.getName().lastIndexOf('/') + 1);
      assertThat(partialZip.readAllBytes()).isEqualTo(stored.get(name));
    }

    Path partial = Files.createTempFile("broken-share", ".zip");
    try {
      Files.write(partial, received.toByteArray());
      assertThatThrownBy(() -> new ZipFile(partial.toFile()).close()).as("what arrived is no ZIP that opens")
          .isInstanceOf(IOException.class);
    } finally {
      Files.delete(partial);
    }

    List<AuditEvent> downloads = auditEvents.search(new AuditQuery(null, null, null,
        List.of(List.of(ShareLinkEvents.SYSTEM + "|share-link")), List.of(List.of(ShareLinkEvents.SYSTEM + "|download")),
        null, null, null, null, null, null, null, false), null, 200);
    // recorded before the first byte left, and its failure after
    assertThat(downloads).anyMatch(event -> event.getOutcome() == AuditEvent.AuditEventOutcome._0
        && event.getEntity().stream().anyMatch(entity -> ("Patient/" + patient).equals(entity.getWhat().getReference())));
    assertThat(downloads).anyMatch(event -> event.getOutcome() == AuditEvent.AuditEventOutcome._4
        && event.getOutcomeDesc().contains("broke off") && event.getOutcomeDesc().contains("integrity")
        && event.getEntity().stream().anyMatch(entity -> ("Patient/" + patient).equals(entity.getWhat().getReference())));
  }

  private void stow(byte[] instance) throws IOException, InterruptedException {
    String boundary = MultipartRelatedWriter.newBoundary();
    ByteArrayOutputStream multipart = new ByteArrayOutputStream();
    try (MultipartRelatedWriter writer = new MultipartRelatedWriter(multipart, boundary)) {
      writer.writePart(Map.of("Content-Type", "application/dicom"), instance);
    }
    HttpResponse<String> stored = CLIENT.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/dicomweb/studies"))
        .header("Authorization", "Bearer " + token("dr.chen", STAFF_SCOPES))
        .header("Content-Type", MultipartRelatedWriter.contentType("application/dicom", boundary))
        .header("Accept", "application/dicom+json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(multipart.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
  }

  private Path newestBlob() throws IOException {
    try (Stream<Path> files = Files.walk(context.getBean(StorageProperties.class).blobDir())) {
      return files.filter(Files::isRegularFile).max((a, b) -> {
        try {
          return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).orElseThrow();
    }
  }
}
