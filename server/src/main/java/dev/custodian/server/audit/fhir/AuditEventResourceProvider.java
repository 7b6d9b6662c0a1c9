package dev.custodian.server.audit.fhir;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Sort;
import ca.uhn.fhir.rest.api.SortOrderEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import dev.custodian.server.audit.store.AuditEventStore;
import dev.custodian.server.audit.store.AuditQuery;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.IdType;

/**
 * AuditEvent on the FHIR API, served from the audit trail's own store: read and search only. There
 * is no create, update, patch or delete — for anyone — so the trail can only grow by the server's
 * own recording.
 *
 * <p>Search parameters (R4 AuditEvent): {@code patient}, {@code agent}, {@code entity} (references),
 * {@code date} (with prefixes, repeatable), {@code type}, {@code subtype}, {@code action},
 * {@code outcome}, {@code purpose} (tokens; comma = or, repetition = and), {@code _id}, {@code _count}
 * and {@code _sort} ({@code date} or {@code -date}; newest first by default). Anything else is a 400.
 */
public class AuditEventResourceProvider implements IResourceProvider {

  private final AuditEventStore store;
  private final int defaultPageSize;
  private final int maxPageSize;

  public AuditEventResourceProvider(AuditEventStore store, int defaultPageSize, int maxPageSize) {
    this.store = store;
    this.defaultPageSize = defaultPageSize;
    this.maxPageSize = maxPageSize;
  }

  @Override
  public Class<AuditEvent> getResourceType() {
    return AuditEvent.class;
  }

  @Read
  public AuditEvent read(@IdParam IdType id) {
    return store.read(id.getIdPart()).orElseThrow(() -> new ResourceNotFoundException(id));
  }

  @Search
  public IBundleProvider search(
      @OptionalParam(name = AuditEvent.SP_PATIENT) ReferenceAndListParam patient,
      @OptionalParam(name = AuditEvent.SP_AGENT) ReferenceAndListParam agent,
      @OptionalParam(name = AuditEvent.SP_ENTITY) ReferenceAndListParam entity,
      @OptionalParam(name = AuditEvent.SP_DATE) DateRangeParam date,
      @OptionalParam(name = AuditEvent.SP_TYPE) TokenAndListParam type,
      @OptionalParam(name = AuditEvent.SP_SUBTYPE) TokenAndListParam subtype,
      @OptionalParam(name = AuditEvent.SP_ACTION) TokenAndListParam action,
      @OptionalParam(name = AuditEvent.SP_OUTCOME) TokenAndListParam outcome,
      @OptionalParam(name = "purpose") TokenAndListParam purpose,
      @OptionalParam(name = "_id") TokenAndListParam ids,
      @Sort SortSpec sort,
      @Count Integer count) {
    RecordedWindow recorded = RecordedWindow.of(date);
    AuditQuery query = new AuditQuery(
        references(patient, "Patient"), references(agent, null), references(entity, null),
        tokens(type), tokens(subtype), tokens(action), tokens(outcome), tokens(purpose),
        idValues(ids), null, recorded.from(), recorded.to(), oldestFirst(sort));
    int pageSize = count == null || count <= 0 ? defaultPageSize : Math.min(count, maxPageSize);
    return AuditEventPage.fetch(store, query, null, pageSize);
  }

  private static boolean oldestFirst(SortSpec sort) {
    if (sort == null) {
      return false;
    }
    if (!AuditEvent.SP_DATE.equals(sort.getParamName()) || sort.getChain() != null) {
      throw new InvalidRequestException("AuditEvent can be sorted by date only (_sort=date or _sort=-date)");
    }
    return sort.getOrder() != SortOrderEnum.DESC;
  }

  /** Each AND-ed condition as the stored reference forms it may match. */
  private static List<List<String>> references(ReferenceAndListParam param, String impliedType) {
    List<List<String>> conditions = new ArrayList<>();
    if (param == null) {
      return conditions;
    }
    for (ReferenceOrListParam anyOf : param.getValuesAsQueryTokens()) {
      List<String> values = new ArrayList<>();
      for (ReferenceParam reference : anyOf.getValuesAsQueryTokens()) {
        if (reference.getChain() != null || reference.getMissing() != null || reference.getIdPart() == null) {
          throw new InvalidRequestException("AuditEvent reference parameters take a plain reference ([Type/]id)");
        }
        String type = reference.getResourceType() != null ? reference.getResourceType() : impliedType;
        values.add(type == null ? reference.getIdPart() : type + "/" + reference.getIdPart());
      }
      conditions.add(values);
    }
    return conditions;
  }

  /** Each AND-ed condition as the stored token forms ({@code system|code}, {@code code}, {@code system|}). */
  private static List<List<String>> tokens(TokenAndListParam param) {
    List<List<String>> conditions = new ArrayList<>();
    if (param == null) {
      return conditions;
    }
    for (TokenOrListParam anyOf : param.getValuesAsQueryTokens()) {
      List<String> values = new ArrayList<>();
      for (TokenParam token : anyOf.getValuesAsQueryTokens()) {
        if (token.getModifier() != null || token.getMissing() != null) {
          throw new InvalidRequestException("AuditEvent token parameters take no modifiers");
        }
        String code = token.getValue() == null ? "" : token.getValue();
        values.add(token.getSystem() == null ? code : token.getSystem() + "|" + code);
      }
      conditions.add(values);
    }
    return conditions;
  }

  private static List<String> idValues(TokenAndListParam ids) {
    if (ids == null) {
      return List.of();
    }
    List<List<String>> conditions = tokens(ids);
    if (conditions.size() > 1) {
      throw new InvalidRequestException("_id can be given once (use commas for several ids)");
    }
    return conditions.get(0);
  }
}
