package dev.custodian.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custodian.audit.chain.AuditChain;
import dev.custodian.server.audit.chain.AuditCheckpoints;
import dev.custodian.server.support.FhirHttp;
import dev.custodian.server.support.ServerTestBase;
import dev.custodian.server.support.StoredAuditJson;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Parameters;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code $verify-audit-trail} finds the first broken link when a stored event is changed, deleted or
 * reordered behind the server's back (straight in the database, as an insider with database access
 * would), and when the chain is rewritten and rehashed up to a signed checkpoint. Every test puts the
 * trail back as it was: the database is shared with the other tests.
 */
class AuditTrailVerificationTest extends ServerTestBase {

  @Autowired JdbcTemplate authJdbcTemplate;
  @Autowired AuditCheckpoints checkpoints;

  @Test
  void anIntactTrailVerifies() {
    asPatient("alice").get("ImagingStudy?patient=alice");
    checkpoints.signHead();
    Parameters result = verify();
    assertThat(value(result, "valid")).isEqualTo("true");
    assertThat(Long.parseLong(value(result, "eventsVerified"))).isPositive();
    assertThat(Integer.parseInt(value(result, "checkpointsVerified"))).isPositive();
  }

  @Test
  void aChangedEventIsNamed() {
    long sequence = someEarlierSequence();
    tampering(() -> rewrite(sequence, json -> json.replace("\"outcome\":\"", "\"outcomeDesc\":\"fine\",\"outcome\":\"")), () -> {
      Parameters result = verify();
      assertThat(value(result, "valid")).isEqualTo("false");
      assertThat(value(result, "problem")).isEqualTo("HASH_MISMATCH");
      assertThat(value(result, "brokenAt")).isEqualTo(Long.toString(sequence));
    });
    assertThat(value(verify(), "valid")).isEqualTo("true");
  }

  @Test
  void anUnreadableEventIsNamedAndStillListed() {
    long sequence = someEarlierSequence();
    tampering(() -> authJdbcTemplate.update(
        "update custodian_audit_event set event = null, event_deflated = '\\x00010203'::bytea where sequence = ?", sequence), () -> {
      Parameters result = verify();
      assertThat(value(result, "valid")).isEqualTo("false");
      assertThat(value(result, "problem")).isEqualTo("HASH_MISMATCH");
      assertThat(value(result, "brokenAt")).isEqualTo(Long.toString(sequence));
      String id = authJdbcTemplate.queryForObject(
          "select id::text from custodian_audit_event where sequence = ?", String.class, sequence);
      FhirHttp.Response listed = as("audit.gray", "user/AuditEvent.rs").get("AuditEvent?_id=" + id);
      assertThat(listed.status()).as(listed.body()).isEqualTo(200);
      assertThat(listed.body()).contains("cannot be read");
    });
  }

  @Test
  void aDeletedEventIsNamed() {
    long sequence = someEarlierSequence();
    tampering(() -> assertThat(authJdbcTemplate.update("delete from custodian_audit_event where sequence = ?", sequence)).isEqualTo(1), () -> {
      Parameters result = verify();
      assertThat(value(result, "valid")).as(fhirContext.newJsonParser().encodeResourceToString(result)).isEqualTo("false");
      assertThat(value(result, "problem")).isEqualTo("GAP");
      assertThat(value(result, "brokenAt")).isEqualTo(Long.toString(sequence));
    });
  }

  @Test
  void reorderedEventsAreNamed() {
    long sequence = someEarlierSequence();
    tampering(() -> {
      // swap the positions of two neighbours (keys moved out of the way first)
      authJdbcTemplate.update("update custodian_audit_event set sequence = -1 where sequence = ?", sequence);
      authJdbcTemplate.update("update custodian_audit_event set sequence = ? where sequence = ?", sequence, sequence + 1);
      authJdbcTemplate.update("update custodian_audit_event set sequence = ? where sequence = -1", sequence + 1);
    }, () -> {
      Parameters result = verify();
      assertThat(value(result, "valid")).isEqualTo("false");
      assertThat(value(result, "brokenAt")).isEqualTo(Long.toString(sequence));
    });
  }

  @Test
  void aRehashedRewriteIsCaughtByTheSignedCheckpoint() {
    long sequence = someEarlierSequence();
    checkpoints.signHead();
    long checkpointed = authJdbcTemplate.queryForObject("select max(sequence) from custodian_audit_checkpoint", Long.class);
    tampering(() -> {
      // an insider rewrites one event and recomputes every hash after it, up to the head
      String previous = authJdbcTemplate.queryForObject(
          "select previous_hash from custodian_audit_event where sequence = ?", String.class, sequence);
      List<Map<String, Object>> rows = authJdbcTemplate.queryForList(
          "select sequence, event, event_deflated from custodian_audit_event where sequence >= ? order by sequence", sequence);
      for (Map<String, Object> row : rows) {
        long at = ((Number) row.get("sequence")).longValue();
        AuditEvent event = fhirContext.newJsonParser().parseResource(AuditEvent.class, json(row));
        if (at == sequence) {
          event.setOutcomeDesc("nothing to see here");
        }
        String hash = AuditChain.link(event, at, previous).hash();
        String rewritten = fhirContext.newJsonParser().encodeResourceToString(event);
        authJdbcTemplate.update("update custodian_audit_event set event = null, event_deflated = ?, previous_hash = ?, hash = ?"
            + " where sequence = ?", StoredAuditJson.deflated(rewritten), previous, hash, at);
        previous = hash;
      }
    }, () -> {
      Parameters result = verify();
      assertThat(value(result, "valid")).isEqualTo("false");
      assertThat(value(result, "problem")).isEqualTo("CHECKPOINT_MISMATCH");
      assertThat(Long.parseLong(value(result, "brokenAt"))).isBetween(sequence, checkpointed);
    });
  }

  @Test
  void onlyAuditorsVerify() {
    assertThat(as("dr.chen", "user/*.rs").get("$verify-audit-trail").status()).isEqualTo(403);
    assertThat(as("audit.gray", "user/Patient.rs").get("$verify-audit-trail").status()).isEqualTo(403);
    assertThat(http.withBearer("nonsense").get("$verify-audit-trail").status()).isEqualTo(401);
  }

  @Test
  void auditRecordsCannotBeChangedInTheDatabaseEither() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() ->
        authJdbcTemplate.update("update custodian_audit_event set event = event where sequence = 1"))
        .hasMessageContaining("append-only");
    org.assertj.core.api.Assertions.assertThatThrownBy(() ->
        authJdbcTemplate.update("delete from custodian_audit_event where sequence = 1"))
        .hasMessageContaining("append-only");
  }

  private Parameters verify() {
    FhirHttp.Response response = as("audit.gray", "user/AuditEvent.rs").get("$verify-audit-trail");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.resource(Parameters.class);
  }

  private static String value(Parameters parameters, String name) {
    return parameters.getParameter(name).getValue().primitiveValue();
  }

  /** An event well inside the chain (not the newest), with a successor. */
  private long someEarlierSequence() {
    FhirHttp alice = asPatient("alice");
    for (int i = 0; i < 8; i++) {
      alice.get("ImagingStudy?patient=alice");
    }
    return authJdbcTemplate.queryForObject("select max(sequence) - 5 from custodian_audit_event", Long.class);
  }

  /**
   * Runs {@code change} with the append-only triggers off (as an insider with database rights
   * could), then {@code check}, then puts every row and the triggers back. The server keeps
   * appending meanwhile, so the test's own requests are verified against the tampered trail.
   */
  /** Rewrites the stored JSON of event {@code sequence}, in whichever form it is stored. */
  private void rewrite(long sequence, java.util.function.UnaryOperator<String> change) {
    Map<String, Object> row = authJdbcTemplate.queryForMap(
        "select event, event_deflated from custodian_audit_event where sequence = ?", sequence);
    String changed = change.apply(json(row));
    assertThat(changed).isNotEqualTo(json(row));
    assertThat(authJdbcTemplate.update("update custodian_audit_event set event = null, event_deflated = ? where sequence = ?",
        StoredAuditJson.deflated(changed), sequence)).isEqualTo(1);
  }

  private static String json(Map<String, Object> row) {
    return StoredAuditJson.json((String) row.get("event"), (byte[]) row.get("event_deflated"));
  }

  private void tampering(Runnable change, Runnable check) {
    authJdbcTemplate.execute("create table audit_backup_for_test as select * from custodian_audit_event");
    authJdbcTemplate.execute("alter table custodian_audit_event disable trigger user");
    try {
      change.run();
      check.run();
    } finally {
      authJdbcTemplate.execute("delete from custodian_audit_event where sequence in (select sequence from audit_backup_for_test) or sequence < 0");
      authJdbcTemplate.execute("insert into custodian_audit_event select * from audit_backup_for_test");
      authJdbcTemplate.execute("alter table custodian_audit_event enable trigger user");
      authJdbcTemplate.execute("drop table audit_backup_for_test");
    }
  }
}
