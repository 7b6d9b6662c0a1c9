package dev.custodian.server.support;

import dev.custodian.server.auth.AuthProperties;
import dev.custodian.server.auth.DemoAccounts;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationContext;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

/** The SMART app the tests sign in with: public, PKCE, broad user and patient scopes. */
public final class TestClients {

  public static final String CLIENT_ID = "custodian-test-app";
  public static final String REDIRECT_URI = "http://127.0.0.1:9/test-callback";
  public static final String ALL_SCOPES =
      "openid fhirUser profile launch launch/patient offline_access online_access patient/*.cruds user/*.cruds user/AuditEvent.rs user/AuditEvent.cruds";

  private TestClients() {}

  /** A confidential app (client secret): Spring Authorization Server gives refresh tokens only to these. */
  public static final String CONFIDENTIAL_ID = "custodian-test-confidential";
  public static final String CONFIDENTIAL_SECRET = "test-secret-0123456789";

  public static synchronized void ensureRegistered(ApplicationContext context) {
    RegisteredClientRepository clients = context.getBean(RegisteredClientRepository.class);
    if (clients.findByClientId(CLIENT_ID) != null) {
      return;
    }
    String secret =
        context.getBean(org.springframework.security.crypto.password.PasswordEncoder.class).encode(CONFIDENTIAL_SECRET);
    clients.save(client(context, CONFIDENTIAL_ID, "Custodian integration tests (confidential)",
        ClientAuthenticationMethod.CLIENT_SECRET_POST, secret));
    clients.save(client(context, CLIENT_ID, "Custodian integration tests", ClientAuthenticationMethod.NONE, null));
  }

  private static RegisteredClient client(
      ApplicationContext context, String id, String name, ClientAuthenticationMethod method, String secretHash) {
    return RegisteredClient.withId(UUID.randomUUID().toString())
        .clientId(id)
        .clientSecret(secretHash)
        .clientName(name)
        .clientAuthenticationMethod(method)
        .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
        .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
        .redirectUri(REDIRECT_URI)
        .scopes(s -> s.addAll(Set.of(ALL_SCOPES.split(" "))))
        .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
        .tokenSettings(DemoAccounts.tokenSettings(context.getBean(AuthProperties.class)))
        .build();
  }

  /** Signs a demo user in (the demo password) and returns an access token. */
  public static String accessToken(ApplicationContext context, String base, String username, String scope) {
    ensureRegistered(context);
    return new SmartLogin(base).login(CLIENT_ID, REDIRECT_URI, scope, username, DemoAccounts.DEMO_PASSWORD).accessToken();
  }
}
