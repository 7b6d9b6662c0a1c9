package dev.custodian.server.auth.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.RSAKey;
import dev.custodian.server.support.ClientAssertions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/** The client-assertion decoder without the server: signature rules, then claim rules, jti last. */
class BackendServicesDecoderTest {

  private static final String TOKEN_URL = "https://custodian.example/oauth2/token";
  private static final RSAKey KEY = ClientAssertions.newRsaKey();

  /** Remembers jtis in memory, as the database does across nodes. */
  private final Set<String> spent = new HashSet<>();
  private final SeenAssertions seen = new SeenAssertions(null, Clock.systemUTC()) {
    @Override
    public boolean firstUse(String clientId, String jti, Instant keepUntil) {
      return spent.add(clientId + " " + jti);
    }
  };
  private final RegisteredClient client = BackendClients.withJwks("c1", "test", "Organization/o1",
      List.of("system/ImagingStudy.rs"), ClientAssertions.publicJwks(KEY));
  private final JwtDecoder decoder = new ClientAssertionDecoders(TOKEN_URL, seen, Clock.systemUTC()).createDecoder(client);

  @Test
  void aGoodAssertionDecodesOnceAndSpendsItsJti() {
    String assertion = ClientAssertions.sign(KEY, ClientAssertions.claims("c1", TOKEN_URL).build());
    assertThat(decoder.decode(assertion).getSubject()).isEqualTo("c1");
    assertThat(spent).hasSize(1);
    assertThatThrownBy(() -> decoder.decode(assertion)).isInstanceOf(JwtException.class).hasMessageContaining("already used");
  }

  @Test
  void anExpiredAssertionIsRefusedForItsExpiryAndSpendsNothing() {
    String assertion = ClientAssertions.sign(KEY, ClientAssertions.claims("c1", TOKEN_URL)
        .issueTime(Date.from(Instant.now().minus(Duration.ofMinutes(6))))
        .expirationTime(Date.from(Instant.now().minus(Duration.ofMinutes(2)))).build());
    assertThatThrownBy(() -> decoder.decode(assertion)).isInstanceOf(JwtException.class).hasMessageContaining("expired");
    String wrongAudience = ClientAssertions.sign(KEY, ClientAssertions.claims("c1", TOKEN_URL + "x").build());
    assertThatThrownBy(() -> decoder.decode(wrongAudience)).hasMessageContaining("aud");
    assertThat(spent).isEmpty();
  }

  @Test
  void registeringPrivateOrWeakOrSymmetricKeysOrAUserScopeFails() {
    assertThatThrownBy(() -> BackendClients.withJwks("c2", "t", "Organization/o1", List.of("system/ImagingStudy.rs"),
        new com.nimbusds.jose.jwk.JWKSet(KEY).toString(false))).hasMessageContaining("private");
    assertThatThrownBy(() -> BackendClients.withJwks("c2", "t", "Organization/o1", List.of("system/ImagingStudy.rs"),
        "{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0\"}]}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BackendClients.withJwks("c2", "t", "Organization/o1", List.of("user/ImagingStudy.rs"),
        ClientAssertions.publicJwks(KEY))).hasMessageContaining("system/");
    assertThatThrownBy(() -> BackendClients.withJwks("c2", "t", null, List.of("system/ImagingStudy.rs"),
        ClientAssertions.publicJwks(KEY))).hasMessageContaining("Organization");
    assertThatThrownBy(() -> BackendClients.withJwksUri("c2", "t", "Organization/o1", List.of("system/ImagingStudy.rs"),
        "http://keys.example/jwks.json")).hasMessageContaining("https");
  }
}
