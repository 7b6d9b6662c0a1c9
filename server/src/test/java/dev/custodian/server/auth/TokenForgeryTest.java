package dev.custodian.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import dev.custodian.server.support.SmartLogin;
import dev.custodian.server.support.SmartLogin.TokenResponse;
import dev.custodian.server.support.TestClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Forged and stale bearer tokens are refused on /fhir with 401. Each forgery starts from the claims
 * of a real token and is registered as that grant's current access token, so the one thing wrong
 * with it is what the test is about; a control token minted the same way with nothing wrong must
 * work (else the refusals would prove nothing).
 */
class TokenForgeryTest extends ServerTestBase {

  private JWTClaimsSet realClaims;
  private OAuth2Authorization grant;
  private RSAKey serverKey;

  @BeforeEach
  void realToken() throws Exception {
    TokenResponse tokens = new SmartLogin(baseUrl()).login(TestClients.CLIENT_ID, TestClients.REDIRECT_URI,
        "launch/patient patient/*.rs", "alice", "custodian-demo");
    realClaims = SignedJWT.parse(tokens.accessToken()).getJWTClaimsSet();
    grant = authorizations().findByToken(tokens.accessToken(), OAuth2TokenType.ACCESS_TOKEN);
    @SuppressWarnings("unchecked")
    JWKSource<SecurityContext> keys = context.getBean(JWKSource.class);
    serverKey = (RSAKey) keys.get(new JWKSelector(new JWKMatcher.Builder().privateOnly(true).build()), null).get(0);
  }

  @Test
  void aTokenMintedLikeTheServersWorks() throws Exception {
    assertThat(status(register(signed(serverKey, JWSAlgorithm.RS256, claims(c -> c))))).isEqualTo(200);
  }

  @Test
  void anUnsignedAlgNoneTokenIsRefused() {
    String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
    String none = header + "." + b64(claims(c -> c).toString()) + ".";
    assertThat(status(register(none))).isEqualTo(401);
    // and with the real token's header but the signature stripped
    assertThat(status(register(header + "." + b64(claims(c -> c).toString())))).isEqualTo(401);
  }

  @Test
  void anHs256TokenKeyedWithTheServersPublicKeyIsRefused() throws Exception {
    byte[] der = serverKey.toRSAPublicKey().getEncoded();
    String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END PUBLIC KEY-----\n";
    for (byte[] secret : List.of(der, pem.getBytes(StandardCharsets.US_ASCII),
        serverKey.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8))) {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(serverKey.getKeyID()).type(JOSEObjectType.JWT).build(),
          claims(c -> c));
      jwt.sign(new MACSigner(secret));
      assertThat(status(register(jwt.serialize()))).isEqualTo(401);
    }
  }

  @Test
  void anExpiredTokenSignedByTheServersOwnKeyIsRefused() throws Exception {
    Instant past = Instant.now().minus(Duration.ofMinutes(5));
    String expired = signed(serverKey, JWSAlgorithm.RS256,
        claims(c -> c.issueTime(Date.from(past.minus(Duration.ofMinutes(10)))).notBeforeTime(Date.from(past.minus(Duration.ofMinutes(10))))
            .expirationTime(Date.from(past))));
    assertThat(status(register(expired))).isEqualTo(401);
  }

  @Test
  void aTokenFromAForeignIssuerOrKeyIsRefused() throws Exception {
    String foreignIssuer = signed(serverKey, JWSAlgorithm.RS256, claims(c -> c.issuer("https://issuer.example")));
    assertThat(status(register(foreignIssuer))).isEqualTo(401);

    RSAKey foreign = new RSAKeyGenerator(3072).keyID(serverKey.getKeyID()).generate(); // same kid, other key
    assertThat(status(register(signed(foreign, JWSAlgorithm.RS256, claims(c -> c))))).isEqualTo(401);
    RSAKey other = new RSAKeyGenerator(2048).keyID("someone-else").generate();
    assertThat(status(register(signed(other, JWSAlgorithm.RS256, claims(c -> c))))).isEqualTo(401);
  }

  @Test
  void aTokenWhoseSignatureNoLongerMatchesItsClaimsIsRefused() throws Exception {
    String[] parts = signed(serverKey, JWSAlgorithm.RS256, claims(c -> c)).split("\\.");
    String tampered = parts[0] + "." + b64(claims(c -> c.claim("patient", "bruno")).toString()) + "." + parts[2];
    assertThat(status(register(tampered))).isEqualTo(401);
  }

  // ---- helpers ----

  private JWTClaimsSet claims(UnaryOperator<JWTClaimsSet.Builder> change) {
    return change.apply(new JWTClaimsSet.Builder(realClaims).jwtID(java.util.UUID.randomUUID().toString())).build();
  }

  private static String signed(RSAKey key, JWSAlgorithm alg, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  /** Makes {@code token} the grant's current access token, active for another hour as far as the grant knows. */
  private String register(String token) {
    Instant now = Instant.now();
    OAuth2AccessToken access = new OAuth2AccessToken(
        OAuth2AccessToken.TokenType.BEARER, token, now.minusSeconds(1), now.plus(Duration.ofHours(1)), grant.getAuthorizedScopes());
    grant = OAuth2Authorization.from(grant).accessToken(access).build();
    authorizations().save(grant);
    return token;
  }

  private int status(String token) {
    FhirHttp.Response response = http.withBearer(token).get("Patient/alice");
    if (response.status() == 401) {
      assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
      assertThat(response.body()).doesNotContain("Martin");
    }
    return response.status();
  }

  private OAuth2AuthorizationService authorizations() {
    return context.getBean(OAuth2AuthorizationService.class);
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
