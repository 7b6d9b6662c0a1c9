package dev.custodian.server.auth.launch;

import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;

/**
 * What the authorize step settles and the token endpoint reads, kept as attributes of the
 * authorization (the grant) in PostgreSQL: the launch patient and encounter (from an EHR launch or
 * the patient picker) and, for {@code online_access}, the sign-in session the grant is bound to.
 * Refreshed tokens carry the same context, since they come from the same grant.
 */
public final class LaunchAttributes {

  public static final String PATIENT = "custodian.launch.patient";
  public static final String ENCOUNTER = "custodian.launch.encounter";
  public static final String SIGN_IN_SESSION = "custodian.sign-in-session";

  /** The {@code launch} parameter of an EHR launch. */
  public static final String LAUNCH_PARAMETER = "launch";

  private LaunchAttributes() {}

  public static String patient(OAuth2Authorization authorization) {
    return authorization == null ? null : authorization.getAttribute(PATIENT);
  }

  public static String encounter(OAuth2Authorization authorization) {
    return authorization == null ? null : authorization.getAttribute(ENCOUNTER);
  }

  public static String signInSession(OAuth2Authorization authorization) {
    return authorization == null ? null : authorization.getAttribute(SIGN_IN_SESSION);
  }
}
