package dev.custodian.server.auth.mfa;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.Authentication;

/**
 * A sign-in whose password was right but whose second factor is still due. It is not
 * authenticated: the authorization server issues nothing to it; it only lets the code page know
 * whose code to check, and holds the full authentication to restore once the code is right.
 */
public final class SecondFactorPending extends AbstractAuthenticationToken {

  private final Authentication passwordStep;

  public SecondFactorPending(Authentication passwordStep) {
    super(List.of());
    this.passwordStep = passwordStep;
    super.setAuthenticated(false);
  }

  public Authentication passwordStep() {
    return passwordStep;
  }

  @Override
  public Object getCredentials() {
    return null;
  }

  @Override
  public Object getPrincipal() {
    return passwordStep.getPrincipal();
  }

  @Override
  public String getName() {
    return passwordStep.getName();
  }

  @Override
  public void setAuthenticated(boolean authenticated) {
    if (authenticated) {
      throw new IllegalArgumentException("a pending second factor cannot be marked authenticated");
    }
    super.setAuthenticated(false);
  }
}
