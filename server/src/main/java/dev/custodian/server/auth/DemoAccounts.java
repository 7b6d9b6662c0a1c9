package dev.custodian.server.auth;

import dev.custodian.server.auth.admin.AdminTokens;
import dev.custodian.server.auth.backend.BackendClients;
import dev.custodian.server.auth.users.UserAccount;
import dev.custodian.server.auth.users.UserAccountRepository;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * The demo sign-in accounts, the demo SMART app, the demo EHR, the admin console, the partner hospital's and the billing associate's backend clients, created with the demo records (never in a
 * production start). Every demo user's password is {@value #DEMO_PASSWORD}; the README lists them.
 */
public class DemoAccounts {

  public static final String DEMO_APP = "patient-app";
  /** The demo SMART Backend Services client of the partner hospital (another provider's system). */
  public static final String PARTNER_HOSPITAL_CLIENT = "partner-hospital";
  /** Its public key (JWKS); the private key is scripts/demo-keys/partner-hospital.DEMO-ONLY.private.pem. */
  public static final String PARTNER_HOSPITAL_JWKS = "demo/partner-hospital.DEMO-ONLY.jwks.json";
  /** What the partner hospital's system may ask for: read and search of imaging records. */
  public static final List<String> PARTNER_HOSPITAL_SCOPES =
      List.of("system/ImagingStudy.rs", "system/DiagnosticReport.rs", "system/Patient.rs");
  /**
   * The demo backend client of Clearwater Billing Services, a business associate of the imaging
   * centre: it sees the operations element set only (no images, no report text) and writes nothing.
   */
  public static final String BILLING_ASSOCIATE_CLIENT = "billing-associate";
  /** Its public key (JWKS); the private key is scripts/demo-keys/billing-associate.DEMO-ONLY.private.pem. */
  public static final String BILLING_ASSOCIATE_JWKS = "demo/billing-associate.DEMO-ONLY.jwks.json";
  /** What the billing associate may ask for: read and search of the records it bills from. */
  public static final List<String> BILLING_ASSOCIATE_SCOPES =
      List.of("system/ImagingStudy.rs", "system/DiagnosticReport.rs", "system/Patient.rs");
  public static final String DEMO_PASSWORD = "custodian-demo";
  /** The demo EHR: a confidential app (client_secret_basic) that may create EHR launches. */
  public static final String DEMO_EHR = "demo-ehr";
  /** Its secret, DEMO ONLY (published in the README). */
  public static final String DEMO_EHR_SECRET = "demo-ehr-secret-DEMO-ONLY";
  /** Where the demo EHR's app part receives codes. */
  public static final String DEMO_EHR_REDIRECT = "http://127.0.0.1:8765/ehr-callback";
  /**
   * The demo admin client: a public app (PKCE) registered for {@code custodian/admin} and nothing
   * that reaches records; the only demo app whose tokens the client admin API accepts.
   */
  public static final String ADMIN_CONSOLE = "admin-console";
  /** Where the admin console receives codes. */
  public static final String ADMIN_CONSOLE_REDIRECT = "http://127.0.0.1:8765/admin-callback";

  private static final List<UserAccount> ACCOUNTS =
      List.of(
          account("alice", "Alice Martin", "Patient/alice", "PATIENT", null),
          account("bruno", "Bruno Costa", "Patient/bruno", "PATIENT", null),
          account("rep.costa", "Ana Costa, Bruno's health care agent", "RelatedPerson/rep.costa", "REPRESENTATIVE", null),
          account("dr.chen", "Dr. Wei Chen", "Practitioner/dr.chen", "CLINICIAN", "Organization/imaging-centre"),
          account("dr.diaz", "Dr. Lucia Diaz", "Practitioner/dr.diaz", "CLINICIAN", "Organization/imaging-centre"),
          account("payer.evans", "Jordan Evans, Northwind claims reviewer", "Practitioner/payer.evans", "HEALTH_PLAN", "Organization/health-plan"),
          account("ops.fox", "Riley Fox, quality improvement", "Practitioner/ops.fox", "OPERATIONS", "Organization/imaging-centre"),
          account("audit.gray", "Morgan Gray, privacy officer", "Practitioner/audit.gray", "AUDITOR,PRIVACY_OFFICER", "Organization/imaging-centre"),
          account("him.hill", "Harper Hill, health information management", "Practitioner/him.hill", "HIM", "Organization/imaging-centre"),
          account("admin", "Custodian administrator", null, "ADMIN", null));

  private final UserAccountRepository accounts;
  private final RegisteredClientRepository clients;
  private final PasswordEncoder passwords;
  private final AuthProperties properties;

  public DemoAccounts(
      UserAccountRepository accounts,
      RegisteredClientRepository clients,
      PasswordEncoder passwords,
      AuthProperties properties) {
    this.accounts = accounts;
    this.clients = clients;
    this.passwords = passwords;
    this.properties = properties;
  }

  public void create() {
    for (UserAccount account : ACCOUNTS) {
      accounts.createIfAbsent(
          new UserAccount(
              account.username(),
              passwords.encode(DEMO_PASSWORD),
              account.displayName(),
              account.fhirUser(),
              account.roles(),
              account.organization(),
              true,
              demoTotpSecret(account.username()),
              null));
    }
    if (clients.findByClientId(DEMO_APP) == null) {
      clients.save(demoApp());
    }
    if (clients.findByClientId(PARTNER_HOSPITAL_CLIENT) == null) {
      clients.save(partnerHospital());
    }
    if (clients.findByClientId(BILLING_ASSOCIATE_CLIENT) == null) {
      clients.save(BackendClients.asBusinessAssociate(BackendClients.withJwks(
          BILLING_ASSOCIATE_CLIENT,
          "Clearwater Billing Services (business associate, backend services, DEMO key)",
          "Organization/billing-associate",
          BILLING_ASSOCIATE_SCOPES,
          resource(BILLING_ASSOCIATE_JWKS))));
    }
    if (clients.findByClientId(DEMO_EHR) == null) {
      clients.save(demoEhr());
    }
    if (clients.findByClientId(ADMIN_CONSOLE) == null) {
      clients.save(adminConsole());
    }
  }

  /** The demo admin console: {@code openid} and {@code custodian/admin} only, no refresh tokens. */
  private RegisteredClient adminConsole() {
    return RegisteredClient.withId(UUID.randomUUID().toString())
        .clientId(ADMIN_CONSOLE)
        .clientName("Custodian admin console")
        .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
        .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
        .redirectUri(ADMIN_CONSOLE_REDIRECT)
        .scopes(s -> s.addAll(Set.of("openid", "fhirUser", AdminTokens.SCOPE)))
        .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
        .tokenSettings(tokenSettings(properties))
        .build();
  }

  /**
   * The partner hospital's backend system: client_credentials with an RS384 client assertion signed
   * by the committed demo key (DEMO ONLY: anyone can read that private key), registered to
   * {@code Organization/partner-hospital}.
   */
  private static RegisteredClient partnerHospital() {
    return BackendClients.withJwks(
        PARTNER_HOSPITAL_CLIENT,
        "Harbor Partner Hospital (backend services, DEMO key)",
        "Organization/partner-hospital",
        PARTNER_HOSPITAL_SCOPES,
        resource(PARTNER_HOSPITAL_JWKS));
  }

  private static String resource(String name) {
    try (java.io.InputStream in = DemoAccounts.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + name);
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The demo TOTP secret of a demo user (Base32, for an authenticator app; the README lists them):
   * derived from the username so that it is documented and stable. Demo only.
   */
  public static String demoTotpSecret(String username) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-1")
          .digest(("custodian-demo-totp:" + username).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return new org.apache.commons.codec.binary.Base32().encodeAsString(digest).replace("=", "");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A public SMART app (PKCE, no secret) for trying the flows by hand. */
  private RegisteredClient demoApp() {
    return RegisteredClient.withId(UUID.randomUUID().toString())
        .clientId(DEMO_APP)
        .clientName("Custodian patient app")
        .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
        .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
        .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
        .redirectUri(properties.issuer() + "/apps/patient/")
        .redirectUri("http://127.0.0.1:8765/callback")
        .scopes(s -> s.addAll(Set.of(
            "openid", "fhirUser", "profile", "launch/patient", "offline_access",
            "patient/*.rs", "patient/Task.c", "user/*.rs", "user/*.cruds", "user/AuditEvent.rs")))
        .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
        .tokenSettings(tokenSettings(properties))
        .build();
  }

  /**
   * The demo EHR: confidential ({@code client_secret_basic}, the DEMO-ONLY secret
   * {@value #DEMO_EHR_SECRET}), allowed to create EHR launches ({@code POST /auth/launch}), and an
   * app of its own that staff sign in to with the launch it created.
   */
  private RegisteredClient demoEhr() {
    return RegisteredClient.withId(UUID.randomUUID().toString())
        .clientId(DEMO_EHR)
        .clientName("Custodian demo EHR")
        .clientSecret(passwords.encode(DEMO_EHR_SECRET))
        .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
        .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
        .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
        .redirectUri(DEMO_EHR_REDIRECT)
        .scopes(s -> s.addAll(Set.of(
            "openid", "fhirUser", "profile", "launch", "launch/patient", "online_access", "offline_access",
            "patient/*.rs", "user/*.rs")))
        .clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false)
            .setting(dev.custodian.server.auth.launch.EhrClients.CAN_CREATE_LAUNCHES, true).build())
        .tokenSettings(tokenSettings(properties))
        .build();
  }

  /** Token lifetimes from {@link AuthProperties}; refresh tokens are rotated on every use. */
  public static TokenSettings tokenSettings(AuthProperties properties) {
    return TokenSettings.builder()
        .accessTokenTimeToLive(properties.accessTokenTtl())
        .refreshTokenTimeToLive(properties.refreshTokenTtl())
        .authorizationCodeTimeToLive(properties.authorizationCodeTtl())
        .reuseRefreshTokens(false)
        .build();
  }

  private static UserAccount account(
      String username, String name, String fhirUser, String role, String organization) {
    return new UserAccount(username, "", name, fhirUser, Set.of(role.split(",")), organization, true);
  }
}
