package dev.custodian.server.auth.admin;

import dev.custodian.server.audit.ClientRegistrationEvents;
import dev.custodian.server.auth.AuthProperties;
import dev.custodian.server.auth.DemoAccounts;
import dev.custodian.server.auth.admin.ClientRegistrationRequest.ClientType;
import dev.custodian.server.auth.admin.ClientRegistrationRequest.InvalidRegistration;
import dev.custodian.server.auth.backend.BackendClients;
import dev.custodian.server.auth.launch.EhrClients;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

/**
 * Registers, changes and removes SMART clients for the admin API, in Spring Authorization Server's
 * client table (so a client works in the real flows at once, on every node). Secrets of
 * confidential clients are generated here, returned once and stored only as a hash (the server's
 * {@link PasswordEncoder}, as Spring Authorization Server checks them). Every change is audited.
 */
public class ClientRegistrations {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final RegisteredClientRepository clients;
  private final OAuth2AuthorizationService authorizations;
  private final JdbcTemplate jdbc;
  private final PasswordEncoder passwords;
  private final AuthProperties properties;
  private final ClientRegistrationEvents audit;
  private final OrganizationCheck organizations;

  /** Whether an Organization exists on this server (a backend client must belong to one). */
  public interface OrganizationCheck {
    boolean exists(String organizationReference);
  }

  public ClientRegistrations(RegisteredClientRepository clients, OAuth2AuthorizationService authorizations,
      JdbcTemplate jdbc, PasswordEncoder passwords, AuthProperties properties, ClientRegistrationEvents audit,
      OrganizationCheck organizations) {
    this.clients = clients;
    this.authorizations = authorizations;
    this.jdbc = jdbc;
    this.passwords = passwords;
    this.properties = properties;
    this.audit = audit;
    this.organizations = organizations;
  }

  /** A registered client and, right after creating a confidential one, its secret (shown once). */
  public record Registered(RegisteredClient client, String secret) {}

  /** Registers a new client; a taken client_id is an {@link ClientIdTaken}. */
  public Registered create(ClientRegistrationRequest request, String admin) {
    if (request.clientId() == null) {
      request = request.withClientId("app-" + UUID.randomUUID());
    }
    if (clients.findByClientId(request.clientId()) != null) {
      throw new ClientIdTaken(request.clientId());
    }
    String secret = request.type() == ClientType.CONFIDENTIAL ? newSecret() : null;
    RegisteredClient client = build(UUID.randomUUID().toString(), request, secret == null ? null : passwords.encode(secret));
    try {
      clients.save(client);
    } catch (org.springframework.dao.DuplicateKeyException raced) {
      throw new ClientIdTaken(request.clientId());
    }
    audit.changed(admin, client.getClientId(), "created", describe(client));
    return new Registered(client, secret);
  }

  /** Replaces a client's registration; its type and secret stay. Null when there is no such client. */
  public RegisteredClient update(String clientId, ClientRegistrationRequest request, String admin) {
    RegisteredClient existing = clients.findByClientId(clientId);
    if (existing == null) {
      return null;
    }
    if (ClientView.type(existing) != request.type()) {
      throw new InvalidRegistration("type cannot change (it is " + ClientView.type(existing).value()
          + "); delete the client and register a new one");
    }
    RegisteredClient updated = RegisteredClient.from(build(existing.getId(), request, existing.getClientSecret()))
        .clientIdIssuedAt(existing.getClientIdIssuedAt())
        .build();
    clients.save(updated);
    audit.changed(admin, clientId, "updated", describe(updated));
    return updated;
  }

  /**
   * Removes a client: first every grant made to it (its tokens stop working at once, each
   * revocation audited) and the consents given to it, then the client. False when there is none.
   */
  public boolean delete(String clientId, String admin) {
    RegisteredClient client = clients.findByClientId(clientId);
    if (client == null) {
      return false;
    }
    for (String id : jdbc.queryForList(
        "select id from oauth2_authorization where registered_client_id = ?", String.class, client.getId())) {
      OAuth2Authorization grant = authorizations.findById(id);
      if (grant != null) {
        authorizations.remove(grant);
      }
    }
    jdbc.update("delete from oauth2_authorization_consent where registered_client_id = ?", client.getId());
    jdbc.update("delete from oauth2_registered_client where id = ?", client.getId());
    audit.changed(admin, clientId, "deleted", describe(client));
    return true;
  }

  public RegisteredClient find(String clientId) {
    return clients.findByClientId(clientId);
  }

  /** Every registered client, by client id. */
  public List<RegisteredClient> all() {
    return jdbc.queryForList("select client_id from oauth2_registered_client order by client_id", String.class)
        .stream().map(clients::findByClientId).filter(java.util.Objects::nonNull).toList();
  }

  private RegisteredClient build(String id, ClientRegistrationRequest request, String secretHash) {
    if (request.type() == ClientType.BACKEND) {
      if (!organizations.exists(request.organization())) {
        throw new InvalidRegistration(request.organization() + " does not exist on this server");
      }
      try {
        RegisteredClient backend = request.jwks() != null
            ? BackendClients.withJwks(request.clientId(), request.name(), request.organization(), request.scopes(), request.jwks())
            : BackendClients.withJwksUri(request.clientId(), request.name(), request.organization(), request.scopes(), request.jwksUri());
        return RegisteredClient.from(backend).id(id).build();
      } catch (IllegalArgumentException e) {
        throw new InvalidRegistration(e.getMessage());
      }
    }
    RegisteredClient.Builder builder = RegisteredClient.withId(id)
        .clientId(request.clientId())
        .clientName(request.name())
        .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
        .authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
        .redirectUris(uris -> uris.addAll(request.redirectUris()))
        .scopes(scopes -> scopes.addAll(request.scopes()))
        .tokenSettings(DemoAccounts.tokenSettings(properties));
    ClientSettings.Builder settings = ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false);
    if (request.type() == ClientType.PUBLIC) {
      builder.clientAuthenticationMethod(ClientAuthenticationMethod.NONE);
    } else {
      builder.clientSecret(secretHash)
          .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
          .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST);
      if (request.canCreateLaunches()) {
        settings.setting(EhrClients.CAN_CREATE_LAUNCHES, true);
      }
    }
    return builder.clientSettings(settings.build()).build();
  }

  /** 256 random bits, URL-safe: the secret a confidential client authenticates with. */
  private static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String describe(RegisteredClient client) {
    return ClientView.type(client).value() + " client \"" + client.getClientName() + "\", scopes "
        + String.join(" ", new java.util.TreeSet<>(client.getScopes()))
        + (client.getRedirectUris().isEmpty() ? "" : ", redirect URIs " + String.join(" ", client.getRedirectUris()))
        + (BackendClients.organization(client) == null ? "" : ", " + BackendClients.organization(client));
  }

  /** The client_id is already registered. */
  public static final class ClientIdTaken extends RuntimeException {
    public ClientIdTaken(String clientId) {
      super("client_id " + clientId + " is already registered");
    }
  }
}
