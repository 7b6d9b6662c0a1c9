package dev.custodian.server.policy.breakglass;

import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.facts.EmergencyGrant;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The break-the-glass grants in PostgreSQL ({@code custodian_break_glass_grant}, V9): written when a
 * clinician breaks the glass, read by the policy's facts on every decision that needs one. Shared by
 * every server node; nothing is cached, so the end of a window takes effect on the very next request.
 */
public class BreakGlassGrants {

  private static final String COLUMNS = "id, practitioner, patient, purpose, reason, granted_at, expires_at";

  private final JdbcTemplate jdbc;

  public BreakGlassGrants(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Records {@code grant}, made with the token {@code tokenId} of {@code clientId}, and its review item. */
  public void insert(EmergencyGrant grant, String clientId, String tokenId, String reviewTask) {
    jdbc.update(
        "INSERT INTO custodian_break_glass_grant (" + COLUMNS + ", client_id, token_id, review_task)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        UUID.fromString(grant.id()), grant.practitioner(), grant.patient(), grant.purpose().code(), grant.reason(),
        Timestamp.from(grant.grantedAt()), Timestamp.from(grant.expiresAt()), clientId, tokenId, reviewTask);
  }

  /** The patients {@code practitioner} has a grant for in force at {@code at} ({@code Patient/id}). */
  public List<String> patientsInForce(String practitioner, Instant at) {
    Timestamp when = Timestamp.from(at);
    return jdbc.queryForList(
        "SELECT DISTINCT patient FROM custodian_break_glass_grant"
            + " WHERE practitioner = ? AND granted_at <= ? AND expires_at > ?",
        String.class, practitioner, when, when);
  }

  /** The grant of {@code practitioner} for {@code patient} in force at {@code at} that runs longest, if any. */
  public Optional<EmergencyGrant> inForce(String practitioner, String patient, Instant at) {
    Timestamp when = Timestamp.from(at);
    List<EmergencyGrant> found = jdbc.query(
        "SELECT " + COLUMNS + " FROM custodian_break_glass_grant"
            + " WHERE practitioner = ? AND patient = ? AND granted_at <= ? AND expires_at > ?"
            + " ORDER BY expires_at DESC LIMIT 1",
        (row, n) -> new EmergencyGrant(
            row.getString("id"),
            row.getString("practitioner"),
            row.getString("patient"),
            PurposeOfUse.valueOf(row.getString("purpose")),
            row.getString("reason"),
            row.getTimestamp("granted_at").toInstant(),
            row.getTimestamp("expires_at").toInstant()),
        practitioner, patient, when, when);
    return found.stream().findFirst();
  }
}
