package dev.custodian.server.auth.admin;

import dev.custodian.server.auth.admin.ClientRegistrationRequest.InvalidRegistration;
import dev.custodian.server.auth.admin.ClientRegistrations.ClientIdTaken;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The client admin API, for administrators only (a bearer token of a user with the ADMIN role, see
 * {@link ClientAdminConfig}):
 *
 * <pre>
 * POST   /auth/clients             register  → 201 the client (+ client_secret, once, if confidential)
 * GET    /auth/clients             list
 * GET    /auth/clients/{clientId}  read
 * PUT    /auth/clients/{clientId}  replace its registration (not its type or secret)
 * DELETE /auth/clients/{clientId}  remove it, revoking every grant made to it → 204
 * </pre>
 *
 * Bad input is {@code 400 {"error": "invalid_client_metadata", "error_description": …}} (RFC 7591's
 * code), a taken client_id 409, an unknown one 404.
 */
@RestController
public class ClientAdminApi {

  public static final String PATH = "/auth/clients";

  private final ClientRegistrations registrations;

  public ClientAdminApi(ClientRegistrations registrations) {
    this.registrations = registrations;
  }

  @PostMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Map<String, Object>> register(@RequestBody(required = false) String body, Authentication admin) {
    ClientRegistrations.Registered registered = registrations.create(ClientRegistrationRequest.parse(body), admin.getName());
    Map<String, Object> answer = ClientView.of(registered.client());
    if (registered.secret() != null) {
      answer.put("client_secret", registered.secret());
      answer.put("client_secret_note", "shown only now; Custodian keeps only a hash of it");
    }
    return ResponseEntity.status(HttpStatus.CREATED).header("Cache-Control", "no-store")
        .header("Location", PATH + "/" + registered.client().getClientId()).body(answer);
  }

  @GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<List<Map<String, Object>>> list() {
    return ResponseEntity.ok().header("Cache-Control", "no-store")
        .body(registrations.all().stream().map(ClientView::of).toList());
  }

  @GetMapping(path = PATH + "/{clientId}", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Map<String, Object>> read(@PathVariable("clientId") String clientId) {
    RegisteredClient client = registrations.find(clientId);
    return client == null ? notFound(clientId) : ResponseEntity.ok().header("Cache-Control", "no-store").body(ClientView.of(client));
  }

  @PutMapping(path = PATH + "/{clientId}", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Map<String, Object>> update(@PathVariable("clientId") String clientId,
      @RequestBody(required = false) String body, Authentication admin) {
    if (registrations.find(clientId) == null) {
      return notFound(clientId);
    }
    ClientRegistrationRequest request = ClientRegistrationRequest.parse(body);
    if (request.clientId() != null && !request.clientId().equals(clientId)) {
      throw new InvalidRegistration("client_id in the body must be the one in the path, " + clientId);
    }
    RegisteredClient updated = registrations.update(clientId, request.withClientId(clientId), admin.getName());
    return updated == null ? notFound(clientId) : ResponseEntity.ok().body(ClientView.of(updated));
  }

  @DeleteMapping(PATH + "/{clientId}")
  public ResponseEntity<Map<String, Object>> delete(@PathVariable("clientId") String clientId, Authentication admin) {
    return registrations.delete(clientId, admin.getName()) ? ResponseEntity.noContent().build() : notFound(clientId);
  }

  @ExceptionHandler(InvalidRegistration.class)
  public ResponseEntity<Map<String, Object>> invalid(InvalidRegistration e) {
    return error(HttpStatus.BAD_REQUEST, "invalid_client_metadata", e.getMessage());
  }

  @ExceptionHandler(ClientIdTaken.class)
  public ResponseEntity<Map<String, Object>> taken(ClientIdTaken e) {
    return error(HttpStatus.CONFLICT, "invalid_client_metadata", e.getMessage());
  }

  private static ResponseEntity<Map<String, Object>> notFound(String clientId) {
    return error(HttpStatus.NOT_FOUND, "not_found", "no client is registered with that client_id");
  }

  private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String code, String description) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("error", code);
    error.put("error_description", description);
    return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(error);
  }
}
