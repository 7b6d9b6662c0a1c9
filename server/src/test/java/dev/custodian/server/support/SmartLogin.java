package dev.custodian.server.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Walks the SMART authorization code flow with PKCE over real HTTP, the way a browser and an app
 * would: authorize, the sign-in form (with its CSRF token), the redirect back with a code, and the
 * token exchange. Each instance is one browser (its own cookies).
 */
public final class SmartLogin {

  private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final HttpClient browser;
  /** The user's TOTP secret, for the second sign-in step (the demo secrets by default). */
  private java.util.function.Function<String, String> totpSecrets =
      dev.custodian.server.auth.DemoAccounts::demoTotpSecret;
  /** The code to enter instead of the right one, to test refusals; null for the right one. */
  private String codeOverride;

  public SmartLogin withTotpSecrets(java.util.function.Function<String, String> secrets) {
    this.totpSecrets = secrets;
    return this;
  }

  public SmartLogin withWrongCode(String code) {
    this.codeOverride = code;
    return this;
  }

  public SmartLogin(String base) {
    this.base = base;
    this.browser =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
  }

  /** A PKCE verifier and its S256 challenge. */
  public record Pkce(String verifier, String challenge) {
    public static Pkce create() {
      byte[] random = new byte[32];
      new SecureRandom().nextBytes(random);
      String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return new Pkce(verifier, Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** The authorize request's parameters, for a client that uses PKCE S256. */
  public Map<String, String> authorizeParameters(String clientId, String redirectUri, String scope, Pkce pkce) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("response_type", "code");
    params.put("client_id", clientId);
    params.put("redirect_uri", redirectUri);
    params.put("scope", scope);
    params.put("state", "st-" + System.nanoTime());
    params.put("aud", base + "/fhir");
    params.put("code_challenge", pkce.challenge());
    params.put("code_challenge_method", "S256");
    return params;
  }

  /** GET /oauth2/authorize; answers the sign-in form when asked; returns the final redirect URI. */
  public URI authorize(Map<String, String> params, String username, String password) {
    HttpResponse<String> response = get(base + "/oauth2/authorize?" + form(params));
    for (int hops = 0; hops < 6 && response.statusCode() == 302; hops++) {
      String location = absolute(response.headers().firstValue("Location").orElseThrow());
      if (location.startsWith(base + "/login/enrol")) {
        if (enrolment == null) {
          return URI.create(location); // a second factor must be enrolled: the test takes over
        }
        response = enrol(enrolment);
        continue;
      }
      if (location.startsWith(base + "/login/mfa")) {
        if (location.contains("error")) {
          throw new IllegalStateException("second factor refused for " + username);
        }
        response = enterCode(username);
        continue;
      }
      if (location.startsWith(base + "/login")) {
        response = signIn(username, password);
        if (response.statusCode() == 302
            && absolute(response.headers().firstValue("Location").orElseThrow()).contains("/login?error")) {
          throw new IllegalStateException("sign-in refused for " + username);
        }
        continue;
      }
      if (!location.startsWith(base) || location.startsWith(params.get("redirect_uri"))) {
        return URI.create(location); // back to the app (which may be served by this server too)
      }
      if (location.startsWith(base + "/launch/patient")) {
        if (patientChoice == null) {
          return URI.create(location); // the patient picker: the test takes over
        }
        response = submitPicker(pickerForm(page(location)), patientChoice);
        continue;
      }
      response = get(location);
    }
    throw new IllegalStateException("no redirect back to the app: " + response.statusCode() + " " + response.body());
  }

  private HttpResponse<String> enterCode(String username) {
    HttpResponse<String> page = get(base + "/login/mfa");
    Matcher csrf = CSRF.matcher(page.body());
    if (!csrf.find()) {
      throw new IllegalStateException("no CSRF token on the code page: " + page.statusCode());
    }
    String code = codeOverride != null
        ? codeOverride
        : dev.custodian.server.auth.mfa.Totp.code(totpSecrets.apply(username), java.time.Instant.now());
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("code", code);
    fields.put("_csrf", csrf.group(1));
    return send(
        HttpRequest.newBuilder(URI.create(base + "/login/mfa"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form(fields))));
  }

  private HttpResponse<String> signIn(String username, String password) {
    HttpResponse<String> page = get(base + "/login");
    Matcher csrf = CSRF.matcher(page.body());
    if (!csrf.find()) {
      throw new IllegalStateException("no CSRF token on the sign-in page");
    }
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("username", username);
    fields.put("password", password);
    fields.put("_csrf", csrf.group(1));
    return send(
        HttpRequest.newBuilder(URI.create(base + "/login"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form(fields))));
  }

  /** POST /oauth2/token; returns status and the JSON body. */
  public TokenResponse token(Map<String, String> fields) {
    return post("/oauth2/token", fields);
  }

  /** POST to an authorization server endpoint as this client (adds the secret when it has one). */
  public TokenResponse post(String path, Map<String, String> fields) {
    if (clientSecret != null) {
      fields = new LinkedHashMap<>(fields);
      fields.put("client_secret", clientSecret);
    }
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields))));
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> body = response.body().isBlank() ? Map.of() : JSON.readValue(response.body(), Map.class);
      return new TokenResponse(response.statusCode(), body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A confidential client's secret, sent with its token requests (client_secret_post). */
  private String clientSecret;

  public SmartLogin withClientSecret(String secret) {
    this.clientSecret = secret;
    return this;
  }

  public TokenResponse exchange(String clientId, String redirectUri, String code, Pkce pkce) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("grant_type", "authorization_code");
    fields.put("code", code);
    fields.put("redirect_uri", redirectUri);
    fields.put("client_id", clientId);
    fields.put("code_verifier", pkce.verifier());
    return token(fields);
  }

  /** The whole flow for one user; fails the test if any step fails. */
  public TokenResponse login(String clientId, String redirectUri, String scope, String username, String password) {
    Pkce pkce = Pkce.create();
    URI back = authorize(authorizeParameters(clientId, redirectUri, scope, pkce), username, password);
    String code = query(back).get("code");
    if (code == null) {
      throw new IllegalStateException("authorization refused: " + back);
    }
    TokenResponse tokens = exchange(clientId, redirectUri, code, pkce);
    if (tokens.status() != 200) {
      throw new IllegalStateException("token exchange refused: " + tokens);
    }
    return tokens;
  }

  public record TokenResponse(int status, Map<String, Object> body) {
    public String accessToken() {
      return (String) body.get("access_token");
    }

    public String refreshToken() {
      return (String) body.get("refresh_token");
    }

    /** The claims of the access token (or another JWT in the response), decoded without checking. */
    public Map<String, Object> claims(String field) {
      String[] parts = ((String) body.get(field)).split("\\.");
      try {
        @SuppressWarnings("unchecked")
        Map<String, Object> claims = JSON.readValue(Base64.getUrlDecoder().decode(parts[1]), Map.class);
        return claims;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public static Map<String, String> query(URI uri) {
    Map<String, String> values = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        int eq = pair.indexOf('=');
        values.put(
            java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
            eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return values;
  }

  public static String form(Map<String, String> fields) {
    return fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private String absolute(String location) {
    return location.startsWith("/") ? base + location : location;
  }

  private HttpResponse<String> get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/html").GET());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return browser.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ---- enrolling a second factor (/login/enrol) ----

  private static final Pattern ENROL_SECRET = Pattern.compile("<code id=\"secret\">([A-Z2-7]+)</code>");

  /** Called with the secret the enrolment page shows; returns the code to confirm it with. */
  private java.util.function.UnaryOperator<String> enrolment;

  /** Enrol when the sign-in asks for it, confirming with the code {@code codeFor} makes of the shown secret. */
  public SmartLogin enrollingWith(java.util.function.UnaryOperator<String> codeFor) {
    this.enrolment = codeFor;
    return this;
  }

  /** The secret on the enrolment page (null when the page shows none). */
  public String enrolmentSecret() {
    Matcher secret = ENROL_SECRET.matcher(page("/login/enrol"));
    return secret.find() ? secret.group(1) : null;
  }

  /** Submits the enrolment form with {@code code}; the response (a redirect). */
  public HttpResponse<String> submitEnrolment(String code) {
    Matcher csrf = CSRF.matcher(page("/login/enrol"));
    if (!csrf.find()) {
      throw new IllegalStateException("no CSRF token on the enrolment page");
    }
    return send(HttpRequest.newBuilder(URI.create(base + "/login/enrol"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("code", code, "_csrf", csrf.group(1))))));
  }

  private HttpResponse<String> enrol(java.util.function.UnaryOperator<String> codeFor) {
    String secret = enrolmentSecret();
    if (secret == null) {
      throw new IllegalStateException("the enrolment page shows no secret");
    }
    return submitEnrolment(codeFor.apply(secret));
  }

  /** GET any path of the server in this browser (no redirects followed). */
  public HttpResponse<String> fetch(String path, String accept) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", accept).GET());
  }

  // ---- the patient picker (standalone launch by staff), sign-out and the session ----

  private static final Pattern HIDDEN =
      Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">");

  /** The patient to choose when the picker appears; null to stop at the picker. */
  private String patientChoice;

  public SmartLogin choosingPatient(String patient) {
    this.patientChoice = patient;
    return this;
  }

  /** GET a page of the authorization server in this browser; its HTML. */
  /** A page of the sign-in session, whatever its status. */
  public HttpResponse<String> fetch(String url) {
    return get(url.startsWith("/") ? base + url : url);
  }

  public String page(String url) {
    HttpResponse<String> response = get(url.startsWith("/") ? base + url : url);
    if (response.statusCode() != 200) {
      throw new IllegalStateException(url + " answered " + response.statusCode());
    }
    return response.body();
  }

  /** The hidden fields of the picker's form (client_id, state, scope…, _csrf), in order. */
  public static java.util.List<Map.Entry<String, String>> pickerForm(String html) {
    java.util.List<Map.Entry<String, String>> fields = new java.util.ArrayList<>();
    int end = html.indexOf("</form>");
    Matcher hidden = HIDDEN.matcher(end < 0 ? html : html.substring(0, end));
    while (hidden.find()) {
      fields.add(Map.entry(org.springframework.web.util.HtmlUtils.htmlUnescape(hidden.group(1)),
          org.springframework.web.util.HtmlUtils.htmlUnescape(hidden.group(2))));
    }
    return fields;
  }

  /** Answers the picker: POST its fields and {@code patient} to the authorize endpoint. */
  public HttpResponse<String> submitPicker(java.util.List<Map.Entry<String, String>> fields, String patient) {
    java.util.List<Map.Entry<String, String>> all = new java.util.ArrayList<>(fields);
    if (patient != null) {
      all.add(Map.entry("patient", patient));
    }
    String body = all.stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return send(HttpRequest.newBuilder(URI.create(base + "/oauth2/authorize"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** Where a response redirects to. */
  public URI redirect(HttpResponse<String> response) {
    if (response.statusCode() != 302) {
      throw new IllegalStateException("expected a redirect, got " + response.statusCode() + " " + response.body());
    }
    return URI.create(absolute(response.headers().firstValue("Location").orElseThrow()));
  }

  /** Signs out of the authorization server (POST /logout with the CSRF token), ending the session. */
  public int logout() {
    return logout(false);
  }

  /** Signs out; with {@code revokeTokens}, also revokes the session's online_access grants. */
  public int logout(boolean revokeTokens) {
    Matcher csrf = CSRF.matcher(get(base + "/login").body());
    if (!csrf.find()) {
      throw new IllegalStateException("no CSRF token on the sign-in page");
    }
    return send(HttpRequest.newBuilder(URI.create(base + "/logout"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8)
            + (revokeTokens ? "&revoke_tokens=true" : ""))))
        .statusCode();
  }

  /** The id of this browser's sign-in session (its JSESSIONID cookie), or null. */
  public String sessionId() {
    return ((CookieManager) browser.cookieHandler().orElseThrow()).getCookieStore().getCookies().stream()
        .filter(cookie -> cookie.getName().equals("JSESSIONID"))
        .map(java.net.HttpCookie::getValue)
        .findFirst()
        .orElse(null);
  }

  // ---- the connected-apps page (GET /account/apps, POST /account/apps/{clientId}/revoke) ----

  /** GET the connected-apps page in this browser, as HTML or (with {@code accept}) JSON. */
  public HttpResponse<String> connectedApps(String accept) {
    return send(HttpRequest.newBuilder(URI.create(base + "/account/apps")).header("Accept", accept).GET());
  }

  /**
   * Revokes an app from the connected-apps page: POSTs its revoke form, with the page's CSRF token
   * when {@code withCsrf}; the response's status.
   */
  public int revokeApp(String clientId, boolean withCsrf) {
    String fields = "";
    if (withCsrf) {
      Matcher csrf = CSRF.matcher(connectedApps("text/html").body());
      if (!csrf.find()) {
        throw new IllegalStateException("no CSRF token on the connected-apps page");
      }
      fields = "_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
    }
    return send(HttpRequest.newBuilder(
            URI.create(base + "/account/apps/" + URLEncoder.encode(clientId, StandardCharsets.UTF_8) + "/revoke"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(fields)))
        .statusCode();
  }
}
