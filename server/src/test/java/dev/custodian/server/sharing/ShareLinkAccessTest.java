package dev.custodian.server.sharing;

import dev.custodian.server.support.HttpAnswer;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import com.fasterxml.jackson.databind.JsonNode;
import dev.custodian.dicom.multipart.MultipartRelatedReader;
import dev.custodian.dicom.multipart.Part;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a redeemed link reaches: its study's DICOM files byte for byte (ZIP and WADO-RS), and nothing
 * else — not the patient's other study, not another patient's, not FHIR, not STOW-RS.
 */
class ShareLinkAccessTest extends ShareLinkTestBase {

  private String session;
  private String chestUid;

  @BeforeEach
  void redeemALinkOfAlicesChestCt() {
    String url = link(alice(), chestCt()).get("url").asText();
    session = redeem(url, null, true).json().get("session").asText();
    chestUid = studyUid("alice-ct-chest");
  }

  @Test
  void theZipHoldsTheDicomFilesExactlyAsStored() throws IOException {
    HttpAnswer zip = get(session + "/images.zip", null);
    assertThat(zip.status()).as(zip.toString()).isEqualTo(200);
    assertThat(zip.header("Content-Type")).isEqualTo("application/zip");
    Map<String, String> entries = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        entries.put(entry.getName(), sha256(in.readAllBytes()));
      }
    }
    assertThat(entries).isNotEmpty();
    assertThat(entries.keySet()).allMatch(name -> name.startsWith(chestUid + "/") && name.endsWith(".dcm"));

    // alice's own WADO-RS retrieval of the study (bearer token, /dicomweb) serves the stored files
    HttpAnswer own = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/dicomweb/studies/" + chestUid))
        .header("Authorization", "Bearer " + alice()).header("Accept", "multipart/related; type=\"application/dicom\"").GET());
    assertThat(own.status()).isEqualTo(200);
    assertThat(new ArrayList<>(entries.values())).containsExactlyInAnyOrderElementsOf(parts(own).stream().map(ShareLinkAccessTest::sha256).toList());

    // and so does the link's own WADO-RS
    HttpAnswer shared = get(session + "/dicomweb/studies/" + chestUid, "multipart/related; type=\"application/dicom\"");
    assertThat(shared.status()).isEqualTo(200);
    assertThat(parts(shared).stream().map(ShareLinkAccessTest::sha256).toList()).containsExactlyElementsOf(entries.values());
  }

  @Test
  void metadataAndSearchStayWithinTheSharedStudy() {
    HttpAnswer metadata = get(session + "/dicomweb/studies/" + chestUid + "/metadata", "application/dicom+json");
    assertThat(metadata.status()).isEqualTo(200);
    assertThat(metadata.text()).doesNotContain(baseUrl() + "/dicomweb/");
    HttpAnswer studies = get(session + "/dicomweb/studies", "application/dicom+json");
    assertThat(studies.status()).as(studies.toString()).isEqualTo(200);
    JsonNode found = studies.json();
    assertThat(found).hasSize(1);
    assertThat(found.get(0).toString()).contains(chestUid);
    assertThat(get(session + "/dicomweb/series", "application/dicom+json").text()).doesNotContain(studyUid("alice-ct-head"));

    // audited as the link's holder, and the session's secret is nowhere in the trail (nor in the query entities)
    String secret = session.substring(session.lastIndexOf('/') + 1);
    Bundle events = as("audit.gray", "user/AuditEvent.rs").get("AuditEvent?_count=50&_sort=-date").bundle();
    List<String> recorded = new ArrayList<>();
    events.getEntry().forEach(entry -> {
      AuditEvent event = (AuditEvent) entry.getResource();
      recorded.add(fhirContext.newJsonParser().encodeResourceToString(event));
      event.getEntity().stream().filter(AuditEvent.AuditEventEntityComponent::hasQuery)
          .forEach(entity -> recorded.add(new String(entity.getQuery(), java.nio.charset.StandardCharsets.UTF_8)));
    });
    assertThat(recorded).anyMatch(text -> text.contains("custodian-share-link") && text.contains("ImagingStudy/alice-ct-chest"));
    assertThat(recorded).anyMatch(text -> text.contains("/share/s/session-of-link-"));
    assertThat(recorded).noneMatch(text -> text.contains(secret));
  }

  @Test
  void nothingOfANonSharedStudyIsReachable() {
    HttpAnswer missing = get(session + "/dicomweb/studies/1.2.3.4.5.6.7.8.9", "multipart/related; type=\"application/dicom\"");
    assertThat(missing.status()).isEqualTo(404);
    for (String other : List.of("alice-ct-head", "bruno-ct-chest", "bruno-ct-abdomen")) {
      String uid = studyUid(other);
      for (String path : List.of("", "/metadata", "/series")) {
        HttpAnswer answer = get(session + "/dicomweb/studies/" + uid + path,
            path.isEmpty() ? "multipart/related; type=\"application/dicom\"" : "application/dicom+json");
        if (path.equals("/series")) {
          assertThat(answer.status()).isEqualTo(200);
          assertThat(answer.text()).as(other).isEqualTo("[]");
        } else {
          assertThat(answer.status()).as(other + path).isEqualTo(404);
          assertThat(answer.text()).isEqualTo(missing.text());
        }
      }
    }
    // the session and the link are no bearer tokens anywhere else
    String secret = session.substring(session.lastIndexOf('/') + 1);
    for (String path : List.of("/fhir/ImagingStudy/alice-ct-chest", "/dicomweb/studies/" + chestUid, "/api/share-links")) {
      HttpAnswer answer = send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("Authorization", "Bearer " + secret).GET());
      assertThat(answer.status()).as(path).isEqualTo(401);
    }
  }

  @Test
  void aSessionCannotStoreInstances() {
    HttpAnswer stow = send(HttpRequest.newBuilder(URI.create(session + "/dicomweb/studies"))
        .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=x")
        .POST(HttpRequest.BodyPublishers.ofString("--x--")));
    assertThat(stow.status()).isEqualTo(405);
    assertThat(send(HttpRequest.newBuilder(URI.create(session + "/dicomweb/studies/" + chestUid))
        .DELETE()).status()).isEqualTo(405);
  }

  private String studyUid(String id) {
    ImagingStudy study = daos.getResourceDao(ImagingStudy.class).read(new IdType("ImagingStudy", id), new SystemRequestDetails());
    return study.getIdentifierFirstRep().getValue().replaceFirst("^urn:oid:", "");
  }

  private static List<byte[]> parts(HttpAnswer answer) {
    try (MultipartRelatedReader reader = MultipartRelatedReader.fromContentType(
        new ByteArrayInputStream(answer.body()), answer.header("Content-Type"))) {
      List<byte[]> parts = new ArrayList<>();
      for (Part part = reader.next(); part != null; part = reader.next()) {
        parts.add(part.body().readAllBytes());
      }
      return parts;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
