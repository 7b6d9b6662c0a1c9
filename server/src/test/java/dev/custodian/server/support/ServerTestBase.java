package dev.custodian.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.IInstanceValidatorModule;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.fhir.validation.ValidationResult;
import dev.custodian.server.ig.CustodianProfiles;
import java.io.IOException;
import java.net.ServerSocket;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the integration tests: the shared running server, HTTP clients for its FHIR endpoint
 * that carry a demo user's access token (obtained through the real SMART flow), and fixtures
 * written by the system.
 */
@CustodianServerTest
public abstract class ServerTestBase {

  /** One port per test JVM, known before start so the token issuer can name it. */
  protected static final int PORT = freePort();

  /** Tokens by user and scope, with when they were minted (access tokens live 10 minutes). */
  private static final Map<String, MintedToken> TOKENS = new ConcurrentHashMap<>();

  private record MintedToken(String token, java.time.Instant minted) {
    boolean fresh() {
      return minted.isAfter(java.time.Instant.now().minus(java.time.Duration.ofMinutes(5)));
    }
  }

  @Autowired protected FhirContext fhirContext;
  @Autowired protected ApplicationContext context;
  @Autowired protected DaoRegistry daos;
  /** FHIR over HTTP as dr.chen (clinician, treats alice) with {@code user/*.cruds}. */
  protected FhirHttp http;
  /** Records written by the system, as demo data is. */
  protected Fixtures fixtures;

  @DynamicPropertySource
  static void serverAddress(DynamicPropertyRegistry registry) {
    registry.add("server.port", () -> PORT);
    registry.add("custodian.auth.issuer", () -> baseUrl());
  }

  protected static String baseUrl() {
    return "http://localhost:" + PORT;
  }

  @BeforeEach
  void connect() {
    http = as("dr.chen", "openid fhirUser user/*.cruds");
    fixtures = new Fixtures(daos);
  }

  /**
   * FHIR over HTTP as a demo user who signed in through the SMART flow asking for {@code scope};
   * tokens are reused within the test JVM.
   */
  protected FhirHttp as(String username, String scope) {
    String token = TOKENS.compute(username + " " + scope, (key, known) -> known != null && known.fresh()
        ? known : new MintedToken(TestClients.accessToken(context, baseUrl(), username, scope), java.time.Instant.now()))
        .token();
    return new FhirHttp(PORT, fhirContext).withBearer(token);
  }

  /** As a patient through a patient-facing app: own launch context, {@code patient/*.rs}. */
  protected FhirHttp asPatient(String username) {
    return as(username, "launch/patient patient/*.rs");
  }

  /** Fails unless {@code event}, as clients receive it (its JSON), meets Custodian's AuditEvent profile. */
  protected void assertMeetsAuditEventProfile(org.hl7.fhir.r4.model.AuditEvent event) {
    FhirValidator validator = fhirContext.newValidator();
    validator.registerValidatorModule(context.getBean(IInstanceValidatorModule.class));
    String json = fhirContext.newJsonParser().encodeResourceToString(event);
    ValidationResult result = validator.validateWithResult(json, new ValidationOptions().addProfile(CustodianProfiles.AUDIT_EVENT));
    assertThat(result.getMessages())
        .as(() -> result.getMessages().stream().map(m -> m.getSeverity() + " " + m.getLocationString() + " " + m.getMessage())
            .toList() + " in " + json)
        .noneMatch(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal());
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
