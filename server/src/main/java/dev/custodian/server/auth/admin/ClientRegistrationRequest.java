package dev.custodian.server.auth.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custodian.policy.scope.InvalidScopeException;
import dev.custodian.policy.scope.ScopeContext;
import dev.custodian.policy.scope.ScopeSet;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A client registration as the admin API receives it (names after RFC 7591 where one exists),
 * checked field by field; anything wrong is an {@link InvalidRegistration} naming the field.
 *
 * <pre>
 * {"client_id": "my-app", "client_name": "My app", "type": "public" | "confidential" | "backend",
 *  "redirect_uris": ["https://app.example/callback"], "scope": "launch/patient patient/*.rs",
 *  "can_create_launches": false,                               (confidential only)
 *  "organization": "Organization/x", "jwks": {...} | "jwks_uri": "https://…"}   (backend only)
 * </pre>
 */
public record ClientRegistrationRequest(
    String clientId,
    String name,
    ClientType type,
    List<String> redirectUris,
    Set<String> scopes,
    boolean canCreateLaunches,
    String organization,
    String jwks,
    String jwksUri) {

  /** What kind of client: a browser or native app, a server-side app, or a system with no user. */
  public enum ClientType {
    PUBLIC, CONFIDENTIAL, BACKEND;

    public String value() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A registration the API refuses, with the reason (shown to the admin). */
  public static final class InvalidRegistration extends RuntimeException {
    public InvalidRegistration(String message) {
      super(message);
    }
  }

  public static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{2,99}");
  static final int MAX_REDIRECT_URIS = 10;
  static final int MAX_URI_LENGTH = 500;
  static final int MAX_SCOPE_LENGTH = 2000;
  static final int MAX_NAME_LENGTH = 200;
  static final int MAX_JWKS_LENGTH = 16 * 1024;
  /** All an admin client (one with {@code custodian/admin}) may hold: it is for administration only. */
  private static final Set<String> ADMIN_CLIENT_SCOPES = new java.util.TreeSet<>(
      Set.of("openid", "fhirUser", "profile", AdminTokens.SCOPE));
  private static final Set<String> FIELDS = Set.of("client_id", "client_name", "type", "redirect_uris", "scope",
      "can_create_launches", "organization", "jwks", "jwks_uri");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Parses and checks {@code body}; {@code clientId} is null when the body has none. */
  public static ClientRegistrationRequest parse(String body) {
    JsonNode json;
    try {
      json = body == null || body.isBlank() ? null : JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidRegistration("the body is not JSON: " + e.getOriginalMessage());
    }
    if (json == null || !json.isObject()) {
      throw new InvalidRegistration("the body must be a JSON object such as "
          + "{\"client_name\": \"My app\", \"type\": \"public\", \"redirect_uris\": [\"https://app.example/callback\"], "
          + "\"scope\": \"launch/patient patient/*.rs\"}");
    }
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String field = names.next();
      if (!FIELDS.contains(field)) {
        throw new InvalidRegistration("unknown field " + field + "; known fields: " + String.join(", ", new java.util.TreeSet<>(FIELDS)));
      }
    }
    String clientId = text(json, "client_id", false);
    if (clientId != null && !CLIENT_ID.matcher(clientId).matches()) {
      throw new InvalidRegistration("client_id must be 3 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    String name = text(json, "client_name", true);
    if (name.isBlank() || name.length() > MAX_NAME_LENGTH || name.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidRegistration("client_name must be 1 to " + MAX_NAME_LENGTH + " printable characters");
    }
    ClientType type = type(text(json, "type", true));
    Set<String> scopes = scopes(text(json, "scope", true), type);
    boolean launches = false;
    if (json.has("can_create_launches")) {
      JsonNode value = json.get("can_create_launches");
      if (!value.isBoolean()) {
        throw new InvalidRegistration("can_create_launches must be true or false");
      }
      launches = value.booleanValue();
      if (launches && type != ClientType.CONFIDENTIAL) {
        throw new InvalidRegistration("only a confidential client (an EHR) may create launches");
      }
    }
    if (scopes.contains(AdminTokens.SCOPE) && (launches || !ADMIN_CLIENT_SCOPES.containsAll(scopes))) {
      throw new InvalidRegistration("scope: a client with " + AdminTokens.SCOPE + " is an admin client and may have only "
          + String.join(" ", ADMIN_CLIENT_SCOPES) + " (no access to records, no launches)");
    }
    if (type == ClientType.BACKEND) {
      return backend(json, clientId, name, scopes);
    }
    for (String field : List.of("organization", "jwks", "jwks_uri")) {
      if (json.has(field)) {
        throw new InvalidRegistration(field + " is for backend clients only");
      }
    }
    return new ClientRegistrationRequest(clientId, name, type, redirectUris(json), scopes, launches, null, null, null);
  }

  /** The same registration for {@code clientId}. */
  public ClientRegistrationRequest withClientId(String clientId) {
    return new ClientRegistrationRequest(clientId, name, type, redirectUris, scopes, canCreateLaunches, organization, jwks, jwksUri);
  }

  private static ClientRegistrationRequest backend(JsonNode json, String clientId, String name, Set<String> scopes) {
    if (json.has("redirect_uris")) {
      throw new InvalidRegistration("a backend client signs no users in: it has no redirect_uris");
    }
    String organization = text(json, "organization", true);
    if (!organization.matches("Organization/[A-Za-z0-9\\-.]{1,64}")) {
      throw new InvalidRegistration("organization must be Organization/<id>");
    }
    JsonNode jwks = json.get("jwks");
    String jwksUri = text(json, "jwks_uri", false);
    if ((jwks == null) == (jwksUri == null)) {
      throw new InvalidRegistration("a backend client registers its public keys: either jwks (a JWKS object) or jwks_uri");
    }
    String jwksJson = null;
    if (jwks != null) {
      if (!jwks.isObject()) {
        throw new InvalidRegistration("jwks must be a JWKS object: {\"keys\": [...]}");
      }
      jwksJson = jwks.toString();
      if (jwksJson.length() > MAX_JWKS_LENGTH) {
        throw new InvalidRegistration("jwks is larger than " + MAX_JWKS_LENGTH + " characters");
      }
    } else if (jwksUri.length() > MAX_URI_LENGTH) {
      throw new InvalidRegistration("jwks_uri is longer than " + MAX_URI_LENGTH + " characters");
    }
    return new ClientRegistrationRequest(clientId, name, ClientType.BACKEND, List.of(), scopes, false, organization,
        jwksJson, jwksUri);
  }

  private static ClientType type(String value) {
    for (ClientType type : ClientType.values()) {
      if (type.value().equals(value)) {
        return type;
      }
    }
    throw new InvalidRegistration("type must be public, confidential or backend");
  }

  /** Scopes the SMART scope parser accepts; system/ ones for backend clients only, and only those. */
  private static Set<String> scopes(String scope, ClientType type) {
    if (scope.isBlank() || scope.length() > MAX_SCOPE_LENGTH) {
      throw new InvalidRegistration("scope must be 1 to " + MAX_SCOPE_LENGTH + " characters of space-separated SMART scopes");
    }
    ScopeSet parsed;
    try {
      parsed = ScopeSet.parse(scope);
    } catch (InvalidScopeException e) {
      throw new InvalidRegistration("scope: " + e.getMessage());
    }
    boolean system = parsed.contexts().contains(ScopeContext.SYSTEM);
    if (type == ClientType.BACKEND) {
      try {
        parsed.requireSystemOnly();
      } catch (InvalidScopeException e) {
        throw new InvalidRegistration("scope: a backend client gets system/ scopes only: " + e.getMessage());
      }
    } else if (system) {
      throw new InvalidRegistration("scope: system/ scopes are for backend clients (client_credentials) only");
    }
    return new LinkedHashSet<>(List.of(scope.trim().split("\\s+")));
  }

  private static List<String> redirectUris(JsonNode json) {
    JsonNode uris = json.get("redirect_uris");
    if (uris == null || !uris.isArray() || uris.isEmpty() || uris.size() > MAX_REDIRECT_URIS) {
      throw new InvalidRegistration("redirect_uris must be an array of 1 to " + MAX_REDIRECT_URIS + " URIs");
    }
    List<String> checked = new ArrayList<>();
    for (JsonNode uri : uris) {
      if (!uri.isTextual()) {
        throw new InvalidRegistration("redirect_uris must hold strings");
      }
      checked.add(redirectUri(uri.asText()));
    }
    return List.copyOf(new LinkedHashSet<>(checked));
  }

  /**
   * An exact redirect URI: absolute, no fragment, no user info; https, http to this machine only
   * (loopback, as RFC 8252 allows native apps), or a native app's private-use scheme in reverse
   * domain form ({@code com.example.app:/callback}).
   */
  static String redirectUri(String value) {
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new InvalidRegistration("redirect URI " + value + " is not a URI: " + e.getReason());
    }
    if (value.length() > MAX_URI_LENGTH || !uri.isAbsolute() || uri.getRawFragment() != null
        || value.contains("#") || uri.getRawUserInfo() != null) {
      throw new InvalidRegistration("redirect URI " + value
          + " must be absolute, at most " + MAX_URI_LENGTH + " characters, without a fragment or user info");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    boolean web = scheme.equals("https") || scheme.equals("http");
    if (web && (uri.getHost() == null || uri.getHost().isBlank())) {
      throw new InvalidRegistration("redirect URI " + value + " has no host");
    }
    if (scheme.equals("http") && !isLoopback(uri.getHost())) {
      throw new InvalidRegistration("redirect URI " + value + ": http only to localhost, 127.0.0.1 or [::1]; use https");
    }
    if (!web && !scheme.matches("[a-z][a-z0-9+-]*(\\.[a-z0-9+-]+)+")) {
      throw new InvalidRegistration("redirect URI " + value
          + ": the scheme must be https, http on loopback, or a reverse-domain private-use scheme (com.example.app)");
    }
    return value;
  }

  private static boolean isLoopback(String host) {
    return "localhost".equalsIgnoreCase(host) || "127.0.0.1".equals(host) || "[::1]".equals(host);
  }

  private static String text(JsonNode json, String field, boolean required) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw new InvalidRegistration(field + " is required");
      }
      return null;
    }
    if (!value.isTextual()) {
      throw new InvalidRegistration(field + " must be a string");
    }
    return value.asText();
  }
}
