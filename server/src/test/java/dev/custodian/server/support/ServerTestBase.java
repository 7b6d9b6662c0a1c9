package dev.custodian.server.support;

import ca.uhn.fhir.context.FhirContext;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Base of the integration tests: the shared running server and an HTTP client for it. */
@CustodianServerTest
public abstract class ServerTestBase {

  @LocalServerPort protected int port;
  @Autowired protected FhirContext fhirContext;
  protected FhirHttp http;

  @BeforeEach
  void connect() {
    http = new FhirHttp(port, fhirContext);
  }
}
