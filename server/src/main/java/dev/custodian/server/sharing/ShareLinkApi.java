package dev.custodian.server.sharing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custodian.policy.caller.Caller;
import dev.custodian.server.policy.CallerFromToken;
import java.time.Duration;
import java.time.Instant;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The owner's share-link API, bearer tokens of this server only ({@code SecurityConfig}):
 *
 * <pre>
 * POST   /api/share-links        {"patient": "alice", "studies": ["ImagingStudy/alice-ct-chest"],
 *                                 "expiresIn": "P2D" | "expiresAt": "2026-12-01T00:00:00Z",
 *                                 "maxUses": 1, "recipientLabel": "Dr. Osei, second opinion",
 *                                 "purpose": "PATRQT", "pin": "4711", "recipient": "Practitioner/x"}
 *        → 201 {"id", "url", "expiresAt", ...}   (the URL is shown once; only its hash is kept)
 * GET    /api/share-links        → 200 {"links": [...]}   the caller's links (a patient or her
 *                                 representative: also those of her records)
 * DELETE /api/share-links/{id}   → 200 the revoked link; 404 if there is no such link of the caller's
 * POST   /api/share-links/{id}/reissue → 200 {"id", "url", ...} a fresh token for a link in force
 *                                 (the old one and its sessions stop working; shown once); the patient's
 *                                 (or her representative's) links only;
 *                                 404 alike for no such link, another's, and one no longer in force
 * </pre>
 *
 * Errors are {@code {"error", "error_description"}}: 400 bad input, 401 no valid token, 404 a study
 * that does not exist or that the caller may not share (never told apart).
 */
@RestController
public class ShareLinkApi {

  public static final String PATH = "/api/share-links";

  private final ShareLinkService links;
  private final CallerFromToken callers = new CallerFromToken();
  private final ObjectMapper json = new ObjectMapper();

  public ShareLinkApi(ShareLinkService links) {
    this.links = links;
  }

  @PostMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Map<String, Object>> create(@RequestBody(required = false) String body, Authentication token) {
    Caller caller = caller(token);
    if (caller == null) {
      return error(403, "forbidden", "this token does not identify a caller");
    }
    JsonNode request;
    try {
      request = body == null || body.isBlank() ? null : json.readTree(body);
    } catch (JsonProcessingException malformed) {
      request = null;
    }
    if (request == null || !request.isObject()) {
      return error(400, "invalid_request", "the body must be a JSON object such as "
          + "{\"studies\": [\"ImagingStudy/x\"], \"expiresIn\": \"P1D\"}");
    }
    try {
      String patient = text(request, "patient");
      if (patient == null) {
        patient = links.patientOf(caller); // a patient's own, or the one her representative acts for
      }
      if (patient == null) {
        throw ShareLinkException.badRequest("patient is required");
      }
      CreatedLink created = links.create(caller, patient, studies(request), expiry(request), maxUses(request),
          text(request, "recipientLabel"), text(request, "purpose"), text(request, "pin"), text(request, "recipient"));
      Map<String, Object> answer = view(created.link());
      answer.put("url", created.url());
      return ResponseEntity.status(201).body(answer);
    } catch (ShareLinkException refused) {
      return error(refused.status(), refused.status() == 404 ? "not_found" : "invalid_request", refused.getMessage());
    }
  }

  @GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Map<String, Object>> list(Authentication token) {
    Caller caller = caller(token);
    if (caller == null) {
      return error(403, "forbidden", "this token does not identify a caller");
    }
    List<Map<String, Object>> views = new ArrayList<>();
    try {
      links.list(caller).forEach(link -> views.add(view(link)));
    } catch (ShareLinkException notRecorded) {
      return error(notRecorded.status(), "not_recorded", notRecorded.getMessage());
    }
    return ResponseEntity.ok(Map.of("links", views));
  }

  @DeleteMapping(path = PATH + "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Map<String, Object>> revoke(@PathVariable String id, Authentication token) {
    Caller caller = caller(token);
    if (caller == null) {
      return error(403, "forbidden", "this token does not identify a caller");
    }
    try {
      return ResponseEntity.ok(view(links.revoke(caller, id)));
    } catch (ShareLinkException refused) {
      return error(refused.status(), "not_found", refused.getMessage());
    }
  }

  @PostMapping(path = PATH + "/{id}/reissue", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Map<String, Object>> reissue(@PathVariable String id, Authentication token) {
    Caller caller = caller(token);
    if (caller == null) {
      return error(403, "forbidden", "this token does not identify a caller");
    }
    if (ShareLinkService.parseId(id) == null) {
      return error(400, "invalid_request", "the link id must be a UUID");
    }
    try {
      CreatedLink reissued = links.reissue(caller, id);
      Map<String, Object> answer = view(reissued.link());
      answer.put("url", reissued.url());
      return ResponseEntity.ok(answer);
    } catch (ShareLinkException refused) {
      return error(refused.status(), "not_found", refused.getMessage());
    }
  }

  private Caller caller(Authentication token) {
    if (token instanceof JwtAuthenticationToken jwt) {
      try {
        return callers.caller(jwt.getToken());
      } catch (RuntimeException invalid) {
        return null;
      }
    }
    return null;
  }

  private static Map<String, Object> view(ShareLink link) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", link.id().toString());
    view.put("state", link.state(Instant.now()));
    view.put("patient", link.patient());
    view.put("studies", link.studies());
    view.put("shared", link.data());
    view.put("createdBy", link.creator());
    view.put("createdAt", link.createdAt().toString());
    view.put("expiresAt", link.expiresAt().toString());
    view.put("maxUses", link.maxUses());
    view.put("uses", link.uses());
    view.put("recipientLabel", link.recipientLabel());
    view.put("recipient", link.recipient());
    view.put("purpose", link.purpose());
    view.put("pin", link.hasPin());
    view.put("consent", link.consent());
    view.put("revokedAt", link.revokedAt() == null ? null : link.revokedAt().toString());
    view.put("revokedReason", link.revokedReason());
    return view;
  }

  private static List<String> studies(JsonNode request) {
    JsonNode studies = request.get("studies");
    if (studies == null || !studies.isArray()) {
      throw ShareLinkException.badRequest("studies must be an array of ImagingStudy references");
    }
    List<String> references = new ArrayList<>();
    for (JsonNode study : studies) {
      if (!study.isTextual()) {
        throw ShareLinkException.badRequest("studies must be an array of ImagingStudy references");
      }
      references.add(study.asText());
    }
    return references;
  }

  private static Instant expiry(JsonNode request) {
    String at = text(request, "expiresAt");
    String in = text(request, "expiresIn");
    try {
      if (at != null && in == null) {
        return Instant.parse(at);
      }
      if (in != null && at == null) {
        return Instant.now().plus(Duration.parse(in));
      }
    } catch (DateTimeException | ArithmeticException malformed) { // (unparseable, or past the end of time)
      throw ShareLinkException.badRequest("expiresAt must be an instant (2026-12-01T00:00:00Z), expiresIn an ISO 8601 duration (PT2H, P7D)");
    }
    throw ShareLinkException.badRequest("give exactly one of expiresAt (an instant) and expiresIn (an ISO 8601 duration)");
  }

  private static Integer maxUses(JsonNode request) {
    JsonNode uses = request.get("maxUses");
    if (uses == null || uses.isNull()) {
      return null;
    }
    if (!uses.canConvertToInt() || !uses.isIntegralNumber()) {
      throw ShareLinkException.badRequest("maxUses must be a whole number");
    }
    return uses.asInt();
  }

  private static String text(JsonNode request, String field) {
    JsonNode value = request.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw ShareLinkException.badRequest(field + " must be a string");
    }
    return value.asText();
  }

  private static ResponseEntity<Map<String, Object>> error(int status, String error, String description) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("error_description", description);
    return ResponseEntity.status(status).body(body);
  }
}
