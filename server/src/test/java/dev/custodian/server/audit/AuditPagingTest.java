package dev.custodian.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.audit.store.AuditEventStore;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An auditor's searches over 100,000 events of one agent: the newest pages are exactly the newest
 * events, and events recorded meanwhile neither shift nor repeat entries; a date window in the middle
 * returns exactly its 10,000 events over 50 pages, each once, in order. (Walking all 500 pages adds
 * nothing the window does not show and costs minutes on a 2-core machine.)
 */
class AuditPagingTest extends ServerTestBase {

  private static final int EVENTS = 100_000;
  private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

  @Autowired AuditEventStore store;

  @Test
  void anAuditorPagesThroughAHundredThousandEvents() {
    String agent = "Practitioner/bulk-" + UUID.randomUUID();
    List<String> appended = new ArrayList<>(EVENTS);
    for (int batch = 0; batch < EVENTS / 1000; batch++) {
      List<AuditEvent> events = new ArrayList<>(1000);
      for (int i = 0; i < 1000; i++) {
        events.add(event(agent, START.plusSeconds(60L * (batch * 1000 + i))));
      }
      store.append(events);
      events.forEach(e -> appended.add(e.getIdElement().getIdPart()));
    }

    FhirHttp auditor = as("audit.gray", "user/AuditEvent.rs");

    // newest first: the first pages hold exactly the newest events, in order, even though newer events
    // are recorded after the first page was served
    List<String> newestFirst = new ArrayList<>(appended);
    java.util.Collections.reverse(newestFirst);
    String next = "AuditEvent?agent=" + agent + "&_count=200";
    List<String> addedWhilePaging = new ArrayList<>();
    List<String> served = new ArrayList<>();
    for (int page = 0; page < 5; page++) {
      Bundle bundle = page(auditor, next);
      bundle.getEntry().forEach(e -> served.add(e.getResource().getIdElement().getIdPart()));
      if (page == 0) {
        List<AuditEvent> newer = List.of(event(agent, Instant.now()), event(agent, Instant.now()));
        store.append(newer);
        newer.forEach(e -> addedWhilePaging.add(e.getIdElement().getIdPart()));
      }
      next = bundle.getLink("next").getUrl();
    }
    assertThat(served).containsExactlyElementsOf(newestFirst.subList(0, 1000)).doesNotContainAnyElementsOf(addedWhilePaging);

    // a date window in the middle of the 100,000: minutes 50,000 to 60,000 — exactly those 10,000 events,
    // oldest first, each once, over 50 pages
    Instant from = START.plusSeconds(60L * 50_000);
    Instant to = START.plusSeconds(60L * 60_000);
    List<String> inWindow = new ArrayList<>();
    int pages = 0;
    next = "AuditEvent?agent=" + agent + "&date=ge" + from + "&date=lt" + to + "&_count=200&_sort=date";
    while (next != null) {
      Bundle bundle = page(auditor, next);
      pages++;
      for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
        Instant recorded = ((AuditEvent) entry.getResource()).getRecorded().toInstant();
        assertThat(recorded).isAfterOrEqualTo(from).isBefore(to);
        inWindow.add(entry.getResource().getIdElement().getIdPart());
      }
      next = bundle.getLink("next") == null ? null : bundle.getLink("next").getUrl();
    }
    assertThat(inWindow).containsExactlyElementsOf(appended.subList(50_000, 60_000));
    assertThat(pages).isEqualTo(50);
  }

  private static Bundle page(FhirHttp auditor, String url) {
    FhirHttp.Response page = auditor.get(url);
    assertThat(page.status()).as(page.body()).isEqualTo(200);
    Bundle bundle = page.bundle();
    assertThat(bundle.hasTotal()).isFalse();
    return bundle;
  }

  private static AuditEvent event(String agent, Instant recorded) {
    AuditEvent event = new AuditEvent();
    event.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
    event.addSubtype(new Coding("http://hl7.org/fhir/restful-interaction", "read", "read"));
    event.setAction(AuditEvent.AuditEventAction.R);
    event.setRecorded(Date.from(recorded));
    event.setOutcome(AuditEvent.AuditEventOutcome._0);
    event.addAgent().setWho(new Reference(agent)).setRequestor(true);
    event.addEntity().setWhat(new Reference("ImagingStudy/alice-ct-chest"));
    return event;
  }
}
