package dev.custodian.server.auth;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Custodian's SMART on FHIR authorization server ({@code custodian.auth.*}).
 *
 * @param issuer the issuer URL in tokens and discovery documents
 * @param accessTokenTtl lifetime of access tokens
 * @param refreshTokenTtl lifetime of refresh tokens ({@code offline_access})
 * @param authorizationCodeTtl lifetime of authorization codes (single use)
 * @param signingKeystore the PKCS#12 keystore holding the token-signing key; created on first start
 * @param signingKeystorePassword its password
 */
@ConfigurationProperties(prefix = "custodian.auth")
public record AuthProperties(
    String issuer,
    Duration accessTokenTtl,
    Duration refreshTokenTtl,
    Duration authorizationCodeTtl,
    Path signingKeystore,
    String signingKeystorePassword) {

  public AuthProperties {
    issuer = issuer == null || issuer.isBlank() ? "http://localhost:8080" : stripSlash(issuer);
    accessTokenTtl = accessTokenTtl == null ? Duration.ofMinutes(10) : accessTokenTtl;
    refreshTokenTtl = refreshTokenTtl == null ? Duration.ofDays(30) : refreshTokenTtl;
    authorizationCodeTtl = authorizationCodeTtl == null ? Duration.ofMinutes(1) : authorizationCodeTtl;
    signingKeystore = signingKeystore == null ? Path.of("data", "keys", "token-signing.p12") : signingKeystore;
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /** The FHIR base URL that tokens are for (the {@code aud} of SMART authorize requests). */
  public String fhirBase() {
    return issuer + "/fhir";
  }

  /** The public DICOMweb base URL (the WADO-RS address of this server's DICOMweb Endpoint). */
  public String dicomwebBase() {
    return issuer + "/dicomweb";
  }
}
