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
  private final boolean enrolmentDue;

  public SecondFactorPending(Authentication passwordStep) {
    this(passwordStep, false);
  }

  /**
   * @param enrolmentDue the account has no second factor yet but must have one: the sign-in can
   *     only finish by enrolling one ({@link SignInFlow#ENROLMENT_PAGE})
   */
  public SecondFactorPending(Authentication passwordStep, boolean enrolmentDue) {
    super(List.of());
    this.passwordStep = passwordStep;
    this.enrolmentDue = enrolmentDue;
    super.setAuthenticated(false);
  }

  public boolean enrolmentDue() {
    return enrolmentDue;
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
