package dev.custodian.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.server.audit.store.AuditEventStore;
import dev.custodian.server.support.ServerTestBase;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An event's search terms are stored exactly as extracted, whatever characters they hold: quotes,
 * commas, braces and backslashes mean something in PostgreSQL's array literals, and none of them may
 * split, merge or alter a term.
 */
class AuditSearchTermsStorageTest extends ServerTestBase {

  @Autowired JdbcTemplate authJdbcTemplate;
  @Autowired AuditEventStore store;

  @Test
  void termsWithArraySyntaxInThemAreStoredAsTheyAre() {
    String agent = "Practitioner/o'brien,\"x\"{y}\\z " + System.nanoTime();
    AuditEvent event = new AuditEvent();
    event.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", null));
    event.setAction(AuditEvent.AuditEventAction.R);
    event.setRecorded(new Date());
    event.setOutcome(AuditEvent.AuditEventOutcome._0);
    event.addAgent().setWho(new Reference(agent)).setRequestor(true);
    event.addEntity().setWhat(new Reference("Patient/NULL"));
    store.append(List.of(event));

    String id = event.getIdElement().getIdPart();
    List<String> agents = authJdbcTemplate.queryForList(
        "select unnest(agents) from custodian_audit_event where id = ?::uuid", String.class, id);
    assertThat(agents).contains(agent);
    assertThat(authJdbcTemplate.queryForList(
        "select unnest(entities) from custodian_audit_event where id = ?::uuid", String.class, id))
        .contains("Patient/NULL");
    assertThat(authJdbcTemplate.queryForObject(
        "select count(*) from custodian_audit_event where agents && ?::text[]", Integer.class,
        (Object) new String[] {agent})).isEqualTo(1);
  }
}
