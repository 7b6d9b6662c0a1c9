package dev.custodian.server.support;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import dev.custodian.server.auth.backend.BackendClients;
import java.util.List;
import org.springframework.context.ApplicationContext;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * Backend services clients the tests register (once per test JVM), with keys generated per JVM:
 * one registered to the partner hospital (as the demo client is), one to an outside clinic that has
 * no care relationship with anyone.
 */
public final class BackendTestClients {

  /** Registered to Organization/partner-hospital, keys inline (an RS384 and an ES384 key). */
  public static final String PARTNER = "custodian-test-backend";
  public static final List<String> PARTNER_SCOPES = List.of(
      "system/ImagingStudy.rs", "system/DiagnosticReport.rs", "system/Patient.rs", "system/ImagingStudy.cu");
  /** Registered to Organization/test-outside-clinic: no care relationship, only what a Consent names. */
  public static final String OUTSIDE_CLINIC = "custodian-test-outside-clinic";
  public static final String OUTSIDE_CLINIC_ORGANIZATION = "Organization/test-outside-clinic";

  public static final RSAKey RSA = ClientAssertions.newRsaKey();
  public static final ECKey EC = ClientAssertions.newEcKey();

  private BackendTestClients() {}

  public static synchronized void ensureRegistered(ApplicationContext context) {
    RegisteredClientRepository clients = context.getBean(RegisteredClientRepository.class);
    if (clients.findByClientId(PARTNER) != null) {
      return;
    }
    String jwks = ClientAssertions.publicJwks(RSA, EC);
    clients.save(BackendClients.withJwks(PARTNER, "Backend services tests (partner hospital)",
        "Organization/partner-hospital", PARTNER_SCOPES, jwks));
    clients.save(BackendClients.withJwks(OUTSIDE_CLINIC, "Backend services tests (outside clinic)",
        OUTSIDE_CLINIC_ORGANIZATION, List.of("system/*.rs"), jwks));
  }

  /** Registers a client whose keys are served at {@code jwksUri}. */
  public static RegisteredClient registerWithJwksUri(ApplicationContext context, String clientId, String jwksUri) {
    RegisteredClient client = BackendClients.withJwksUri(clientId, "Backend services tests (jwks_uri)",
        "Organization/partner-hospital", List.of("system/ImagingStudy.rs"), jwksUri);
    context.getBean(RegisteredClientRepository.class).save(client);
    return client;
  }
}
