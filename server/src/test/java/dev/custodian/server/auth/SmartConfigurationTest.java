package dev.custodian.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /fhir/.well-known/smart-configuration} field by field against SMART App Launch 2.2
 * ("Conformance: metadata"), and each advertised endpoint checked to be the one that answers.
 */
class SmartConfigurationTest extends ServerTestBase {

  private JsonNode doc;

  @BeforeEach
  void fetch() throws Exception {
    FhirHttp.Response response = http.withBearer(null).get(".well-known/smart-configuration");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).startsWith("application/json");
    doc = new ObjectMapper().readTree(response.body());
  }

  @Test
  void requiredFields() {
    // capabilities: REQUIRED, an array of strings
    assertThat(strings("capabilities")).isNotEmpty();
    // token_endpoint: REQUIRED
    assertThat(doc.path("token_endpoint").asText()).isEqualTo(baseUrl() + "/oauth2/token");
    // grant_types_supported: REQUIRED, with authorization_code (and client_credentials for backend services)
    assertThat(strings("grant_types_supported")).contains("authorization_code", "client_credentials", "refresh_token");
    // code_challenge_methods_supported: REQUIRED, S256 and never plain — here exactly ["S256"]
    assertThat(strings("code_challenge_methods_supported")).containsExactly("S256");
  }

  @Test
  void conditionalFieldsRequiredByWhatWeAdvertise() {
    List<String> capabilities = strings("capabilities");
    // sso-openid-connect → issuer and jwks_uri
    assertThat(capabilities).contains("sso-openid-connect");
    assertThat(doc.path("issuer").asText()).isEqualTo(baseUrl());
    assertThat(doc.path("jwks_uri").asText()).isEqualTo(baseUrl() + "/oauth2/jwks");
    // launch-ehr / launch-standalone → authorization_endpoint
    assertThat(doc.path("authorization_endpoint").asText()).isEqualTo(baseUrl() + "/oauth2/authorize");
    // client-confidential-asymmetric → private_key_jwt with its algorithms
    assertThat(strings("token_endpoint_auth_methods_supported"))
        .contains("private_key_jwt", "client_secret_basic", "none");
    assertThat(strings("token_endpoint_auth_signing_alg_values_supported")).containsExactlyInAnyOrder("RS384", "ES384");
  }

  @Test
  void recommendedFields() {
    assertThat(doc.path("introspection_endpoint").asText()).isEqualTo(baseUrl() + "/oauth2/introspect");
    assertThat(doc.path("revocation_endpoint").asText()).isEqualTo(baseUrl() + "/oauth2/revoke");
    assertThat(strings("response_types_supported")).containsExactly("code");
    assertThat(strings("scopes_supported")).contains(
        "openid", "fhirUser", "launch", "launch/patient", "offline_access", "online_access", "patient/*.rs", "user/*.rs",
        "system/*.rs");
    // the connected-apps page (ConnectedAppsTest covers it)
    assertThat(doc.path("management_endpoint").asText()).isEqualTo(baseUrl() + "/account/apps");
    // Not yet served — a User Access Brands bundle. When it comes, this test must change with it.
    List<String> absent = new ArrayList<>();
    for (String field : List.of("user_access_brand_bundle", "user_access_brand_identifier")) {
      if (!doc.has(field)) {
        absent.add(field);
      }
    }
    assertThat(absent).containsExactlyInAnyOrder("user_access_brand_bundle", "user_access_brand_identifier");
  }

  @Test
  void theCapabilitiesTheIssueAsksFor() {
    assertThat(strings("capabilities")).contains(
        "launch-ehr", "launch-standalone", "authorize-post", "client-public", "client-confidential-symmetric",
        "client-confidential-asymmetric", "sso-openid-connect", "context-ehr-patient", "context-standalone-patient",
        "permission-offline", "permission-online", "permission-patient", "permission-user", "permission-v1",
        "permission-v2");
    assertThat(strings("capabilities")).doesNotHaveDuplicates()
        .allMatch(capability -> capability.matches("[a-z0-9-]+"));
  }

  @Test
  void theAdvertisedEndpointsAnswer() {
    // jwks_uri serves a public RSA key only
    FhirHttp.Response jwks = http.withBearer(null).get(doc.path("jwks_uri").asText());
    assertThat(jwks.status()).isEqualTo(200);
    assertThat(jwks.body()).contains("\"kty\":\"RSA\"").doesNotContain("\"d\":");
    // the token endpoint refuses an unauthenticated client as OAuth says (not a sign-in page)
    FhirHttp.Response token = http.withBearer(null).post(doc.path("token_endpoint").asText(),
        "application/x-www-form-urlencoded", "grant_type=client_credentials");
    assertThat(token.status()).isEqualTo(401);
    // OpenID discovery agrees on the issuer
    FhirHttp.Response openid = http.withBearer(null).get(baseUrl() + "/.well-known/openid-configuration");
    assertThat(openid.status()).isEqualTo(200);
    assertThat(openid.body()).contains("\"issuer\":\"" + baseUrl() + "\"");
  }

  private List<String> strings(String field) {
    JsonNode node = doc.path(field);
    assertThat(node.isArray()).as(field + " must be an array").isTrue();
    List<String> values = new ArrayList<>();
    node.forEach(value -> {
      assertThat(value.isTextual()).as(field + " holds strings").isTrue();
      values.add(value.asText());
    });
    return values;
  }
}
