package dev.custodian.server.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.List;
import java.util.function.Supplier;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Resource;

/**
 * The policy's fact searches (the CareTeams of a patient, ...), remembered across requests for as
 * long as no fact record has changed: each answer is kept with the {@link FactRecordGeneration} read
 * before its search, and reused only while that is still the current generation. So a revoked
 * consent or an ended care relationship counts from the very next request, on every node, while
 * unchanged ones cost one read of the generation per request instead of a search per question.
 *
 * <p>The remembered records are never handed out: each caller gets copies, so nothing it does to them
 * can reach another request.
 */
final class FactSearches {

  private record Found(long generation, List<IBaseResource> records) {}

  private final FactRecordGeneration generation;
  private final Cache<String, Found> found = Caffeine.newBuilder().maximumSize(10_000).build();

  FactSearches(FactRecordGeneration generation) {
    this.generation = generation;
  }

  /** What {@code search} finds for {@code type?query}, from memory while the fact records are unchanged. */
  List<IBaseResource> find(String type, String query, Supplier<List<IBaseResource>> search) {
    if (!FactRecordGeneration.TYPES.contains(type)) {
      throw new IllegalStateException(type + " is not a fact record type: add it to FactRecordGeneration.TYPES,"
          + " or its changes would go unnoticed");
    }
    // read before the search (the records found are at least this new), once per request: a request
    // is one moment, as for the answers RequestScopedFacts keeps
    long current = RequestScopedFacts.once("fact-generation", generation::current);
    String key = type + "?" + query;
    Found known = found.getIfPresent(key);
    if (known == null || known.generation() != current) {
      known = new Found(current, List.copyOf(search.get()));
      found.put(key, known);
    }
    return known.records().stream().map(record -> (IBaseResource) ((Resource) record).copy()).toList();
  }
}
