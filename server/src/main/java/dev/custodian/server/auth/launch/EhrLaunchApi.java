package dev.custodian.server.auth.launch;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The EHR launch API: a registered EHR ({@link EhrClients}) creates a launch context and gets the
 * opaque {@code launch} value it passes to the app it launches.
 *
 * <pre>
 * POST /auth/launch   (HTTP Basic: the EHR's client id and secret)
 * {"patient": "alice", "encounter": "alice-encounter-1", "client_id": "the-app"}
 * → 200 {"launch": "…", "expires_in": 300, "patient": "alice", "encounter": "alice-encounter-1", "client_id": "the-app"}
 * </pre>
 *
 * {@code patient} must be a Patient on this server; {@code encounter} (optional) an Encounter of that
 * patient; {@code client_id} (optional; default: the EHR itself) the registered app that may redeem
 * the launch. Errors are 400 {@code {"error": "invalid_request", "error_description": …}}.
 */
@RestController
public class EhrLaunchApi {

  public static final String PATH = "/auth/launch";
  private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

  private final LaunchContexts launches;
  private final DaoRegistry daos;
  private final RegisteredClientRepository clients;
  private final ObjectMapper json = new ObjectMapper();

  public EhrLaunchApi(LaunchContexts launches, DaoRegistry daos, RegisteredClientRepository clients) {
    this.launches = launches;
    this.daos = daos;
    this.clients = clients;
  }

  @PostMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Map<String, Object>> create(@RequestBody(required = false) String body, Authentication ehr) {
    JsonNode request;
    try {
      request = body == null || body.isBlank() ? null : json.readTree(body);
    } catch (JsonProcessingException e) {
      request = null;
    }
    if (request == null || !request.isObject()) {
      return invalid("the body must be a JSON object such as {\"patient\": \"alice\"}");
    }
    String patient = id(request, "patient", "Patient/");
    if (patient == null) {
      return invalid("patient must be the id of a Patient");
    }
    if (!exists("Patient", patient)) {
      return invalid("Patient/" + patient + " does not exist on this server");
    }
    String encounter = null;
    if (request.hasNonNull("encounter")) {
      encounter = id(request, "encounter", "Encounter/");
      if (encounter == null) {
        return invalid("encounter must be the id of an Encounter");
      }
      if (!encounterOf(encounter, patient)) {
        return invalid("Encounter/" + encounter + " is not an encounter of Patient/" + patient + " on this server");
      }
    }
    String app = ehr.getName();
    if (request.hasNonNull("client_id")) {
      app = request.get("client_id").isTextual() ? request.get("client_id").asText() : "";
    }
    RegisteredClient client = app.isBlank() ? null : clients.findByClientId(app);
    if (client == null || !client.getAuthorizationGrantTypes().contains(AuthorizationGrantType.AUTHORIZATION_CODE)) {
      return invalid("client_id must name a registered app that signs users in (authorization code)");
    }
    String launch = launches.create(ehr.getName(), app, new LaunchContexts.Context(patient, encounter));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("launch", launch);
    answer.put("expires_in", LaunchContexts.LIFETIME.toSeconds());
    answer.put("patient", patient);
    if (encounter != null) {
      answer.put("encounter", encounter);
    }
    answer.put("client_id", app);
    return ResponseEntity.ok().header("Cache-Control", "no-store").body(answer);
  }

  private static String id(JsonNode request, String field, String prefix) {
    JsonNode node = request.get(field);
    if (node == null || !node.isTextual()) {
      return null;
    }
    String value = node.asText();
    if (value.startsWith(prefix)) {
      value = value.substring(prefix.length());
    }
    return FHIR_ID.matcher(value).matches() ? value : null;
  }

  private boolean exists(String type, String id) {
    return read(type, id) != null;
  }

  private boolean encounterOf(String encounter, String patient) {
    Encounter found = (Encounter) read("Encounter", encounter);
    return found != null && found.hasSubject()
        && ("Patient/" + patient).equals(new IdType(found.getSubject().getReference()).toUnqualifiedVersionless().getValue());
  }

  private org.hl7.fhir.instance.model.api.IBaseResource read(String type, String id) {
    try {
      return daos.getResourceDao(type).read(new IdType(type, id), new SystemRequestDetails());
    } catch (ResourceNotFoundException | ResourceGoneException e) {
      return null;
    }
  }

  private static ResponseEntity<Map<String, Object>> invalid(String description) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("error", "invalid_request");
    error.put("error_description", description);
    return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(error);
  }
}
