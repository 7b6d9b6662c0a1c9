package dev.custodian.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.audit.chain.CanonicalForm;
import dev.custodian.server.audit.store.AuditEventStore;
import dev.custodian.server.support.ServerTestBase;
import dev.custodian.server.support.StoredAuditJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * How an event is stored (V23): its canonical JSON as a zstd frame with the event dictionary in
 * {@code event_deflated}, readable by the zstd tool given the dictionary file, neither compressed
 * again nor moved out of the row by PostgreSQL; events stored as zlib streams (V21, V22) or as text
 * before V21 are still read, and all forms verify in one chain.
 */
class AuditEventStorageFormTest extends ServerTestBase {

  @Autowired JdbcTemplate authJdbcTemplate;
  @Autowired AuditEventStore store;

  @Test
  void anEventIsStoredAsItsCanonicalJsonCompressedInTheRow() {
    AuditEvent event = event("Practitioner/stored-" + UUID.randomUUID());
    store.append(List.of(event));
    String id = event.getIdElement().getIdPart();

    Map<String, Object> row = authJdbcTemplate.queryForMap(
        "select event, event_deflated, octet_length(event_deflated) as length, pg_column_size(event_deflated) as size"
            + " from custodian_audit_event where id = ?::uuid", id);
    assertThat(row.get("event")).isNull();
    // a zstd frame (its magic number, V23)
    assertThat(java.util.Arrays.copyOf((byte[]) row.get("event_deflated"), 4)).containsExactly(0x28, 0xB5, 0x2F, 0xFD);
    String json = StoredAuditJson.json(null, (byte[]) row.get("event_deflated"));
    assertThat(json).isEqualTo(new String(CanonicalForm.of(store.read(id).orElseThrow()), StandardCharsets.UTF_8));
    assertThat(json).contains(event.getAgentFirstRep().getWho().getReference());
    // PostgreSQL keeps the bytes as they are: not compressed again (its size is the bytes and a header)
    assertThat(((Number) row.get("size")).intValue() - ((Number) row.get("length")).intValue()).isBetween(1, 4);
    assertThat(((Number) row.get("length")).intValue()).isLessThan(json.length());
  }

  @Test
  void aLargeEventIsStoredAndReadBack() {
    AuditEvent event = event("Practitioner/large-" + UUID.randomUUID());
    for (int i = 0; i < 400; i++) { // a search answered with many studies: well over a page once compressed
      event.addEntity().setWhat(new Reference("ImagingStudy/" + UUID.randomUUID()));
    }
    store.append(List.of(event));
    AuditEvent read = store.read(event.getIdElement().getIdPart()).orElseThrow();
    assertThat(read.getEntity()).hasSize(401);
    assertThat(read.getEntity().get(400).getWhat().getReference()).isEqualTo(event.getEntity().get(400).getWhat().getReference());
  }

  @Test
  void anEventStoredAsTextBeforeIsStillReadAndVerified() {
    AuditEvent event = event("Practitioner/legacy-" + UUID.randomUUID());
    store.append(List.of(event));
    String id = event.getIdElement().getIdPart();
    // turn the row into the form V5 to V20 stored: the same JSON, as text
    withoutTheAppendOnlyTrigger(() -> authJdbcTemplate.update(
        "update custodian_audit_event set event = convert_from(?, 'UTF8'), event_deflated = null where id = ?::uuid",
        StoredAuditJson.json(null, authJdbcTemplate.queryForObject(
            "select event_deflated from custodian_audit_event where id = ?::uuid", byte[].class, id))
            .getBytes(StandardCharsets.UTF_8), id));
    assertThat(authJdbcTemplate.queryForObject(
        "select event is not null and event_deflated is null from custodian_audit_event where id = ?::uuid", Boolean.class, id))
        .isTrue();

    AuditEvent read = store.read(id).orElseThrow();
    assertThat(read.getAgentFirstRep().getWho().getReference()).isEqualTo(event.getAgentFirstRep().getWho().getReference());
    store.append(List.of(event("Practitioner/after-legacy-" + UUID.randomUUID())));
    var result = new dev.custodian.audit.chain.ChainVerifier(keyId -> null).verify(
        store.inSequence(events -> events.toList()), List.of());
    assertThat(result.valid()).as(result.toString()).isTrue();
  }

  @Test
  void eventsStoredAsZlibStreamsBeforeAreStillReadAndVerified() {
    AuditEvent plain = event("Practitioner/zlib-" + UUID.randomUUID());
    AuditEvent withDictionary = event("Practitioner/zlib-dictionary-" + UUID.randomUUID());
    store.append(List.of(plain, withDictionary));
    // turn the rows into the forms V21 (zlib) and V22 (zlib, preset dictionary) stored: the same JSON
    for (AuditEvent event : List.of(plain, withDictionary)) {
      String id = event.getIdElement().getIdPart();
      String json = StoredAuditJson.json(null, authJdbcTemplate.queryForObject(
          "select event_deflated from custodian_audit_event where id = ?::uuid", byte[].class, id));
      byte[] zlib = event == plain ? StoredAuditJson.deflated(json) : StoredAuditJson.deflatedWithDictionary(json);
      assertThat(zlib[0]).isEqualTo((byte) 0x78);
      withoutTheAppendOnlyTrigger(() -> authJdbcTemplate.update(
          "update custodian_audit_event set event_deflated = ? where id = ?::uuid", zlib, id));
      AuditEvent read = store.read(id).orElseThrow();
      assertThat(read.getAgentFirstRep().getWho().getReference()).isEqualTo(event.getAgentFirstRep().getWho().getReference());
      assertThat(read.getOutcomeDesc()).isNull();
    }
    store.append(List.of(event("Practitioner/after-zlib-" + UUID.randomUUID())));
    var result = new dev.custodian.audit.chain.ChainVerifier(keyId -> null).verify(
        store.inSequence(events -> events.toList()), List.of());
    assertThat(result.valid()).as(result.toString()).isTrue();
  }

  @Test
  void anEventInNeitherOrBothFormsIsRefusedByTheDatabase() {
    AuditEvent event = event("Practitioner/forms-" + UUID.randomUUID());
    store.append(List.of(event));
    String id = event.getIdElement().getIdPart();
    withoutTheAppendOnlyTrigger(() -> {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> authJdbcTemplate.update(
              "update custodian_audit_event set event = '{}' where id = ?::uuid", id))
          .hasMessageContaining("custodian_audit_event_one_form");
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> authJdbcTemplate.update(
              "update custodian_audit_event set event_deflated = null where id = ?::uuid", id))
          .hasMessageContaining("custodian_audit_event_one_form");
    });
  }

  /** Runs {@code change} with the trigger that refuses updates switched off, as an insider could. */
  private void withoutTheAppendOnlyTrigger(Runnable change) {
    authJdbcTemplate.execute("alter table custodian_audit_event disable trigger custodian_audit_event_no_update_or_delete");
    try {
      change.run();
    } finally {
      authJdbcTemplate.execute("alter table custodian_audit_event enable trigger custodian_audit_event_no_update_or_delete");
    }
  }

  private static AuditEvent event(String agent) {
    AuditEvent event = AuditChainRaceTest.event(agent);
    event.addEntity().setWhat(new Reference("Patient/alice"));
    return event;
  }
}
