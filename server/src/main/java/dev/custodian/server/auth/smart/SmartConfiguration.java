package dev.custodian.server.auth.smart;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SMART App Launch 2.2 discovery document ({@code /fhir/.well-known/smart-configuration}).
 * Capabilities list only what the authorization server does today; each new flow adds its own.
 */
public final class SmartConfiguration {

  public static final List<String> CAPABILITIES =
      List.of(
          "launch-ehr",
          "launch-standalone",
          "authorize-post",
          "client-public",
          "client-confidential-symmetric",
          "client-confidential-asymmetric",
          "sso-openid-connect",
          "context-ehr-patient",
          "context-ehr-encounter",
          "context-standalone-patient",
          "permission-offline",
          "permission-online",
          "permission-patient",
          "permission-user",
          "permission-v1",
          "permission-v2");

  private SmartConfiguration() {}

  public static Map<String, Object> document(String issuer) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("issuer", issuer);
    doc.put("jwks_uri", issuer + "/oauth2/jwks");
    doc.put("authorization_endpoint", issuer + "/oauth2/authorize");
    doc.put("token_endpoint", issuer + "/oauth2/token");
    doc.put("introspection_endpoint", issuer + "/oauth2/introspect");
    doc.put("revocation_endpoint", issuer + "/oauth2/revoke");
    doc.put("grant_types_supported", List.of("authorization_code", "refresh_token", "client_credentials"));
    doc.put(
        "token_endpoint_auth_methods_supported",
        List.of("none", "client_secret_basic", "client_secret_post", "private_key_jwt"));
    // SMART Backend Services client assertions
    doc.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
    doc.put("response_types_supported", List.of("code"));
    doc.put("code_challenge_methods_supported", List.of("S256"));
    doc.put(
        "scopes_supported",
        List.of(
            "openid", "fhirUser", "profile", "launch", "launch/patient", "offline_access", "online_access",
            "patient/*.rs", "patient/*.read", "user/*.rs", "user/*.read", "user/*.cruds",
            "system/*.rs", "system/*.read"));
    doc.put("capabilities", CAPABILITIES);
    // the signed-in person's connected apps, where they can revoke one
    doc.put("management_endpoint", issuer + "/account/apps");
    return doc;
  }
}
