package dev.custodian.server.auth.tokens;

import dev.custodian.server.auth.users.UserAccount;
import dev.custodian.server.auth.users.UserAccountRepository;
import dev.custodian.policy.caller.Role;
import dev.custodian.server.auth.backend.BackendClients;
import dev.custodian.server.auth.launch.LaunchAttributes;
import dev.custodian.server.auth.launch.SignInSessions;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * Puts the SMART claims into Custodian's tokens: {@code fhirUser}, the user's roles and
 * organization, and the launch context: the patient (and encounter) an EHR launch or the patient
 * picker settled at authorize time, or — for a patient asking for {@code launch/patient} — their
 * own record. An {@code online_access} grant refreshes only while its sign-in session lives. A SMART Backend Services client
 * ({@code client_credentials}) gets no user claims: the SYSTEM role, its organization and client id.
 */
public class SmartTokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

  public static final String FHIR_USER = "fhirUser";
  public static final String PATIENT = "patient";
  public static final String ENCOUNTER = "encounter";
  public static final String ROLES = "roles";
  public static final String ORGANIZATION = "organization";
  public static final String CLIENT_ID = "client_id";

  private final UserAccountRepository accounts;
  private final SignInSessions sessions;

  public SmartTokenClaims(UserAccountRepository accounts, SignInSessions sessions) {
    this.accounts = accounts;
    this.sessions = sessions;
  }

  /** An online_access grant refreshes only while the sign-in session it is bound to lives. */
  private void requireLiveSession(OAuth2Authorization grant) {
    String session = LaunchAttributes.signInSession(grant);
    if (session != null && !sessions.alive(session)) {
      throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
          "online_access: the sign-in session this refresh token was bound to has ended; sign in again", null));
    }
  }

  @Override
  public void customize(JwtEncodingContext context) {
    if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
      backendClaims(context);
      return;
    }
    UserAccount user = accounts.find(context.getPrincipal().getName()).orElse(null);
    if (user == null) {
      return;
    }
    Set<String> scopes = context.getAuthorizedScopes();
    boolean accessToken = OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType());
    boolean idToken = OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue());
    if (accessToken) {
      // a plain list: SAS stores token claims as JSON and reads back only allow-listed collection types
      context.getClaims().claim(ROLES, new java.util.ArrayList<>(user.roles()));
      if (user.organization() != null) {
        context.getClaims().claim(ORGANIZATION, user.organization());
      }
      if (user.fhirUser() != null) {
        context.getClaims().claim(FHIR_USER, user.fhirUser());
      }
      OAuth2Authorization grant = context.getAuthorization();
      if (AuthorizationGrantType.REFRESH_TOKEN.equals(context.getAuthorizationGrantType())) {
        requireLiveSession(grant);
      }
      // the launch context: an EHR launch or the patient picker settled it at authorize time;
      // a patient asking for launch/patient is in their own record
      String patient = LaunchAttributes.patient(grant);
      if (patient == null && scopes.contains("launch/patient")) {
        if (user.patientId() == null) {
          throw new OAuth2AuthenticationException(
              new OAuth2Error(OAuth2ErrorCodes.INVALID_SCOPE, "launch/patient: no patient was chosen", null));
        }
        patient = user.patientId();
      }
      if (patient != null) {
        context.getClaims().claim(PATIENT, patient);
      }
      if (LaunchAttributes.encounter(grant) != null) {
        context.getClaims().claim(ENCOUNTER, LaunchAttributes.encounter(grant));
      }
    }
    if (idToken && scopes.contains("fhirUser") && user.fhirUser() != null) {
      context.getClaims().claim(FHIR_USER, user.fhirUser());
    }
    if (idToken && scopes.contains("profile")) {
      context.getClaims().claim("name", user.displayName());
    }
  }

  /**
   * A SMART Backend Services client acting for itself: no user, the {@link Role#SYSTEM} role (or
   * {@link Role#BUSINESS_ASSOCIATE} for a business associate's client), the
   * Organization it is registered to, its client id; the token lives at most
   * {@link BackendClients#MAX_TOKEN_LIFETIME}, whatever its registration says.
   */
  private static void backendClaims(JwtEncodingContext context) {
    if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
      return;
    }
    RegisteredClient client = context.getRegisteredClient();
    String organization = BackendClients.organization(client);
    if (organization == null) {
      throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT,
          "this backend client is not registered to an organization", null));
    }
    context.getClaims().claim(ROLES, new java.util.ArrayList<>(List.of(BackendClients.role(client).name())));
    context.getClaims().claim(ORGANIZATION, organization);
    context.getClaims().claim(CLIENT_ID, client.getClientId());
    context.getClaims().claims(claims -> {
      if (claims.get("iat") instanceof Instant issued && claims.get("exp") instanceof Instant expires
          && expires.isAfter(issued.plus(BackendClients.MAX_TOKEN_LIFETIME))) {
        claims.put("exp", issued.plus(BackendClients.MAX_TOKEN_LIFETIME));
      }
    });
  }
}
