package dev.custodian.server.support;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the integration tests: the shared running server, and an HTTP client for its FHIR
 * endpoint that carries dr.chen's access token (obtained once through the real SMART flow).
 */
@CustodianServerTest
public abstract class ServerTestBase {

  /** One port per test JVM, known before start so the token issuer can name it. */
  protected static final int PORT = freePort();

  private static String staffToken;

  @Autowired protected FhirContext fhirContext;
  @Autowired protected ApplicationContext context;
  protected FhirHttp http;

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
    synchronized (ServerTestBase.class) {
      if (staffToken == null) {
        staffToken = TestClients.accessToken(context, baseUrl(), "dr.chen", "openid fhirUser user/*.cruds");
      }
    }
    http = new FhirHttp(PORT, fhirContext).withBearer(staffToken);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
