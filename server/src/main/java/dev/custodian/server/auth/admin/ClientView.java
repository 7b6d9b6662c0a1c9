package dev.custodian.server.auth.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custodian.server.auth.admin.ClientRegistrationRequest.ClientType;
import dev.custodian.server.auth.backend.BackendClients;
import dev.custodian.server.auth.launch.EhrClients;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/** A registered client as the admin API shows it (never its secret or secret hash). */
final class ClientView {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ClientView() {}

  static ClientType type(RegisteredClient client) {
    if (BackendClients.isBackendClient(client)) {
      return ClientType.BACKEND;
    }
    return client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE)
        ? ClientType.PUBLIC : ClientType.CONFIDENTIAL;
  }

  static Map<String, Object> of(RegisteredClient client) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("client_id", client.getClientId());
    view.put("client_name", client.getClientName());
    view.put("type", type(client).value());
    view.put("client_id_issued_at", String.valueOf(client.getClientIdIssuedAt()));
    view.put("token_endpoint_auth_methods",
        new TreeSet<>(client.getClientAuthenticationMethods().stream().map(ClientAuthenticationMethod::getValue).toList()));
    view.put("grant_types",
        new TreeSet<>(client.getAuthorizationGrantTypes().stream().map(AuthorizationGrantType::getValue).toList()));
    view.put("scope", String.join(" ", new TreeSet<>(client.getScopes())));
    if (!client.getRedirectUris().isEmpty()) {
      view.put("redirect_uris", new TreeSet<>(client.getRedirectUris()));
    }
    if (type(client) == ClientType.CONFIDENTIAL) {
      view.put("can_create_launches", EhrClients.canCreateLaunches(client));
    }
    if (BackendClients.organization(client) != null) {
      view.put("organization", BackendClients.organization(client));
    }
    String jwks = BackendClients.inlineJwks(client);
    if (jwks != null) {
      try {
        view.put("jwks", JSON.readTree(jwks));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        view.put("jwks", jwks);
      }
    }
    if (client.getClientSettings().getJwkSetUrl() != null) {
      view.put("jwks_uri", client.getClientSettings().getJwkSetUrl());
    }
    return view;
  }
}
