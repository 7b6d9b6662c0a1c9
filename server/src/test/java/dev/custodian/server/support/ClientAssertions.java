package dev.custodian.server.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * SMART Backend Services client assertions, built and signed the way a partner's system would
 * (Nimbus JOSE), and the token requests that carry them.
 */
public final class ClientAssertions {

  public static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

  private ClientAssertions() {}

  public static RSAKey newRsaKey() {
    try {
      return new RSAKeyGenerator(2048).keyIDFromThumbprint(true).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  public static ECKey newEcKey() {
    try {
      return new ECKeyGenerator(Curve.P_384).keyIDFromThumbprint(true).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public JWKS of {@code keys}, as a client registers it. */
  public static String publicJwks(JWK... keys) {
    return new JWKSet(List.of(keys)).toPublicJWKSet().toString();
  }

  /** An RSA key read from a PKCS#8 PEM file (the committed demo key). */
  public static RSAKey rsaKeyFromPem(Path pem) {
    try {
      String text = Files.readString(pem, StandardCharsets.US_ASCII)
          .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      KeyFactory factory = KeyFactory.getInstance("RSA");
      RSAPrivateCrtKey privateKey =
          (RSAPrivateCrtKey) factory.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(text)));
      RSAPublicKey publicKey = (RSAPublicKey) factory.generatePublic(
          new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
      return new RSAKey.Builder(publicKey).privateKey(privateKey).keyIDFromThumbprint().build();
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + pem, e);
    }
  }

  /** The claims a correct assertion carries: iss = sub = client, aud = token URL, exp in 4 minutes, a fresh jti. */
  public static JWTClaimsSet.Builder claims(String clientId, String tokenUrl) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(clientId)
        .subject(clientId)
        .audience(tokenUrl)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(4))))
        .jwtID(UUID.randomUUID().toString());
  }

  /** Signs {@code claims} with {@code key} (RS384 for RSA keys, ES384 for EC keys). */
  public static String sign(JWK key, JWTClaimsSet claims) {
    return sign(key instanceof ECKey ? JWSAlgorithm.ES384 : JWSAlgorithm.RS384, key, claims);
  }

  public static String sign(JWSAlgorithm algorithm, JWK key, JWTClaimsSet claims) {
    try {
      JWSSigner signer = key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key);
      return sign(algorithm, key.getKeyID(), signer, claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** HMAC-signed (HS256) with {@code secret}: what an attacker holding only public material can make. */
  public static String signHs256(byte[] secret, String keyId, JWTClaimsSet claims) {
    try {
      return sign(JWSAlgorithm.HS256, keyId, new MACSigner(secret), claims);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Unsigned ({@code alg: none}). */
  public static String unsigned(JWTClaimsSet claims) {
    return new PlainJWT(claims).serialize();
  }

  private static String sign(JWSAlgorithm algorithm, String keyId, JWSSigner signer, JWTClaimsSet claims)
      throws JOSEException {
    SignedJWT jwt = new SignedJWT(
        new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).keyID(keyId).build(), claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  /** The form of a Backend Services token request: no client_id, the assertion and the scopes. */
  public static Map<String, String> tokenRequest(String assertion, String scope) {
    return tokenRequest(assertion, scope, fields -> {});
  }

  public static Map<String, String> tokenRequest(String assertion, String scope, Consumer<Map<String, String>> edit) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("grant_type", "client_credentials");
    if (scope != null) {
      fields.put("scope", scope);
    }
    fields.put("client_assertion_type", ASSERTION_TYPE);
    fields.put("client_assertion", assertion);
    edit.accept(fields);
    return fields;
  }
}
