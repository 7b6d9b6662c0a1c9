package dev.custodian.server.auth.tokens;

import dev.custodian.server.auth.users.UserAccount;
import dev.custodian.server.auth.users.UserAccountRepository;
import java.util.Set;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * Puts the SMART claims into Custodian's tokens: {@code fhirUser}, the user's roles and
 * organization, and — when the app asked for {@code launch/patient} — the patient in context.
 * A patient's launch context is their own record.
 */
public class SmartTokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

  public static final String FHIR_USER = "fhirUser";
  public static final String PATIENT = "patient";
  public static final String ROLES = "roles";
  public static final String ORGANIZATION = "organization";

  private final UserAccountRepository accounts;

  public SmartTokenClaims(UserAccountRepository accounts) {
    this.accounts = accounts;
  }

  @Override
  public void customize(JwtEncodingContext context) {
    UserAccount user = accounts.find(context.getPrincipal().getName()).orElse(null);
    if (user == null) {
      return; // a client acting for itself (backend services): no user claims
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
      if (scopes.contains("launch/patient")) {
        if (user.patientId() == null) {
          // The patient picker for staff is not built yet: refuse rather than issue a token
          // without the context the app asked for.
          throw new OAuth2AuthenticationException(
              new OAuth2Error(OAuth2ErrorCodes.INVALID_SCOPE,
                  "launch/patient is only available to patients until the patient picker exists", null));
        }
        context.getClaims().claim(PATIENT, user.patientId());
      }
    }
    if (idToken && scopes.contains("fhirUser") && user.fhirUser() != null) {
      context.getClaims().claim(FHIR_USER, user.fhirUser());
    }
    if (idToken && scopes.contains("profile")) {
      context.getClaims().claim("name", user.displayName());
    }
  }
}
