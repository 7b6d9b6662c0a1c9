package dev.custodian.server.policy.searchreuse;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.svc.ISearchCoordinatorSvc;
import ca.uhn.fhir.jpa.dao.tx.IHapiTransactionService;
import ca.uhn.fhir.jpa.entity.Search;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import ca.uhn.fhir.rest.server.util.ICachedSearchDetails;
import ca.uhn.fhir.jpa.search.PersistedJpaBundleProviderFactory;
import ca.uhn.fhir.jpa.search.cache.ISearchCacheSvc;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.enforce.Callers;
import dev.custodian.server.policy.FactRecordGeneration;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Lets a search judged by the access policy reuse the stored result of the same search by the same
 * caller, and nobody else's.
 *
 * <p>HAPI stores every search (HFJ_SEARCH, HFJ_SEARCH_RESULT) and, for a while
 * ({@link JpaStorageSettings#getReuseCachedSearchResultsForMillis()}), answers the same query from
 * that store. Under the policy the stored result is already filtered for its caller (the consent
 * service rejects hidden matches before they are stored, so pages stay full), so HAPI's
 * ConsentInterceptor forbids any reuse: each search ran and was stored anew. Here a policy-judged
 * search is stored under a query string that starts with a digest of its caller (every field of the
 * {@link Caller}, its token id included, so its identity, roles, scopes, purpose and launch context)
 * and of the generation of the policy's fact records ({@link FactRecordGeneration}); HAPI's own
 * look-ups (plain query strings, which never start with {@code #}) can never find it, and this class
 * finds it only for the same digest. A stored result is reused only while no FHIR resource has been
 * written since shortly before it was stored ({@link #WRITE_MARGIN}), so a caller's new or changed
 * records show on their next search, as without reuse. Every resource of a reused page is still
 * decided by the policy when it is shown (the consent service's {@code willSeeResource}), so a
 * permission that ended since is enforced on the very next request.
 */
@Interceptor
public final class CallerSearchReuse implements ISearchCoordinatorSvc<JpaPid> {

  /**
   * How long before a stored search a write still prevents its reuse: the time between a write's
   * timestamp and its commit, and the clock difference of nodes, are well inside it.
   */
  public static final Duration WRITE_MARGIN = Duration.ofSeconds(5);

  private static final String KEYED_QUERY = CallerSearchReuse.class.getName() + ".keyedQuery";

  private final ISearchCoordinatorSvc<JpaPid> hapi;
  private final Collaborators collaborators;

  /** The beans this needs besides HAPI's own coordinator, looked up once the context is ready. */
  public interface Collaborators {
    ISearchCacheSvc searchCache();

    PersistedJpaBundleProviderFactory bundleProviders();

    IHapiTransactionService transactions();

    JpaStorageSettings settings();

    FactRecordGeneration generation();

    JdbcTemplate jdbc();
  }

  public CallerSearchReuse(ISearchCoordinatorSvc<JpaPid> hapi, Collaborators collaborators) {
    this.hapi = hapi;
    this.collaborators = collaborators;
  }

  @Override
  public IBundleProvider registerSearch(IFhirResourceDao<?> dao, SearchParameterMap params, String resourceType,
      CacheControlDirective cacheControl, RequestDetails request) {
    String keyed = reusable(params, cacheControl, request) ? keyedQuery(Callers.of(request), params) : null;
    if (keyed == null) {
      return hapi.registerSearch(dao, params, resourceType, cacheControl, request);
    }
    Instant cutoff = Instant.now().minusMillis(collaborators.settings().getReuseCachedSearchResultsForMillis());
    Callable<Optional<Search>> find = () ->
        collaborators.searchCache().findCandidatesForReuse(resourceType, keyed, cutoff, RequestPartitionId.allPartitions());
    Optional<Search> stored = collaborators.transactions().withRequest(request).execute(find);
    if (stored.isPresent() && nothingWrittenSince(stored.get().getCreated().toInstant())) {
      return collaborators.bundleProviders().newInstance(request, stored.get().getUuid());
    }
    request.getUserData().put(KEYED_QUERY, new Keyed(params, keyed));
    return hapi.registerSearch(dao, params, resourceType, cacheControl, request);
  }

  /**
   * Stores a search registered above under its caller's key. After HAPI's ConsentInterceptor, which
   * marks it not reusable (setting the query string also sets the hash it cleared).
   */
  @Hook(value = Pointcut.STORAGE_PRESEARCH_REGISTERED, order = 1000)
  public void registered(RequestDetails request, SearchParameterMap params, ICachedSearchDetails search) {
    Object keyed = request == null ? null : request.getUserData().remove(KEYED_QUERY);
    if (keyed instanceof Keyed known && known.params() == params && search instanceof Search stored) {
      stored.setSearchQueryString(known.query(), RequestPartitionId.allPartitions());
    }
  }

  /** Only where HAPI itself would look for a stored search, and only for a REST search the policy judges. */
  private boolean reusable(SearchParameterMap params, CacheControlDirective cacheControl, RequestDetails request) {
    return request != null
        && request.getRestOperationType() == RestOperationTypeEnum.SEARCH_TYPE
        && Callers.of(request) != null
        && (cacheControl == null || !(cacheControl.isNoCache() || cacheControl.isNoStore()))
        && !params.isLoadSynchronous()
        && !params.isOffsetQuery()
        && params.getEverythingMode() == null
        && collaborators.settings().getReuseCachedSearchResultsForMillis() != null;
  }

  private String keyedQuery(Caller caller, SearchParameterMap params) {
    String who = caller + "\nfacts generation " + collaborators.generation().current();
    return "#caller=" + sha256(who) + " " + params.toNormalizedQueryString();
  }

  private boolean nothingWrittenSince(Instant stored) {
    List<Boolean> written = collaborators.jdbc().queryForList(
        "select exists (select 1 from hfj_resource where res_updated > ?)", Boolean.class,
        Timestamp.from(stored.minus(WRITE_MARGIN)));
    return !written.isEmpty() && Boolean.FALSE.equals(written.get(0));
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private record Keyed(SearchParameterMap params, String query) {}

  @Override
  public void cancelAllActiveSearches() {
    hapi.cancelAllActiveSearches();
  }

  @Override
  public List<JpaPid> getResources(String uuid, int from, int to, RequestDetails request, RequestPartitionId partition) {
    return hapi.getResources(uuid, from, to, request, partition);
  }

  @Override
  public Optional<Integer> getSearchTotal(String uuid, RequestDetails request, RequestPartitionId partition) {
    return hapi.getSearchTotal(uuid, request, partition);
  }
}
