package dev.custodian.server.audit.fhir;

import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.server.method.ResponsePage;
import dev.custodian.audit.chain.AuditChain;
import dev.custodian.server.audit.store.AuditEventStore;
import dev.custodian.server.audit.store.AuditQuery;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.InstantType;

/**
 * One page of an auditor's search, fetched eagerly, with keyset paging: the next page starts after
 * this page's last chain sequence, so events recorded while the auditor pages (their own queries
 * among them) never shift or repeat entries. The page link carries the query itself
 * ({@link AuditPageToken}), so any server node can serve the next page.
 */
final class AuditEventPage implements IBundleProvider {

  private final AuditPageToken token;
  private final List<AuditEvent> events;
  private final boolean hasMore;
  private final Date published = new Date();

  private AuditEventPage(AuditPageToken token, List<AuditEvent> events, boolean hasMore) {
    this.token = token;
    this.events = events;
    this.hasMore = hasMore;
  }

  static AuditEventPage fetch(AuditEventStore store, AuditQuery query, Long afterSequence, int pageSize) {
    List<AuditEvent> fetched = store.search(query, afterSequence, pageSize + 1);
    boolean hasMore = fetched.size() > pageSize;
    return new AuditEventPage(
        new AuditPageToken(query, afterSequence, pageSize), List.copyOf(hasMore ? fetched.subList(0, pageSize) : fetched), hasMore);
  }

  @Override
  public String getUuid() {
    return token.searchId();
  }

  @Override
  public String getCurrentPageId() {
    return token.pageId();
  }

  @Override
  public String getNextPageId() {
    if (!hasMore) {
      return null;
    }
    long last = AuditChain.linkOf(events.get(events.size() - 1)).orElseThrow().sequence();
    return token.after(last).pageId();
  }

  @Override
  public IPrimitiveType<Date> getPublished() {
    return new InstantType(published);
  }

  @Override
  public List<IBaseResource> getResources(int fromIndex, int toIndex) {
    return List.copyOf(events);
  }

  @Override
  public List<IBaseResource> getResources(int fromIndex, int toIndex, ResponsePage.ResponsePageBuilder page) {
    page.setTotalRequestedResourcesFetched(events.size());
    return List.copyOf(events);
  }

  @Override
  public Integer preferredPageSize() {
    return token.pageSize();
  }

  /** Unknown: counting would cost as much as the search, and totals are withheld anyway. */
  @Override
  public Integer size() {
    return null;
  }
}
