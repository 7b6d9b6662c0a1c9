package dev.custodian.server.auth.backend;

import static dev.custodian.server.support.ClientAssertions.claims;
import static dev.custodian.server.support.ClientAssertions.sign;
import static dev.custodian.server.support.ClientAssertions.tokenRequest;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import dev.custodian.server.auth.DemoAccounts;
import dev.custodian.server.support.BackendTestClients;
import dev.custodian.server.support.ClientAssertions;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import dev.custodian.server.support.SmartLogin;
import dev.custodian.server.support.SmartLogin.TokenResponse;
import dev.custodian.server.support.TestClients;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * SMART Backend Services at the token endpoint, over real HTTP: client_credentials with a signed
 * client assertion, and every way an assertion or a request can be wrong.
 */
class BackendServicesTokenTest extends ServerTestBase {

  private static final String SCOPE = "system/ImagingStudy.rs system/DiagnosticReport.rs";

  @Autowired JdbcTemplate authJdbcTemplate;

  private SmartLogin client;
  private String tokenUrl;

  @BeforeEach
  void register() {
    BackendTestClients.ensureRegistered(context);
    client = new SmartLogin(baseUrl());
    tokenUrl = baseUrl() + "/oauth2/token";
  }

  private JWTClaimsSet.Builder good() {
    return claims(BackendTestClients.PARTNER, tokenUrl);
  }

  private TokenResponse request(String assertion, String scope) {
    return client.token(tokenRequest(assertion, scope));
  }

  @Test
  void anRs384AssertionGetsAShortLivedSystemAccessTokenAndNothingElse() {
    TokenResponse tokens = request(sign(BackendTestClients.RSA, good().build()), SCOPE);

    assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
    assertThat(tokens.body().get("token_type")).isEqualTo("Bearer");
    assertThat(((String) tokens.body().get("scope")).split(" ")).containsExactlyInAnyOrder(SCOPE.split(" "));
    assertThat(((Number) tokens.body().get("expires_in")).intValue()).isBetween(1, 300);
    assertThat(tokens.body()).doesNotContainKeys("refresh_token", "id_token", "patient");
    Map<String, Object> access = tokens.claims("access_token");
    assertThat(access.get("roles")).isEqualTo(List.of("SYSTEM"));
    assertThat(access.get("organization")).isEqualTo("Organization/partner-hospital");
    assertThat(access.get("client_id")).isEqualTo(BackendTestClients.PARTNER);
    assertThat(access).doesNotContainKeys("fhirUser", "patient");
    assertThat(((Number) access.get("exp")).longValue() - ((Number) access.get("iat")).longValue()).isLessThanOrEqualTo(300);
  }

  @Test
  void anEs384AssertionIsAcceptedToo() {
    TokenResponse tokens = request(sign(BackendTestClients.EC, good().build()), "system/ImagingStudy.rs");
    assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
    assertThat(tokens.accessToken()).isNotBlank();
  }

  @Test
  void aClientIdThatIsSentMustBeTheAssertionsIssuer() {
    String assertion = sign(BackendTestClients.RSA, good().build());
    TokenResponse same = client.token(tokenRequest(assertion, SCOPE, f -> f.put("client_id", BackendTestClients.PARTNER)));
    assertThat(same.status()).as(same.toString()).isEqualTo(200);

    TokenResponse other = client.token(tokenRequest(sign(BackendTestClients.RSA, good().build()), SCOPE,
        f -> f.put("client_id", BackendTestClients.OUTSIDE_CLINIC)));
    assertInvalidClient(other, "client_id");
  }

  @Test
  void theDemoPartnerHospitalSignsWithTheCommittedDemoKey() {
    RSAKey demoKey = ClientAssertions.rsaKeyFromPem(
        Path.of("..", "scripts", "demo-keys", "partner-hospital.DEMO-ONLY.private.pem"));
    String assertion = sign(demoKey, claims(DemoAccounts.PARTNER_HOSPITAL_CLIENT, tokenUrl).build());
    TokenResponse tokens = request(assertion, String.join(" ", DemoAccounts.PARTNER_HOSPITAL_SCOPES));
    assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
    assertThat(tokens.claims("access_token").get("organization")).isEqualTo("Organization/partner-hospital");
  }

  @Test
  void unsignedAndHmacAndOtherAlgorithmsAreRefused() {
    JWTClaimsSet claims = good().build();
    RSAKey rsa = BackendTestClients.RSA;
    assertInvalidClient(request(ClientAssertions.unsigned(good().build()), SCOPE), "RS384 or ES384");
    assertInvalidClient(request(ClientAssertions.signHs256(
        "a-shared-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8), rsa.getKeyID(), claims), SCOPE),
        "RS384 or ES384");
    try {
      // the classic confusion attack: HMAC keyed with the client's public key
      byte[] publicDer = rsa.toRSAPublicKey().getEncoded();
      String publicJwk = rsa.toPublicJWK().toJSONString();
      assertInvalidClient(request(ClientAssertions.signHs256(publicDer, rsa.getKeyID(), good().build()), SCOPE),
          "RS384 or ES384");
      assertInvalidClient(request(ClientAssertions.signHs256(
          publicJwk.getBytes(StandardCharsets.UTF_8), rsa.getKeyID(), good().build()), SCOPE), "RS384 or ES384");
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
    assertInvalidClient(request(sign(JWSAlgorithm.RS256, rsa, good().build()), SCOPE), "RS384 or ES384");
    assertInvalidClient(request(sign(JWSAlgorithm.PS384, rsa, good().build()), SCOPE), "RS384 or ES384");
  }

  @Test
  void aKeyThatIsNotRegisteredIsRefused() {
    assertInvalidClient(request(sign(ClientAssertions.newRsaKey(), good().build()), SCOPE), "RS384 or ES384");
    assertInvalidClient(request(sign(ClientAssertions.newEcKey(), good().build()), SCOPE), "RS384 or ES384");
  }

  @Test
  void theClaimsMustBeRight() {
    RSAKey key = BackendTestClients.RSA;
    Instant now = Instant.now();
    assertInvalidClient(request(sign(key, good().audience(baseUrl() + "/fhir").build()), SCOPE), "aud");
    assertInvalidClient(request(sign(key, good().audience(baseUrl()).build()), SCOPE), "aud");
    assertInvalidClient(request(sign(key, good().audience(tokenUrl + "/").build()), SCOPE), "aud");
    assertInvalidClient(request(sign(key, good().audience(List.of(tokenUrl, "https://elsewhere.example/token")).build()), SCOPE),
        "aud");
    assertInvalidClient(request(sign(key, good().issueTime(Date.from(now.minus(Duration.ofMinutes(6))))
        .expirationTime(Date.from(now.minus(Duration.ofMinutes(2)))).build()), SCOPE),
        "expired");
    assertInvalidClient(request(sign(key, good().expirationTime(Date.from(now.plus(Duration.ofMinutes(10)))).build()), SCOPE),
        "5 minutes");
    assertInvalidClient(request(sign(key, good().expirationTime(null).build()), SCOPE), "exp");
    assertInvalidClient(request(sign(key, good().jwtID(null).build()), SCOPE), "jti");
    assertInvalidClient(request(sign(key, good().jwtID("x".repeat(300)).build()), SCOPE), "jti");
    assertInvalidClient(request(sign(key, good().subject("someone-else").build()), SCOPE), "iss and sub");
    assertInvalidClient(request(sign(key, good().notBeforeTime(Date.from(now.plus(Duration.ofMinutes(3)))).build()), SCOPE),
        "nbf");
  }

  @Test
  void anAssertionIsGoodForOneTokenRequestOnly() throws Exception {
    String assertion = sign(BackendTestClients.RSA, good().build());
    assertThat(request(assertion, SCOPE).status()).isEqualTo(200);
    assertInvalidClient(request(assertion, SCOPE), "already used");
    // a new assertion with the spent jti is a replay too
    String spentJti = com.nimbusds.jwt.JWTParser.parse(assertion).getJWTClaimsSet().getJWTID();
    assertInvalidClient(request(sign(BackendTestClients.EC, good().jwtID(spentJti).build()), SCOPE), "already used");
    // the same jti from another client is that client's own
    String other = sign(BackendTestClients.RSA, claims(BackendTestClients.OUTSIDE_CLINIC, tokenUrl).jwtID(spentJti).build());
    assertThat(request(other, "system/ImagingStudy.rs").status()).isEqualTo(200);
  }

  @Test
  void everyNodeRefusesAJtiThatAnyNodeAccepted() {
    // two nodes are two SeenAssertions over the same database
    SeenAssertions nodeA = new SeenAssertions(authJdbcTemplate, java.time.Clock.systemUTC());
    SeenAssertions nodeB = new SeenAssertions(authJdbcTemplate, java.time.Clock.systemUTC());
    String jti = UUID.randomUUID().toString();
    Instant until = Instant.now().plus(Duration.ofMinutes(5));
    assertThat(nodeA.firstUse("node-test", jti, until)).isTrue();
    assertThat(nodeB.firstUse("node-test", jti, until)).isFalse();
    assertThat(nodeA.firstUse("node-test", jti, until)).isFalse();

    String old = UUID.randomUUID().toString();
    assertThat(nodeA.firstUse("node-test", old, Instant.now().minus(Duration.ofMinutes(1)))).isTrue();
    assertThat(nodeB.deleteExpired()).isGreaterThanOrEqualTo(1);
    assertThat(authJdbcTemplate.queryForObject(
        "select count(*) from custodian_client_assertion_jti where jti = ?", Integer.class, old)).isZero();
    assertThat(authJdbcTemplate.queryForObject(
        "select count(*) from custodian_client_assertion_jti where jti = ?", Integer.class, jti)).isOne();
  }

  @Test
  void anUnknownClientOrAMalformedAssertionIsRefused() {
    String unknown = sign(BackendTestClients.RSA, claims("no-such-client", tokenUrl).build());
    assertInvalidClient(request(unknown, SCOPE), "unknown client");
    assertInvalidClient(request("not-a-jwt", SCOPE), "not a JWT");
    assertInvalidClient(request(sign(BackendTestClients.RSA, good().issuer(null).build()), SCOPE), "iss");

    TokenResponse wrongType = client.token(tokenRequest(sign(BackendTestClients.RSA, good().build()), SCOPE,
        f -> f.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:saml2-bearer")));
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.body().get("error")).isEqualTo("invalid_request");

    TokenResponse twoMethods = client.token(tokenRequest(sign(BackendTestClients.RSA, good().build()), SCOPE,
        f -> f.put("client_secret", "also-a-secret")));
    assertThat(twoMethods.status()).isEqualTo(400);
    assertThat(twoMethods.body().get("error")).isEqualTo("invalid_request");
    assertThat(twoMethods.body()).doesNotContainKey("access_token");
  }

  @Test
  void onlySystemScopesThatTheClientIsRegisteredFor() {
    RSAKey key = BackendTestClients.RSA;
    for (String scope : List.of("user/ImagingStudy.rs", "patient/*.rs", "system/ImagingStudy.rs patient/Patient.rs",
        "openid", "launch/patient", "offline_access system/ImagingStudy.rs", "system/Observation.rs",
        "system/*.rs", "system/ImagingStudy.cruds", "system/NoSuchType.rs", "system/ImagingStudy.xyz")) {
      TokenResponse refused = request(sign(key, good().build()), scope);
      assertThat(refused.status()).as(scope + " -> " + refused).isEqualTo(400);
      assertThat(refused.body().get("error")).as(scope).isEqualTo("invalid_scope");
      assertThat(refused.body()).doesNotContainKey("access_token");
    }
    TokenResponse none = request(sign(key, good().build()), null);
    assertThat(none.status()).isEqualTo(400);
    assertThat(none.body().get("error")).isEqualTo("invalid_scope");

    // a narrower v1 or v2 form of a registered scope is fine
    assertThat(request(sign(key, good().build()), "system/ImagingStudy.read").status()).isEqualTo(200);
    assertThat(request(sign(key, good().build()), "system/DiagnosticReport.s").status()).isEqualTo(200);
  }

  @Test
  void clientCredentialsIsOnlyForBackendClients() {
    TestClients.ensureRegistered(context);
    TokenResponse secretClient = new SmartLogin(baseUrl()).withClientSecret(TestClients.CONFIDENTIAL_SECRET)
        .token(new java.util.LinkedHashMap<>(Map.of(
            "grant_type", "client_credentials", "client_id", TestClients.CONFIDENTIAL_ID, "scope", "system/ImagingStudy.rs")));
    assertThat(secretClient.status()).as(secretClient.toString()).isEqualTo(400);
    assertThat(secretClient.body().get("error")).isEqualTo("unauthorized_client");

    // and a backend client gets no authorization code grant
    TokenResponse code = client.token(tokenRequest(sign(BackendTestClients.RSA, good().build()), null,
        f -> {
          f.put("grant_type", "authorization_code");
          f.put("code", "made-up");
          f.put("redirect_uri", "http://127.0.0.1:9/x");
        }));
    assertThat(code.status()).isBetween(400, 401);
    assertThat(code.body()).doesNotContainKey("access_token");
  }

  @Test
  void keysCanBeServedAtAJwksUri() throws Exception {
    RSAKey served = ClientAssertions.newRsaKey();
    byte[] jwks = ClientAssertions.publicJwks(served).getBytes(StandardCharsets.UTF_8);
    HttpServer keys = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    keys.createContext("/jwks.json", exchange -> {
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, jwks.length);
      exchange.getResponseBody().write(jwks);
      exchange.close();
    });
    keys.start();
    try {
      String clientId = "custodian-test-jwks-uri-" + keys.getAddress().getPort();
      BackendTestClients.registerWithJwksUri(context, clientId,
          "http://127.0.0.1:" + keys.getAddress().getPort() + "/jwks.json");

      TokenResponse tokens = request(sign(served, claims(clientId, tokenUrl).build()), "system/ImagingStudy.rs");
      assertThat(tokens.status()).as(tokens.toString()).isEqualTo(200);
      assertThat(tokens.claims("access_token").get("client_id")).isEqualTo(clientId);

      TokenResponse notServed = request(sign(BackendTestClients.RSA, claims(clientId, tokenUrl).build()), "system/ImagingStudy.rs");
      assertInvalidClient(notServed, "RS384 or ES384");
    } finally {
      keys.stop(0);
    }
  }

  @Test
  void anUnreachableJwksUriIsAClientErrorNotAServerError() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String clientId = "custodian-test-jwks-down-" + port;
    BackendTestClients.registerWithJwksUri(context, clientId, "http://127.0.0.1:" + port + "/jwks.json");
    TokenResponse refused = request(sign(BackendTestClients.RSA, claims(clientId, tokenUrl).build()), "system/ImagingStudy.rs");
    assertInvalidClient(refused, "");
  }

  @Test
  @SuppressWarnings("unchecked")
  void discoveryAdvertisesBackendServices() throws Exception {
    FhirHttp.Response response = http.withBearer(null).get(".well-known/smart-configuration");
    @SuppressWarnings("unchecked")
    Map<String, Object> doc = new com.fasterxml.jackson.databind.ObjectMapper().readValue(response.body(), Map.class);
    assertThat((List<Object>) doc.get("capabilities")).contains("client-confidential-asymmetric");
    assertThat((List<Object>) doc.get("grant_types_supported")).contains("client_credentials");
    assertThat((List<Object>) doc.get("token_endpoint_auth_methods_supported")).contains("private_key_jwt");
    assertThat(doc.get("token_endpoint_auth_signing_alg_values_supported")).isEqualTo(List.of("RS384", "ES384"));
    assertThat((List<Object>) doc.get("scopes_supported")).contains("system/*.rs");
    assertThat(doc.get("token_endpoint")).isEqualTo(tokenUrl);
  }

  @Test
  void aUserCannotBeAuthorizedForSystemScopes() {
    TestClients.ensureRegistered(context);
    SmartLogin browser = new SmartLogin(baseUrl());
    java.net.URI back = browser.authorize(browser.authorizeParameters(TestClients.CLIENT_ID, TestClients.REDIRECT_URI,
        "system/ImagingStudy.rs", SmartLogin.Pkce.create()), "dr.chen", DemoAccounts.DEMO_PASSWORD);
    assertThat(SmartLogin.query(back).get("error")).isEqualTo("invalid_scope");
    assertThat(SmartLogin.query(back).get("error_description")).contains("Backend Services");
    assertThat(SmartLogin.query(back)).doesNotContainKey("code");
  }

  private static void assertInvalidClient(TokenResponse response, String descriptionContains) {
    assertThat(response.status()).as(response.toString()).isEqualTo(401);
    assertThat(response.body().get("error")).as(response.toString()).isEqualTo("invalid_client");
    assertThat(String.valueOf(response.body().get("error_description"))).contains(descriptionContains);
    assertThat(response.body()).doesNotContainKey("access_token");
  }
}
