package dev.custodian.server.policy.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.minimum.ElementSet;
import dev.custodian.policy.minimum.MinimumNecessary;
import dev.custodian.server.policy.matrix.PolicyTable.Case;
import dev.custodian.server.support.FhirHttp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;

/**
 * Runs one case of the policy table over HTTP and checks its outcome precisely:
 *
 * <ul>
 *   <li>{@code permit}: 200 (201 for a create) and, for what is read, the record equal to the stored
 *       one (metadata aside);</li>
 *   <li>{@code projected}: 200 with only elements of the purpose's minimum-necessary set, labelled
 *       SUBSETTED and REDACTED, while the stored record has elements outside the set;</li>
 *   <li>{@code absent}: the same status and body (ids and timestamps aside) as the same request
 *       about an id that does not exist; a search answers an empty Bundle without a total;</li>
 *   <li>{@code 403}/{@code 405}: that status with an OperationOutcome (405: also what a missing id
 *       gets).</li>
 * </ul>
 */
final class CaseCheck {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MinimumNecessary SETS = MinimumNecessary.loadDefault();
  private static final String LABELS = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";
  private static final AtomicInteger NOTHING = new AtomicInteger();

  private final FhirContext fhir;
  private final MatrixWorld world;
  private final String base;

  CaseCheck(FhirContext fhir, MatrixWorld world, String base) {
    this.fhir = fhir;
    this.world = world;
    this.base = base;
  }

  void run(Case c, FhirHttp as) {
    String reference = world.reference(c.row().target());
    String type = c.row().type();
    String id = reference.substring(type.length() + 1);
    IBaseResource stored = world.stored(reference);
    FhirHttp.Response response = send(as, c.interaction(), type, id, stored);
    String expected = c.expected();
    switch (expected) {
      case "permit" -> permitted(c, response, stored, null);
      case "projected" -> permitted(c, response, stored, c.row().purpose());
      case "absent" -> {
        Missing missing = missing(c, as, type, stored);
        if (c.interaction().equals("search")) {
          assertThat(response.status()).as(response.toString()).isEqualTo(200);
          Bundle bundle = response.bundle();
          assertThat(bundle.getEntry()).as("no entry").isEmpty();
          assertThat(bundle.hasTotal()).as("no total").isFalse();
        } else if (List.of("read", "vread", "history").contains(c.interaction())) {
          assertThat(response.status()).as(response.toString()).isEqualTo(404);
        }
        assertThat(normalized(response.body(), id)).as("like a missing id: " + response + " vs " + missing.response())
            .isEqualTo(normalized(missing.response().body(), missing.id()));
        assertThat(response.status()).isEqualTo(missing.response().status());
      }
      case "400", "403", "405" -> {
        assertThat(response.status()).as(response.toString()).isEqualTo(Integer.parseInt(expected));
        assertThat(response.outcome().getIssueFirstRep().getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
        if (!expected.equals("403")) {
          // refused before any lookup: the same answer as for an id that does not exist
          Missing missing = missing(c, as, type, stored);
          assertThat(normalized(response.body(), id)).isEqualTo(normalized(missing.response().body(), missing.id()));
        }
      }
      default -> throw new IllegalStateException("outcome " + expected);
    }
  }

  /** The answer to the same request about an id that does not exist, and that id. */
  private record Missing(String id, FhirHttp.Response response) {}

  /**
   * The missing id's answer: asked once per role, interaction and type (nobody creates the missing
   * ids), except for updates, which get a fresh id each (a PUT could create it).
   */
  private Missing missing(Case c, FhirHttp as, String type, IBaseResource stored) {
    if (c.interaction().equals("update")) {
      String id = missingId(type);
      return new Missing(id, send(as, "update", type, id, rewritten(stored, id)));
    }
    return missingAnswers.computeIfAbsent(c.row().role() + " " + c.interaction() + " " + type, key -> {
      String id = missingId(type);
      return new Missing(id, send(as, c.interaction(), type, id, rewritten(stored, id)));
    });
  }

  private final java.util.Map<String, Missing> missingAnswers = new java.util.concurrent.ConcurrentHashMap<>();

  private void permitted(Case c, FhirHttp.Response response, IBaseResource stored, String projection) {
    switch (c.interaction()) {
      case "create" -> assertThat(response.status()).as(response.toString()).isEqualTo(201);
      case "update" -> assertThat(response.status()).as(response.toString()).isEqualTo(200);
      case "read", "vread" -> {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        released(response.resource(stored.getClass()), stored, projection);
      }
      case "search", "history" -> {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        Bundle bundle = response.bundle();
        assertThat(bundle.hasTotal()).as("no total").isFalse();
        List<Resource> found = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).toList();
        assertThat(found).as(response.toString()).isNotEmpty()
            .allMatch(r -> r.getIdElement().getIdPart().equals(stored.getIdElement().getIdPart()));
        if (c.interaction().equals("search")) {
          assertThat(found).hasSize(1);
        }
        String version = stored.getIdElement().getVersionIdPart();
        Resource current = found.stream()
            .filter(r -> version == null || version.equals(r.getMeta().getVersionId())
                || version.equals(r.getIdElement().getVersionIdPart()))
            .findFirst().orElse(found.get(0));
        for (Resource r : found) {
          released(r, r == current ? stored : null, projection);
        }
      }
      default -> throw new IllegalStateException(c.interaction());
    }
  }

  /** Whole and equal to the stored record, or (projection) reduced to the purpose's set and labelled. */
  private void released(IBaseResource returned, IBaseResource stored, String projection) {
    List<String> labels = ((Resource) returned).getMeta().getSecurity().stream()
        .filter(coding -> LABELS.equals(coding.getSystem())).map(Coding::getCode).toList();
    if (projection == null) {
      assertThat(labels).as("a whole record carries no projection label").doesNotContain("SUBSETTED", "REDACTED");
      if (stored != null) {
        assertThat(withoutMeta(returned)).isEqualTo(withoutMeta(stored));
      }
      return;
    }
    assertThat(labels).contains("SUBSETTED", "REDACTED");
    String type = fhir.getResourceType(returned);
    ElementSet set = elementSet(projection, type);
    assertThat(topLevel(returned)).as("only the " + projection + " set " + set).allMatch(name -> keeps(set, name));
    if (stored != null) {
      assertThat(topLevel(stored)).as("the stored record has more than the set, so the check means something")
          .anyMatch(name -> !keeps(set, name));
    }
  }

  /**
   * The element set a purpose of the table names: {@code HPAYMT}, {@code HOPERAT}, ... or a business
   * associate's agreement, {@code HOPERAT[<organization id>]}, as the minimum-necessary file keys it.
   */
  private static ElementSet elementSet(String purpose, String type) {
    int bracket = purpose.indexOf('[');
    if (bracket > 0 && purpose.endsWith("]")) {
      return SETS.agreementSet("Organization/" + purpose.substring(bracket + 1, purpose.length() - 1), type).orElseThrow();
    }
    return SETS.elementSet(PurposeOfUse.valueOf(purpose), type).orElseThrow();
  }

  private static boolean keeps(ElementSet set, String jsonName) {
    if (set.keeps(jsonName)) {
      return true;
    }
    // a choice element (effective[x], kept in the file as "effective") appears as effectiveDateTime, ...
    return set.elements().stream().map(e -> e.replace("[x]", ""))
        .anyMatch(e -> jsonName.length() > e.length() && jsonName.startsWith(e)
            && Character.isUpperCase(jsonName.charAt(e.length())));
  }

  private List<String> topLevel(IBaseResource resource) {
    try {
      JsonNode node = JSON.readTree(fhir.newJsonParser().encodeResourceToString(resource));
      java.util.ArrayList<String> names = new java.util.ArrayList<>();
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!name.equals("resourceType")) {
          names.add(name);
        }
      }
      return names;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private String withoutMeta(IBaseResource resource) {
    Resource copy = ((Resource) resource).copy();
    copy.setMeta(null);
    copy.setIdElement(copy.getIdElement().toUnqualifiedVersionless());
    return fhir.newJsonParser().encodeResourceToString(copy);
  }

  private FhirHttp.Response send(FhirHttp as, String interaction, String type, String id, IBaseResource stored) {
    String version = stored.getIdElement().getVersionIdPart();
    return switch (interaction) {
      case "read" -> as.get(type + "/" + id);
      case "vread" -> as.get(type + "/" + id + "/_history/" + (version == null ? "1" : version));
      case "search" -> as.get(type + "?_id=" + id);
      case "history" -> as.get(type + "/" + id + "/_history");
      case "create" -> as.post(type, FhirHttp.FHIR_JSON, as.json(MatrixWorld.copyForCreate(stored)));
      case "update" -> as.put(type + "/" + id, FhirHttp.FHIR_JSON, as.json(unversioned(stored)));
      case "delete" -> as.send(HttpRequest.newBuilder(URI.create(base + "/fhir/" + type + "/" + id))
          .header("Accept", FhirHttp.FHIR_JSON).DELETE());
      default -> throw new IllegalStateException("interaction " + interaction);
    };
  }

  private static IBaseResource unversioned(IBaseResource stored) {
    Resource copy = ((Resource) stored).copy();
    copy.setIdElement(copy.getIdElement().toUnqualifiedVersionless());
    copy.setMeta(null);
    return copy;
  }

  /** The stored record under an id that does not exist (for the request that must answer alike). */
  private static IBaseResource rewritten(IBaseResource stored, String id) {
    Resource copy = (Resource) unversioned(stored);
    copy.setId(id);
    return copy;
  }

  /** An id no record has (AuditEvent ids are UUIDs; a fresh one per case, so that no PUT can hit it). */
  private static String missingId(String type) {
    int n = NOTHING.incrementAndGet();
    return "AuditEvent".equals(type)
        ? String.format("00000000-0000-0000-0000-%012d", n)
        : "mx-nothing-" + n;
  }

  /** The body with the case's id, resource ids and timestamps taken out. */
  static String normalized(String body, String id) {
    return body.replace(id, "ID")
        .replaceAll("\"id\"\\s*:\\s*\"[^\"]*\"", "\"id\":\"\"")
        .replaceAll("\"lastUpdated\"\\s*:\\s*\"[^\"]*\"", "\"lastUpdated\":\"\"");
  }
}
