package dev.custodian.server.auth.launch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custodian.server.auth.DemoAccounts;
import dev.custodian.server.support.AuditWriteBlocks;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import dev.custodian.server.support.SmartLogin;
import dev.custodian.server.support.SmartLogin.Pkce;
import dev.custodian.server.support.SmartLogin.TokenResponse;
import dev.custodian.server.support.TestClients;
import dev.custodian.server.support.Visibility;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.CareTeam;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * SMART launches over real HTTP: the patient picker of a staff standalone launch, EHR launch through
 * the launch API, and the launch context reaching the token and the policy.
 */
class SmartLaunchTest extends ServerTestBase {

  private static final ObjectMapper JSON = new ObjectMapper();
  private SmartLogin browser;

  @BeforeEach
  void setUp() {
    TestClients.ensureRegistered(context);
    browser = new SmartLogin(baseUrl());
    pickerFixtures();
  }

  /**
   * Patients with and without a care relationship to dr.chen that only the policy tells apart: one
   * whose order dr.chen requested (named on a record), one whose encounter with him is long past,
   * one whose care team he left (inactive).
   */
  private void pickerFixtures() {
    patient("picker-ordered", "Olga", "Ordered");
    ServiceRequest order = new ServiceRequest();
    order.setId("picker-ordered-order");
    order.setStatus(ServiceRequest.ServiceRequestStatus.COMPLETED);
    order.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
    order.setSubject(new Reference("Patient/picker-ordered"));
    order.setRequester(new Reference("Practitioner/dr.chen"));
    fixtures.store(order);

    patient("picker-old-visit", "Otto", "Oldvisit");
    Encounter old = new Encounter();
    old.setId("picker-old-visit-encounter");
    old.setStatus(Encounter.EncounterStatus.FINISHED);
    old.setClass_(new org.hl7.fhir.r4.model.Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"));
    old.setSubject(new Reference("Patient/picker-old-visit"));
    old.addParticipant().setIndividual(new Reference("Practitioner/dr.chen"));
    old.setPeriod(new Period()
        .setStart(Date.from(Instant.now().minus(Duration.ofDays(120))))
        .setEnd(Date.from(Instant.now().minus(Duration.ofDays(119)))));
    fixtures.store(old);

    patient("picker-former", "Fern", "Former");
    CareTeam team = new CareTeam();
    team.setId("picker-former-team");
    team.setStatus(CareTeam.CareTeamStatus.INACTIVE);
    team.setSubject(new Reference("Patient/picker-former"));
    team.addParticipant().setMember(new Reference("Practitioner/dr.chen"));
    fixtures.store(team);
  }

  private void patient(String id, String given, String family) {
    Patient patient = new Patient();
    patient.setId(id);
    patient.addName().setFamily(family).addGiven(given);
    fixtures.store(patient);
  }

  // ---- the patient picker ----

  @Test
  void thePickerListsOnlyThePatientsTheClinicianTreats() {
    String picker = pickerFor("dr.chen", "launch/patient patient/*.rs");
    List<String> offered = offered(picker);
    assertThat(offered).contains("alice", "picker-ordered");
    assertThat(offered).doesNotContain("bruno", "picker-old-visit", "picker-former");
    assertThat(picker).contains("Alice Martin").doesNotContain("Costa").doesNotContain("<script");
    assertThat(SmartLogin.pickerForm(picker)).extracting(Map.Entry::getKey).contains("_csrf", "state", "client_id");
  }

  @Test
  void aClinicianWithoutPatientsIsOfferedNone() {
    assertThat(offered(pickerFor("dr.diaz", "launch/patient patient/*.rs"))).isEmpty();
  }

  @Test
  void thePickersListIsRecordedOneEventPerPatientBeforeItIsShown() {
    Instant before = Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
    List<String> offered = offered(pickerFor("dr.chen", "launch/patient patient/*.rs"));
    assertThat(offered).isNotEmpty();
    List<AuditEvent> listed = as("audit.gray", "user/AuditEvent.rs")
        .get("AuditEvent?agent=Practitioner/dr.chen&subtype=search-type&date=ge" + before + "&_count=200").bundle()
        .getEntry().stream().map(e -> (AuditEvent) e.getResource())
        .filter(e -> e.getEntity().stream().anyMatch(entity -> entity.hasQuery()
            && new String(entity.getQuery(), StandardCharsets.UTF_8).endsWith("/launch/patient")))
        .toList();
    // one event per patient shown (BALP's patient query), as dr.chen treating in this app
    assertThat(listed).extracting(e -> e.getEntity().stream()
            .filter(entity -> entity.hasRole() && "1".equals(entity.getRole().getCode()))
            .map(entity -> entity.getWhat().getReference()).findFirst().orElse(null))
        .containsExactlyInAnyOrderElementsOf(offered.stream().map(id -> "Patient/" + id).toList());
    for (AuditEvent event : listed) {
      String json = fhirContext.newJsonParser().encodeResourceToString(event);
      assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
      assertThat(event.getPurposeOfEventFirstRep().getCodingFirstRep().getCode()).isEqualTo("TREAT");
      assertThat(json).contains(TestClients.CLIENT_ID, "PERMIT").doesNotContain("state=");
      assertMeetsAuditEventProfile(event);
    }
  }

  @Test
  void whenThePickersRecordCannotBeWrittenNoPatientIsShown() {
    Map<String, String> params = browser.authorizeParameters(TestClients.CLIENT_ID, TestClients.REDIRECT_URI,
        "launch/patient patient/*.rs", Pkce.create());
    URI picker = browser.authorize(params, "dr.chen", DemoAccounts.DEMO_PASSWORD);
    try (AuditWriteBlocks.Block refusing = AuditWriteBlocks.refuseInserts(context.getBean("authJdbcTemplate", JdbcTemplate.class))) {
      HttpResponse<String> refused = browser.fetch(picker.toString());
      assertThat(refused.statusCode()).isEqualTo(500);
      assertThat(refused.body()).contains("could not be recorded").doesNotContain("Alice", "alice", "Exception");
    }
    assertThat(offered(browser.page(picker.toString()))).contains("alice");
  }

  @Test
  void thePickedPatientIsTheLaunchContextAndLimitsTheCompartment() {
    TokenResponse tokens = browser.choosingPatient("alice")
        .login(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, "openid fhirUser launch/patient patient/*.rs", "dr.chen",
            DemoAccounts.DEMO_PASSWORD);
    assertThat(tokens.body().get("patient")).isEqualTo("alice");
    assertThat(tokens.claims("access_token")).containsEntry("patient", "alice").containsEntry("fhirUser", "Practitioner/dr.chen");

    FhirHttp chen = http.withBearer(tokens.accessToken());
    assertThat(chen.get("Patient/alice").status()).isEqualTo(200);
    assertThat(Visibility.ids(chen.get("ImagingStudy").bundle())).contains("alice-ct-chest").doesNotContain("bruno-ct-chest");
    // patient/ scopes reach only the launch patient, even a patient dr.chen might otherwise see
    Visibility.assertLooksMissing(chen, "Patient/picker-ordered", "Patient/no-such-patient");
  }

  @Test
  void theOrderingClinicianCanOpenThatPatientsOrder() {
    TokenResponse tokens = browser.choosingPatient("picker-ordered")
        .login(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, "launch/patient patient/*.rs", "dr.chen",
            DemoAccounts.DEMO_PASSWORD);
    assertThat(tokens.body().get("patient")).isEqualTo("picker-ordered");
    FhirHttp chen = http.withBearer(tokens.accessToken());
    assertThat(chen.get("ServiceRequest/picker-ordered-order").status()).isEqualTo(200);
    assertThat(chen.get("Patient/alice").status()).isEqualTo(404);
  }

  @Test
  void aForgedPickerAnswerNamingAnUntreatedPatientIsRefused() {
    for (String forged : List.of("bruno", "picker-old-visit", "no-such-patient", "../alice")) {
      String picker = pickerFor("dr.chen", "launch/patient patient/*.rs");
      URI back = browser.redirect(browser.submitPicker(SmartLogin.pickerForm(picker), forged));
      assertThat(back.toString()).as(forged).startsWith(TestClients.REDIRECT_URI);
      assertThat(SmartLogin.query(back)).as(forged).containsEntry("error", "access_denied").doesNotContainKey("code");
    }
  }

  @Test
  void aPickerAnswerWithoutTheSessionsCsrfTokenIsRefused() {
    String picker = pickerFor("dr.chen", "launch/patient patient/*.rs");
    List<Map.Entry<String, String>> withoutCsrf =
        SmartLogin.pickerForm(picker).stream().filter(field -> !field.getKey().equals("_csrf")).toList();
    URI back = browser.redirect(browser.submitPicker(withoutCsrf, "alice"));
    assertThat(SmartLogin.query(back)).containsEntry("error", "access_denied").doesNotContainKey("code");

    // a second browser (another session) cannot answer the first one's picker either
    String other = pickerFor("dr.chen", "launch/patient patient/*.rs");
    SmartLogin attacker = new SmartLogin(baseUrl());
    pickerFor(attacker, "dr.diaz", "launch/patient patient/*.rs");
    HttpResponse<String> answer = attacker.submitPicker(SmartLogin.pickerForm(other), "alice");
    assertThat(answer.headers().firstValue("Location").orElse("")).doesNotContain("code=");
  }

  @Test
  void cancellingThePickerDeniesTheApp() {
    String picker = pickerFor("dr.chen", "launch/patient patient/*.rs");
    List<Map.Entry<String, String>> cancel =
        SmartLogin.pickerForm(picker).stream().filter(field -> !field.getKey().equals("scope")).toList();
    URI back = browser.redirect(browser.submitPicker(cancel, null));
    assertThat(SmartLogin.query(back)).containsEntry("error", "access_denied").doesNotContainKey("code");
  }

  @Test
  void aPatientStillGetsTheirOwnRecordWithoutAPicker() {
    TokenResponse tokens = browser.login(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, "launch/patient patient/*.rs", "bruno",
        DemoAccounts.DEMO_PASSWORD);
    assertThat(tokens.body().get("patient")).isEqualTo("bruno");
  }

  // ---- EHR launch ----

  @Test
  void anEhrLaunchGivesTheAppThePatientAndEncounter() {
    String launch = createLaunch("{\"patient\":\"alice\",\"encounter\":\"alice-encounter-1\",\"client_id\":\"" + TestClients.CLIENT_ID + "\"}");
    TokenResponse tokens = ehrLogin("dr.chen", launch, "launch openid fhirUser patient/*.rs");
    assertThat(tokens.body()).containsEntry("patient", "alice").containsEntry("encounter", "alice-encounter-1");
    assertThat(tokens.claims("access_token")).containsEntry("patient", "alice");
    FhirHttp chen = http.withBearer(tokens.accessToken());
    assertThat(chen.get("Patient/alice").status()).isEqualTo(200);
    assertThat(Visibility.ids(chen.get("DiagnosticReport").bundle())).contains("alice-ct-chest-report").doesNotContain("bruno-ct-chest-report");
  }

  @Test
  void aClinicianLaunchedIntoAPatientHeDoesNotTreatStillSeesNothing() {
    String launch = createLaunch("{\"patient\":\"alice\",\"client_id\":\"" + TestClients.CLIENT_ID + "\"}");
    TokenResponse tokens = ehrLogin("dr.diaz", launch, "launch patient/*.rs");
    assertThat(tokens.body()).containsEntry("patient", "alice");
    FhirHttp diaz = http.withBearer(tokens.accessToken());
    Visibility.assertLooksMissing(diaz, "Patient/alice", "Patient/no-such-patient");
    assertThat(Visibility.ids(diaz.get("ImagingStudy").bundle())).isEmpty();
  }

  @Test
  void aLaunchValueWorksOnceForItsAppBeforeItExpires() {
    String app = TestClients.CLIENT_ID;
    String launch = createLaunch("{\"patient\":\"alice\",\"client_id\":\"" + app + "\"}");
    ehrLogin("dr.chen", launch, "launch patient/*.rs");
    assertThat(ehrError("dr.chen", launch, "launch patient/*.rs")).as("reused").contains("already used");

    assertThat(ehrError("dr.chen", "no-such-launch-value", "launch patient/*.rs")).as("unknown").contains("unknown launch");

    String expired = createLaunch("{\"patient\":\"alice\",\"client_id\":\"" + app + "\"}");
    context.getBean("authJdbcTemplate", JdbcTemplate.class).update(
        "update custodian_launch_context set expires_at = now() - interval '1 second' where launch_hash = ?",
        LaunchContexts.hash(expired));
    assertThat(ehrError("dr.chen", expired, "launch patient/*.rs")).as("expired").contains("expired");

    String forOtherApp = createLaunch("{\"patient\":\"alice\"}"); // defaults to the EHR itself
    assertThat(ehrError("dr.chen", forOtherApp, "launch patient/*.rs")).as("other app").contains("another app");
  }

  @Test
  void theLaunchParameterAndTheLaunchScopeGoTogether() {
    String launch = createLaunch("{\"patient\":\"alice\",\"client_id\":\"" + TestClients.CLIENT_ID + "\"}");
    assertThat(ehrError("dr.chen", launch, "patient/*.rs")).contains("needs the launch scope");
    Map<String, String> params =
        browser.authorizeParameters(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, "launch patient/*.rs", Pkce.create());
    URI back = browser.authorize(params, "dr.chen", DemoAccounts.DEMO_PASSWORD);
    assertThat(SmartLogin.query(back)).containsEntry("error", "invalid_request").doesNotContainKey("code");
  }

  @Test
  void aPatientCannotBeLaunchedIntoAnotherPatientsRecord() {
    String launch = createLaunch("{\"patient\":\"alice\",\"client_id\":\"" + TestClients.CLIENT_ID + "\"}");
    Map<String, String> params =
        browser.authorizeParameters(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, "launch patient/*.rs", Pkce.create());
    params.put("launch", launch);
    URI back = browser.authorize(params, "bruno", DemoAccounts.DEMO_PASSWORD);
    assertThat(SmartLogin.query(back)).containsEntry("error", "access_denied").doesNotContainKey("code");
  }

  @Test
  void theLaunchApiIsForRegisteredEhrsAndExistingPatients() throws Exception {
    assertThat(launchApi(null, "{\"patient\":\"alice\"}").statusCode()).isEqualTo(401);
    assertThat(launchApi(basic(DemoAccounts.DEMO_EHR, "wrong-secret"), "{\"patient\":\"alice\"}").statusCode()).isEqualTo(401);
    assertThat(launchApi(basic(DemoAccounts.DEMO_APP, ""), "{\"patient\":\"alice\"}").statusCode()).isEqualTo(401);
    assertThat(launchApi(basic(TestClients.CONFIDENTIAL_ID, TestClients.CONFIDENTIAL_SECRET), "{\"patient\":\"alice\"}").statusCode())
        .as("a client not registered for client_secret_basic").isEqualTo(401);

    String ehr = basic(DemoAccounts.DEMO_EHR, DemoAccounts.DEMO_EHR_SECRET);
    for (String bad : List.of("{\"patient\":\"no-such-patient\"}", "{\"patient\":\"../alice\"}", "{}", "not json", "[1]",
        "{\"patient\":\"bruno\",\"encounter\":\"alice-encounter-1\"}", "{\"patient\":\"alice\",\"encounter\":\"nope\"}",
        "{\"patient\":\"alice\",\"client_id\":\"no-such-app\"}", "{\"patient\":\"alice\",\"client_id\":\"partner-hospital\"}",
        "{\"patient\":42}")) {
      HttpResponse<String> response = launchApi(ehr, bad);
      assertThat(response.statusCode()).as(bad).isEqualTo(400);
      assertThat(JSON.readTree(response.body()).get("error").asText()).as(bad).isEqualTo("invalid_request");
    }
    HttpResponse<String> created = launchApi(ehr, "{\"patient\":\"Patient/alice\"}");
    assertThat(created.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(created.body()).get("expires_in").asInt()).isEqualTo(300);
    assertThat(JSON.readTree(created.body()).get("launch").asText()).hasSizeGreaterThanOrEqualTo(40);
  }

  // ---- helpers ----

  private String pickerFor(String user, String scope) {
    return pickerFor(browser, user, scope);
  }

  private static String pickerFor(SmartLogin browser, String user, String scope) {
    Map<String, String> params =
        browser.authorizeParameters(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, scope, Pkce.create());
    URI picker = browser.authorize(params, user, DemoAccounts.DEMO_PASSWORD);
    assertThat(picker.getPath()).isEqualTo("/launch/patient");
    return browser.page(picker.toString());
  }

  private static List<String> offered(String picker) {
    return java.util.regex.Pattern.compile("name=\"patient\" required id=\"[^\"]*\" value=\"([^\"]+)\"")
        .matcher(picker).results().map(m -> m.group(1)).toList();
  }

  private TokenResponse ehrLogin(String user, String launch, String scope) {
    Pkce pkce = Pkce.create();
    Map<String, String> params = browser.authorizeParameters(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, scope, pkce);
    params.put("launch", launch);
    URI back = browser.authorize(params, user, DemoAccounts.DEMO_PASSWORD);
    String code = SmartLogin.query(back).get("code");
    assertThat(code).as(back.toString()).isNotNull();
    TokenResponse tokens = browser.exchange(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, code, pkce);
    assertThat(tokens.status()).isEqualTo(200);
    return tokens;
  }

  /** The error description of an authorize request with {@code launch} that must be refused. */
  private String ehrError(String user, String launch, String scope) {
    Map<String, String> params =
        browser.authorizeParameters(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, scope, Pkce.create());
    params.put("launch", launch);
    URI back = browser.authorize(params, user, DemoAccounts.DEMO_PASSWORD);
    Map<String, String> answer = SmartLogin.query(back);
    assertThat(answer).doesNotContainKey("code").containsEntry("error", "invalid_request");
    return answer.get("error_description");
  }

  private String createLaunch(String body) {
    try {
      HttpResponse<String> response = launchApi(basic(DemoAccounts.DEMO_EHR, DemoAccounts.DEMO_EHR_SECRET), body);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      return JSON.readTree(response.body()).get("launch").asText();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String basic(String client, String secret) {
    return "Basic " + Base64.getEncoder().encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> launchApi(String authorization, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + "/auth/launch"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unused")
  private static Map<String, String> form(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }
}
