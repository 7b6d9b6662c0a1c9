package dev.custodian.server.auth.backend;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.scope.ScopeSet;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.UUID;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * SMART Backend Services clients (another provider's system, acting with no user): how one is
 * registered and what its registration says.
 *
 * <ul>
 *   <li>grant {@code client_credentials} only, authenticated with {@code private_key_jwt} (an RS384
 *       or ES384 client assertion);</li>
 *   <li>its public keys, either inline as a JWKS (client setting {@value #JWKS_SETTING}) or at a
 *       {@code jwks_uri} ({@link ClientSettings#getJwkSetUrl()});</li>
 *   <li>the Organization it belongs to (client setting {@value #ORGANIZATION_SETTING}), which the
 *       access policy decides on;</li>
 *   <li>{@code system/} scopes only; access tokens live at most {@link #MAX_TOKEN_LIFETIME}.</li>
 * </ul>
 */
public final class BackendClients {

  /** The Organization a backend client belongs to, {@code Organization/<id>}. */
  public static final String ORGANIZATION_SETTING = "settings.custodian.organization";
  /**
   * Set (true) on a business associate's client (45 CFR 164.504(e)): its tokens carry the role
   * {@link Role#BUSINESS_ASSOCIATE} instead of {@link Role#SYSTEM}, so it acts for health care
   * operations and sees only the operations element set its agreement allows, never for treatment.
   */
  public static final String BUSINESS_ASSOCIATE_SETTING = "settings.custodian.business-associate";
  /** The client's public keys as a JWKS (JSON), when registered inline. */
  public static final String JWKS_SETTING = "settings.custodian.jwks";
  /** The longest a backend access token lives (SMART recommends five minutes at most). */
  public static final Duration MAX_TOKEN_LIFETIME = Duration.ofMinutes(5);
  /** The smallest RSA key accepted for client assertions. */
  static final int MIN_RSA_BITS = 2048;

  private BackendClients() {}

  /** A backend client whose public keys are registered inline ({@code publicJwks}, a JWKS JSON). */
  public static RegisteredClient withJwks(
      String clientId, String name, String organization, Collection<String> scopes, String publicJwks) {
    checkJwks(publicJwks);
    return builder(clientId, name, organization, scopes, ClientSettings.builder().setting(JWKS_SETTING, publicJwks));
  }

  /** A backend client whose public keys are served at {@code jwksUri}. */
  public static RegisteredClient withJwksUri(
      String clientId, String name, String organization, Collection<String> scopes, String jwksUri) {
    checkJwksUri(jwksUri);
    return builder(clientId, name, organization, scopes, ClientSettings.builder().jwkSetUrl(jwksUri));
  }

  /** Whether {@code client} is registered as a backend services client. */
  public static boolean isBackendClient(RegisteredClient client) {
    return client.getAuthorizationGrantTypes().contains(AuthorizationGrantType.CLIENT_CREDENTIALS)
        && client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.PRIVATE_KEY_JWT);
  }

  /** {@code client}, registered as a business associate's system (see {@link #BUSINESS_ASSOCIATE_SETTING}). */
  public static RegisteredClient asBusinessAssociate(RegisteredClient client) {
    return RegisteredClient.from(client)
        .clientSettings(ClientSettings.withSettings(client.getClientSettings().getSettings())
            .setting(BUSINESS_ASSOCIATE_SETTING, true).build())
        .build();
  }

  /** The role a backend client's tokens carry: a business associate's, or another provider's system. */
  public static Role role(RegisteredClient client) {
    return Boolean.TRUE.equals(client.getClientSettings().getSetting(BUSINESS_ASSOCIATE_SETTING))
        ? Role.BUSINESS_ASSOCIATE
        : Role.SYSTEM;
  }

  /** The Organization the client belongs to, or null. */
  public static String organization(RegisteredClient client) {
    Object value = client.getClientSettings().getSetting(ORGANIZATION_SETTING);
    return value == null ? null : value.toString();
  }

  /** The client's inline JWKS (JSON), or null. */
  public static String inlineJwks(RegisteredClient client) {
    Object value = client.getClientSettings().getSetting(JWKS_SETTING);
    return value == null ? null : value.toString();
  }

  private static RegisteredClient builder(
      String clientId, String name, String organization, Collection<String> scopes, ClientSettings.Builder settings) {
    if (organization == null || !organization.matches("Organization/[A-Za-z0-9\\-.]{1,64}")) {
      throw new IllegalArgumentException("a backend client belongs to an Organization/<id>, not " + organization);
    }
    ScopeSet.parse(String.join(" ", scopes)).requireSystemOnly();
    return RegisteredClient.withId(UUID.randomUUID().toString())
        .clientId(clientId)
        .clientName(name)
        .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
        .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
        .scopes(s -> s.addAll(Set.copyOf(scopes)))
        .clientSettings(
            settings
                .setting(ORGANIZATION_SETTING, organization)
                // marks the method as private_key_jwt; RS384 and ES384 are both accepted
                .tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.RS384)
                .requireAuthorizationConsent(false)
                .build())
        .tokenSettings(TokenSettings.builder().accessTokenTimeToLive(MAX_TOKEN_LIFETIME).build())
        .build();
  }

  /** Public RSA (at least 2048 bits) or P-384 EC keys only: never a private or a symmetric key. */
  static JWKSet checkJwks(String json) {
    JWKSet set;
    try {
      set = JWKSet.parse(json);
    } catch (ParseException | RuntimeException e) {
      throw new IllegalArgumentException("not a JWKS: " + e.getMessage(), e);
    }
    if (set.getKeys().isEmpty()) {
      throw new IllegalArgumentException("the JWKS has no keys");
    }
    for (JWK key : set.getKeys()) {
      if (key.isPrivate()) {
        throw new IllegalArgumentException("register public keys only; key " + key.getKeyID() + " is private");
      }
      boolean rsa = key instanceof RSAKey r && r.size() >= MIN_RSA_BITS;
      boolean ec = key instanceof com.nimbusds.jose.jwk.ECKey e && com.nimbusds.jose.jwk.Curve.P_384.equals(e.getCurve());
      if (!rsa && !ec) {
        throw new IllegalArgumentException(
            "keys must be RSA (at least " + MIN_RSA_BITS + " bits, for RS384) or EC P-384 (for ES384): " + key.getKeyID());
      }
    }
    return set;
  }

  /** https, or http to this machine (for tests and local demos). */
  static URI checkJwksUri(String jwksUri) {
    URI uri;
    try {
      uri = URI.create(jwksUri);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("not a URL: " + jwksUri, e);
    }
    boolean loopback = "localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost());
    if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && loopback)) {
      throw new IllegalArgumentException("a jwks_uri must be https (http only on localhost): " + jwksUri);
    }
    return uri;
  }
}
