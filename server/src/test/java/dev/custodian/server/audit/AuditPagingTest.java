package dev.custodian.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.audit.chain.AuditChain;
import dev.custodian.server.audit.store.AuditEventStore;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An auditor pages through 100,000 events of one agent: every event exactly once, newest first, and
 * events recorded meanwhile neither shift nor repeat entries; a date window returns exactly its events.
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
    Set<String> seen = new HashSet<>();
    long previousSequence = Long.MAX_VALUE;
    int pages = 0;
    List<String> addedWhilePaging = new ArrayList<>();
    String next = "AuditEvent?agent=" + agent + "&_count=200";
    while (next != null) {
      FhirHttp.Response page = auditor.get(next);
      assertThat(page.status()).as(page.body()).isEqualTo(200);
      Bundle bundle = page.bundle();
      assertThat(bundle.hasTotal()).isFalse();
      for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
        AuditEvent event = (AuditEvent) entry.getResource();
        long sequence = AuditChain.linkOf(event).orElseThrow().sequence();
        assertThat(sequence).as("newest first").isLessThan(previousSequence);
        previousSequence = sequence;
        assertThat(seen.add(event.getIdElement().getIdPart())).as("each event once").isTrue();
      }
      if (++pages == 1) {
        // events recorded while the auditor pages (newer than the first page) must not shift the pages
        List<AuditEvent> newer = List.of(event(agent, Instant.now()), event(agent, Instant.now()));
        store.append(newer);
        newer.forEach(e -> addedWhilePaging.add(e.getIdElement().getIdPart()));
      }
      next = bundle.getLink("next") == null ? null : bundle.getLink("next").getUrl();
    }
    assertThat(pages).isEqualTo(EVENTS / 200);
    assertThat(seen).hasSize(EVENTS).containsAll(appended).doesNotContainAnyElementsOf(addedWhilePaging);

    // a date window: the 500 events recorded in the 500 minutes from START + 1000 minutes
    Instant from = START.plusSeconds(60L * 1000);
    Instant to = START.plusSeconds(60L * 1500);
    int inWindow = 0;
    next = "AuditEvent?agent=" + agent + "&date=ge" + from + "&date=lt" + to + "&_count=200&_sort=date";
    while (next != null) {
      Bundle bundle = auditor.get(next).bundle();
      for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
        Instant recorded = ((AuditEvent) entry.getResource()).getRecorded().toInstant();
        assertThat(recorded).isAfterOrEqualTo(from).isBefore(to);
        inWindow++;
      }
      next = bundle.getLink("next") == null ? null : bundle.getLink("next").getUrl();
    }
    assertThat(inWindow).isEqualTo(500);
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
