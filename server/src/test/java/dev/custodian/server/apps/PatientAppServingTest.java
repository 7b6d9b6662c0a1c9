package dev.custodian.server.apps;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.auth.DemoAccounts;
import dev.custodian.server.support.ServerTestBase;
import dev.custodian.server.support.SmartLogin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The patient app as the server serves it, over plain HTTP: public static files under a strict
 * Content-Security-Policy, nothing but GET, and a {@code patient-app} client whose registered
 * redirect URI and scopes are the ones the app uses. (The app itself, in a browser:
 * {@link PatientAppBrowserTest}.)
 */
class PatientAppServingTest extends ServerTestBase {

  private final HttpClient plain =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();

  @Test
  void theAppsPagesAreServedWithoutSignInUnderAStrictContentSecurityPolicy() throws Exception {
    for (String path : List.of("/apps/patient/", "/apps/patient/index.html", "/apps/patient/launch.html")) {
      HttpResponse<String> page = get(path);
      assertThat(page.statusCode()).as(path).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type").orElse("")).as(path).startsWith("text/html");
      assertThat(page.body()).as(path).contains("My imaging records");
      String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
      assertThat(csp).as(path)
          .contains("default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'")
          .doesNotContain("unsafe-inline", "unsafe-eval");
      assertThat(page.headers().firstValue("Referrer-Policy")).as(path).hasValue("no-referrer");
      assertThat(page.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
      assertThat(page.headers().firstValue("Set-Cookie")).as(path).isEmpty();
    }
    HttpResponse<String> script = get("/apps/patient/vendor/fhirclient/build/fhir-client.pure.min.js");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.body()).contains("oauth2");
  }

  @Test
  void theAppsFolderWithoutItsSlashRedirectsToIt() throws Exception {
    HttpResponse<String> response = get("/apps/patient");
    assertThat(response.statusCode()).isEqualTo(302);
    assertThat(response.headers().firstValue("Location").orElse("")).endsWith("/apps/patient/");
  }

  @Test
  void theAppsTakeNothingButGetAndNothingOutsideTheirFolders() throws Exception {
    HttpResponse<String> post = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/apps/patient/index.html"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("a=b")));
    assertThat(post.statusCode()).isEqualTo(403);
    assertThat(get("/apps/other/index.html").statusCode()).isEqualTo(403);
    assertThat(get("/apps/patient/no-such-file.js").statusCode()).isEqualTo(404);
  }

  @Test
  void aliceSignsInThroughThePatientAppsRedirectUriWithTheScopesTheAppAsksFor() throws Exception {
    String scopes = String.join(" ", scopesOf(get("/apps/patient/launch.js").body()));
    assertThat(scopes).contains("launch/patient", "patient/ImagingStudy.rs", "patient/DiagnosticReport.rs");

    SmartLogin.TokenResponse tokens = new SmartLogin(baseUrl())
        .login(DemoAccounts.DEMO_APP, baseUrl() + "/apps/patient/", scopes, "alice", DemoAccounts.DEMO_PASSWORD);

    assertThat(tokens.body().get("patient")).isEqualTo("alice");
    assertThat(tokens.body().get("scope").toString().split(" ")).containsExactlyInAnyOrder(scopes.split(" "));
  }

  /** The scopes in launch.js's {@code SCOPES} list, as the browser gets the file. */
  private static List<String> scopesOf(String launchJs) {
    Matcher list = Pattern.compile("const SCOPES = \\[(.*?)\\]", Pattern.DOTALL).matcher(launchJs);
    assertThat(list.find()).as("launch.js declares its SCOPES").isTrue();
    List<String> scopes = new ArrayList<>();
    Matcher scope = Pattern.compile("\"([^\"]+)\"").matcher(list.group(1));
    while (scope.find()) {
      scopes.add(scope.group(1));
    }
    return scopes;
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("Accept", "text/html,*/*").GET());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return plain.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
