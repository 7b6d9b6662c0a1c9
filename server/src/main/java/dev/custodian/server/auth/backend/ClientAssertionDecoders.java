package dev.custodian.server.auth.backend;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * Decoders for SMART Backend Services client assertions, one per registered client and key
 * registration: the signature must be RS384 or ES384 (every other algorithm, {@code none} and the
 * HMAC ones included, is refused before any key is looked at) by a key of the client's inline JWKS
 * or of its {@code jwks_uri} (fetched with short timeouts and cached); the claims are then checked by
 * {@link AssertionRules}. Used in place of Spring Authorization Server's default factory, which
 * takes one algorithm per client and cannot read an inline JWKS.
 */
public final class ClientAssertionDecoders implements JwtDecoderFactory<RegisteredClient> {

  /** The signature algorithms SMART Backend Services asks servers to support. */
  public static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);

  private static final int TIMEOUT_MILLIS = 2_000;
  private static final int MAX_JWKS_BYTES = 64 * 1024;

  private final String tokenEndpoint;
  private final SeenAssertions seen;
  private final Clock clock;
  private final Map<String, JwtDecoder> decoders = new ConcurrentHashMap<>();

  /** @param tokenEndpoint the token endpoint URL every assertion's {@code aud} must name */
  public ClientAssertionDecoders(String tokenEndpoint, SeenAssertions seen, Clock clock) {
    this.tokenEndpoint = tokenEndpoint;
    this.seen = seen;
    this.clock = clock;
  }

  @Override
  public JwtDecoder createDecoder(RegisteredClient client) {
    String jwks = BackendClients.inlineJwks(client);
    String jwksUri = client.getClientSettings().getJwkSetUrl();
    if (jwks == null && jwksUri == null) {
      return token -> {
        throw new BadJwtException("the client has no registered keys");
      };
    }
    String key = client.getClientId() + '\n' + (jwks != null ? jwks : jwksUri);
    try {
      return decoders.computeIfAbsent(key, k -> decoder(client.getClientId(), keys(jwks, jwksUri)));
    } catch (IllegalArgumentException unusable) {
      return token -> {
        throw new BadJwtException("the client's registered keys are unusable: " + unusable.getMessage());
      };
    }
  }

  private JwtDecoder decoder(String clientId, JWKSource<SecurityContext> keys) {
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
    processor.setJWTClaimsSetVerifier((claims, context) -> {}); // AssertionRules checks the claims
    NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
    decoder.setJwtValidator(new AssertionRules(clientId, tokenEndpoint, seen, clock));
    return decoder;
  }

  private static JWKSource<SecurityContext> keys(String jwks, String jwksUri) {
    if (jwks != null) {
      return new ImmutableJWKSet<>(BackendClients.checkJwks(jwks));
    }
    try {
      return JWKSourceBuilder.<SecurityContext>create(
              BackendClients.checkJwksUri(jwksUri).toURL(),
              new DefaultResourceRetriever(TIMEOUT_MILLIS, TIMEOUT_MILLIS, MAX_JWKS_BYTES))
          .build();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("not a URL: " + jwksUri, e);
    }
  }
}
