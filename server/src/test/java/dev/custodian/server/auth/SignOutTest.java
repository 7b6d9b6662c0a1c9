package dev.custodian.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import dev.custodian.server.support.SmartLogin;
import dev.custodian.server.support.TestClients;
import java.net.http.HttpResponse;
import org.apache.catalina.Context;
import org.apache.catalina.Session;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;

/**
 * Ending a sign-in session: {@code POST /logout} (audited as DICOM 110123 Logout, which auditors
 * see) and the idle timeout (15 minutes by default).
 */
class SignOutTest extends ServerTestBase {

  private static final String LOGOUT = "http://dicom.nema.org/resources/ontology/DCM|110123";

  @org.springframework.beans.factory.annotation.Autowired ca.uhn.fhir.validation.IInstanceValidatorModule instanceValidator;

  @BeforeEach
  void clients() {
    TestClients.ensureRegistered(context);
  }

  private SmartLogin signedIn(String username) {
    SmartLogin browser = new SmartLogin(baseUrl());
    browser.login(TestClients.CLIENT_ID, TestClients.REDIRECT_URI, "openid", username, DemoAccounts.DEMO_PASSWORD);
    assertThat(browser.connectedApps("application/json").statusCode()).isEqualTo(200);
    return browser;
  }

  @Test
  void logoutEndsTheSessionAndAuditorsSeeTheLogoutEvent() {
    SmartLogin browser = signedIn("ops.fox");
    assertThat(browser.logout()).isEqualTo(302);

    HttpResponse<String> after = browser.connectedApps("text/html");
    assertThat(after.statusCode()).isEqualTo(302);
    assertThat(after.headers().firstValue("Location").orElseThrow()).endsWith("/login");

    FhirHttp auditor = as("audit.gray", "user/AuditEvent.rs");
    Bundle logouts = auditor.get("AuditEvent?subtype=" + LOGOUT + "&_count=100").bundle();
    ca.uhn.fhir.validation.FhirValidator validator = fhirContext.newValidator();
    validator.registerValidatorModule(instanceValidator);
    ca.uhn.fhir.validation.ValidationResult valid = validator.validateWithResult(
        fhirContext.newJsonParser().encodeResourceToString(logouts.getEntryFirstRep().getResource()),
        new ca.uhn.fhir.validation.ValidationOptions().addProfile(dev.custodian.server.ig.CustodianProfiles.AUDIT_EVENT));
    assertThat(valid.getMessages()).as(() -> valid.getMessages().stream().map(m -> m.getLocationString() + " " + m.getMessage()).toList().toString())
        .noneMatch(m -> m.getSeverity().ordinal() >= ca.uhn.fhir.validation.ResultSeverityEnum.ERROR.ordinal());
    assertThat(logouts.getEntry()).anySatisfy(entry -> {
      AuditEvent event = (AuditEvent) entry.getResource();
      assertThat(event.getType().getCode()).isEqualTo("110114");
      assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("110123");
      assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
      assertThat(event.getAgentFirstRep().getWho().getReference()).isEqualTo("Practitioner/ops.fox");
      assertThat(event.getAgentFirstRep().getWho().getIdentifier().getValue()).isEqualTo("ops.fox");
    });
    // a clinician (no oversight role, no explicit AuditEvent scope) learns nothing of it
    FhirHttp.Response clinician = as("dr.chen", "user/*.rs").get("AuditEvent?subtype=" + LOGOUT);
    assertThat(clinician.status() == 403 || clinician.bundle().getEntry().isEmpty()).as(clinician.toString()).isTrue();
    assertThat(clinician.body()).doesNotContain("ops.fox");
  }

  @Test
  void aLogoutWithRevokeTokensKillsTheSessionsOnlineAccessTokensToo() {
    String scope = "online_access launch/patient patient/*.rs";
    SmartLogin revoking = new SmartLogin(baseUrl()).withClientSecret(TestClients.CONFIDENTIAL_SECRET);
    SmartLogin.TokenResponse revoked = revoking.login(TestClients.CONFIDENTIAL_ID, TestClients.REDIRECT_URI, scope, "bruno",
        DemoAccounts.DEMO_PASSWORD);
    SmartLogin plain = new SmartLogin(baseUrl()).withClientSecret(TestClients.CONFIDENTIAL_SECRET);
    SmartLogin.TokenResponse kept = plain.login(TestClients.CONFIDENTIAL_ID, TestClients.REDIRECT_URI, scope, "bruno",
        DemoAccounts.DEMO_PASSWORD);
    FhirHttp revokedFhir = new FhirHttp(PORT, fhirContext).withBearer(revoked.accessToken());
    FhirHttp keptFhir = new FhirHttp(PORT, fhirContext).withBearer(kept.accessToken());
    assertThat(revokedFhir.get("Patient/bruno").status()).isEqualTo(200);

    assertThat(revoking.logout(true)).isEqualTo(302);
    assertThat(plain.logout(false)).isEqualTo(302);
    assertThat(revokedFhir.get("Patient/bruno").status()).as("revoked at sign-out").isEqualTo(401);
    assertThat(keptFhir.get("Patient/bruno").status()).as("runs to its expiry").isEqualTo(200);
  }

  @Test
  void aLogoutWithoutASessionRecordsNothing() {
    FhirHttp auditor = as("audit.gray", "user/AuditEvent.rs");
    int before = auditor.get("AuditEvent?subtype=" + LOGOUT + "&_count=200").bundle().getEntry().size();
    assertThat(new SmartLogin(baseUrl()).logout()).isEqualTo(302);
    assertThat(auditor.get("AuditEvent?subtype=" + LOGOUT + "&_count=200").bundle().getEntry()).hasSize(before);
  }

  @Test
  void staffSessionsEndAfterFifteenIdleMinutes() throws InterruptedException {
    SmartLogin browser = signedIn("dr.chen");
    Session session = session(browser.sessionId());
    assertThat(session.getMaxInactiveInterval()).as("idle timeout, seconds").isEqualTo(15 * 60);

    // the same rule with a shorter clock: idle past the timeout, the next request must sign in again
    session.setMaxInactiveInterval(1);
    Thread.sleep(2_100);
    HttpResponse<String> after = browser.connectedApps("text/html");
    assertThat(after.statusCode()).isEqualTo(302);
    assertThat(after.headers().firstValue("Location").orElseThrow()).endsWith("/login");
  }

  private Session session(String id) {
    TomcatWebServer server = (TomcatWebServer) ((WebServerApplicationContext) context).getWebServer();
    Context web = (Context) server.getTomcat().getHost().findChildren()[0];
    try {
      Session session = web.getManager().findSession(id);
      assertThat(session).as("the browser's sign-in session").isNotNull();
      return session;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
