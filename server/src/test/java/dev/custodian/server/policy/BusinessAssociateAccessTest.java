package dev.custodian.server.policy;

import static dev.custodian.server.support.Visibility.ids;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import com.nimbusds.jose.jwk.RSAKey;
import dev.custodian.server.auth.DemoAccounts;
import dev.custodian.server.support.ClientAssertions;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import dev.custodian.server.support.SmartLogin;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A business associate's system client (45 CFR 164.504(e)) on the real stack: the demo client
 * {@code billing-associate}, signing with its committed DEMO-ONLY key, gets a token with the
 * BUSINESS_ASSOCIATE role and reads only the element set its agreement names (projected, marked SUBSETTED):
 * no series, no report text, no images over DICOMweb, and it writes nothing.
 */
class BusinessAssociateAccessTest extends ServerTestBase {

  private static final String SCOPES = String.join(" ", DemoAccounts.BILLING_ASSOCIATE_SCOPES);

  private FhirHttp associate;
  private String token;

  @BeforeEach
  void signIn() {
    RSAKey demoKey = ClientAssertions.rsaKeyFromPem(
        Path.of("..", "scripts", "demo-keys", "billing-associate.DEMO-ONLY.private.pem"));
    String assertion = ClientAssertions.sign(demoKey,
        ClientAssertions.claims(DemoAccounts.BILLING_ASSOCIATE_CLIENT, baseUrl() + "/oauth2/token").build());
    SmartLogin.TokenResponse tokens = new SmartLogin(baseUrl()).token(ClientAssertions.tokenRequest(assertion, SCOPES));
    assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
    assertThat(tokens.claims("access_token").get("roles")).isEqualTo(List.of("BUSINESS_ASSOCIATE"));
    assertThat(tokens.claims("access_token").get("organization")).isEqualTo("Organization/billing-associate");
    token = tokens.accessToken();
    associate = new FhirHttp(PORT, fhirContext).withBearer(token);
  }

  @Test
  void itReadsTheOperationsProjectionOnly() {
    FhirHttp.Response response = associate.get("ImagingStudy/alice-ct-chest");
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    ImagingStudy study = response.resource(ImagingStudy.class);
    assertThat(study.hasSeries()).isFalse();
    assertThat(study.hasText()).isFalse();
    assertThat(study.getModalityFirstRep().getCode()).isEqualTo("CT");
    assertThat(study.getNumberOfInstances()).isPositive();
    assertThat(study.getMeta().getSecurity()).extracting(Coding::getCode).contains("SUBSETTED");

    DiagnosticReport report = associate.get("DiagnosticReport/bruno-ct-chest-report").resource(DiagnosticReport.class);
    assertThat(report.hasConclusion()).isFalse();
    assertThat(report.hasPresentedForm()).isFalse();
    assertThat(report.hasCode()).isTrue();
    // the operations set has the report's study and category; the billing agreement's set does not
    assertThat(report.hasImagingStudy()).isFalse();
    assertThat(report.hasCategory()).isFalse();
    assertThat(report.getMeta().getSecurity()).extracting(Coding::getCode).contains("SUBSETTED");

    Bundle studies = associate.get("ImagingStudy?patient=bruno").bundle();
    assertThat(ids(studies)).contains("bruno-ct-chest", "bruno-ct-abdomen");
    for (Bundle.BundleEntryComponent entry : studies.getEntry()) {
      ImagingStudy found = (ImagingStudy) entry.getResource();
      assertThat(found.hasSeries()).as(found.getId()).isFalse();
      assertThat(found.getMeta().getSecurity()).extracting(Coding::getCode).contains("SUBSETTED");
    }
    assertThat(studies.hasTotal()).isFalse();
  }

  @Test
  void itGetsNoImages() throws Exception {
    ImagingStudy stored = (ImagingStudy) daos.getResourceDao("ImagingStudy")
        .read(new IdType("ImagingStudy/alice-ct-chest"), new SystemRequestDetails());
    String uid = stored.getIdentifierFirstRep().getValue().replaceFirst("^urn:oid:", "");
    String clinician = dev.custodian.server.support.TestClients.accessToken(context, baseUrl(), "dr.chen", "user/*.rs");
    assertThat(dicomweb(clinician, "studies/" + uid, "multipart/related; type=\"application/dicom\"").statusCode())
        .as("the study has images, which its treating clinician gets").isEqualTo(200);
    java.net.http.HttpResponse<byte[]> wado = dicomweb("studies/" + uid, "multipart/related; type=\"application/dicom\"");
    java.net.http.HttpResponse<byte[]> missing =
        dicomweb("studies/1.2.3.4.5.6.7.8.9.0", "multipart/related; type=\"application/dicom\"");
    assertThat(wado.statusCode()).isEqualTo(missing.statusCode()).isEqualTo(404);
    java.net.http.HttpResponse<byte[]> metadata = dicomweb("studies/" + uid + "/metadata", "application/dicom+json");
    assertThat(metadata.statusCode()).isEqualTo(404);
    java.net.http.HttpResponse<byte[]> qido = dicomweb("studies", "application/dicom+json");
    assertThat(qido.statusCode()).isIn(200, 204);
    assertThat(new String(qido.body(), java.nio.charset.StandardCharsets.UTF_8)).doesNotContain(uid);
  }

  @Test
  void itWritesNothing() {
    ImagingStudy study = associate.get("ImagingStudy/alice-ct-head").resource(ImagingStudy.class);
    study.setDescription("edited by the business associate");
    assertThat(associate.update(study).status()).isBetween(400, 499);
    study.setId((String) null);
    assertThat(associate.create(study).status()).isBetween(400, 499);
    ImagingStudy stored = (ImagingStudy) daos.getResourceDao("ImagingStudy")
        .read(new IdType("ImagingStudy/alice-ct-head"), new SystemRequestDetails());
    assertThat(stored.getDescription()).isNotEqualTo("edited by the business associate");
  }

  private java.net.http.HttpResponse<byte[]> dicomweb(String path, String accept) throws Exception {
    return dicomweb(token, path, accept);
  }

  private java.net.http.HttpResponse<byte[]> dicomweb(String token, String path, String accept) throws Exception {
    return java.net.http.HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(baseUrl() + "/dicomweb/" + path))
            .header("Authorization", "Bearer " + token).header("Accept", accept).GET().build(),
        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
  }
}
