package dev.custodian.audit.chain;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import dev.custodian.audit.AuditCodes;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.AuditEvent;

/**
 * The canonical bytes of an AuditEvent, the input of its chain hash.
 *
 * <p>Canonicalization, on a deep copy (the event itself is not changed):
 *
 * <ol>
 *   <li>remove what the store assigns or may rewrite: {@code id}, {@code meta.versionId},
 *       {@code meta.lastUpdated}, {@code meta.source};</li>
 *   <li>remove the chain extension ({@value AuditCodes#EXT_AUDIT_CHAIN}) itself;</li>
 *   <li>encode with HAPI FHIR's R4 JSON parser: no pretty printing, no summary mode, narratives kept,
 *       versions in references kept (HAPI strips them by default), resource id omitted; UTF-8.</li>
 * </ol>
 *
 * HAPI writes elements in the order of the FHIR element definitions and lists in their stored order,
 * so the same content always gives the same bytes, also after a JSON round trip through the store.
 * Nothing is sorted: the order of repeating elements (agents, entities) is part of the content.
 *
 * <p>Events as Custodian builds them are written by {@link DirectEventJson}, which gives the same
 * bytes without HAPI's reflective walk; everything else (and every stored event, as the verifier
 * re-encodes it) goes through HAPI's encoder.
 *
 * <p>The encoder runs on a FHIR context of its own that does not look for in-memory reference
 * targets to contain ({@code autoContainReferenceTargetsWithNoId} off): that walk over every element
 * cost half the encoding, on every audited request, and finds nothing in an AuditEvent, whose
 * references are always plain text (never an in-memory resource). Contained resources that an event
 * does hold are encoded as ever.
 */
public final class CanonicalForm {

  private static final FhirContext CONTEXT = canonicalContext();

  private CanonicalForm() {}

  /** The canonical bytes of {@code event}. */
  public static byte[] of(AuditEvent event) {
    if (!needsCopy(event)) {
      // nothing to remove but the id, which the encoder omits: skip the deep copy (the common case
      // of an event not yet stored, on the request path)
      return DirectEventJson.write(event).orElseGet(() -> parser().encodeResourceToString(event))
          .getBytes(StandardCharsets.UTF_8);
    }
    AuditEvent copy = event.copy();
    copy.setIdElement(null);
    if (copy.hasMeta()) {
      copy.getMeta().setVersionIdElement(null).setLastUpdatedElement(null).setSourceElement(null);
      if (copy.getMeta().isEmpty()) {
        copy.setMeta(null);
      }
    }
    copy.getExtension().removeIf(e -> AuditCodes.EXT_AUDIT_CHAIN.equals(e.getUrl()));
    return parser().encodeResourceToString(copy).getBytes(StandardCharsets.UTF_8);
  }

  private static boolean needsCopy(AuditEvent event) {
    boolean storeMeta = event.hasMeta()
        && (event.getMeta().hasVersionId() || event.getMeta().hasLastUpdated() || event.getMeta().hasSource()
            || event.getMeta().isEmpty());
    return storeMeta || event.getExtension().stream().anyMatch(e -> AuditCodes.EXT_AUDIT_CHAIN.equals(e.getUrl()));
  }

  private static FhirContext canonicalContext() {
    FhirContext context = FhirContext.forR4();
    context.getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
    return context;
  }

  private static IParser parser() {
    IParser parser = CONTEXT.newJsonParser();
    parser.setPrettyPrint(false);
    parser.setSummaryMode(false);
    parser.setSuppressNarratives(false);
    parser.setOmitResourceId(true);
    parser.setStripVersionsFromReferences(false);
    return parser;
  }
}
