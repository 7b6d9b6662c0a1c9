package dev.custodian.server.auth.launch;

import java.time.Instant;
import java.util.List;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * Authenticates an EHR at the launch API with its client credentials (HTTP Basic, the client id and
 * secret: {@code client_secret_basic}). Only a confidential client registered for
 * {@code client_secret_basic} with the client setting {@value #CAN_CREATE_LAUNCHES} gets the
 * authority to create launches; any other client authenticates but may not.
 */
public class EhrClients implements AuthenticationProvider {

  /** The client setting that lets a registered EHR create launch contexts. */
  public static final String CAN_CREATE_LAUNCHES = "custodian.can-create-launches";
  public static final String AUTHORITY = "EHR_LAUNCH";

  private final RegisteredClientRepository clients;
  private final PasswordEncoder passwords;

  public EhrClients(RegisteredClientRepository clients, PasswordEncoder passwords) {
    this.clients = clients;
    this.passwords = passwords;
  }

  public static boolean canCreateLaunches(RegisteredClient client) {
    return Boolean.TRUE.equals(client.getClientSettings().getSetting(CAN_CREATE_LAUNCHES));
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    String clientId = authentication.getName();
    Object secret = authentication.getCredentials();
    RegisteredClient client = clientId == null ? null : clients.findByClientId(clientId);
    if (client == null || client.getClientSecret() == null || !(secret instanceof String given)
        || !client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
        || (client.getClientSecretExpiresAt() != null && client.getClientSecretExpiresAt().isBefore(Instant.now()))
        || !passwords.matches(given, client.getClientSecret())) {
      throw new BadCredentialsException("invalid client credentials");
    }
    return UsernamePasswordAuthenticationToken.authenticated(
        client.getClientId(), null,
        canCreateLaunches(client) ? List.of(new SimpleGrantedAuthority(AUTHORITY)) : List.of());
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
  }
}
