package dev.custodian.server.audit.fhir;

import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.IPagingProvider;
import dev.custodian.server.audit.store.AuditEventStore;

/**
 * The server's paging provider: audit searches page by their own keyset tokens
 * ({@link AuditEventPage}); every other search pages through HAPI's stored JPA searches.
 */
public class AuditPagingProvider implements IPagingProvider {

  private final IPagingProvider jpaSearches;
  private final AuditEventStore store;

  public AuditPagingProvider(IPagingProvider jpaSearches, AuditEventStore store) {
    this.jpaSearches = jpaSearches;
    this.store = store;
  }

  @Override
  public int getDefaultPageSize() {
    return jpaSearches.getDefaultPageSize();
  }

  @Override
  public int getMaximumPageSize() {
    return jpaSearches.getMaximumPageSize();
  }

  @Override
  public IBundleProvider retrieveResultList(RequestDetails request, String searchId) {
    return searchId != null && searchId.startsWith(AuditPageToken.PREFIX) ? null : jpaSearches.retrieveResultList(request, searchId);
  }

  @Override
  public IBundleProvider retrieveResultList(RequestDetails request, String searchId, String pageId) {
    if (searchId != null && searchId.startsWith(AuditPageToken.PREFIX)) {
      return AuditPageToken.parse(searchId, pageId, getMaximumPageSize())
          .map(token -> (IBundleProvider) AuditEventPage.fetch(store, token.query(), token.afterSequence(), token.pageSize()))
          .orElse(null);
    }
    return jpaSearches.retrieveResultList(request, searchId, pageId);
  }

  @Override
  public String storeResultList(RequestDetails request, IBundleProvider results) {
    if (results instanceof AuditEventPage page) {
      return page.getUuid();
    }
    return jpaSearches.storeResultList(request, results);
  }
}
