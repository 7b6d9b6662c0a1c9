package dev.custodian.server.sharing;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * Share links and their sessions in PostgreSQL ({@code custodian_share_link},
 * {@code custodian_share_session}). Every state change is one conditional UPDATE, so that server nodes
 * sharing the database agree: a use is counted only while uses &lt; max_uses, a PIN failure burns the
 * link at the limit, and a revoked link stays revoked.
 */
class ShareLinkStore {

  private static final String COLUMNS = "id, patient, studies, data, creator, creator_client, created_at, expires_at,"
      + " max_uses, uses, recipient_label, recipient, purpose, pin_hash, pin_failures, consent, revoked_at, revoked_reason";
  private static final String LINK = "SELECT " + COLUMNS + " FROM custodian_share_link";

  private final JdbcTemplate jdbc;

  ShareLinkStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  void insert(ShareLink link, byte[] tokenHash) {
    jdbc.update(connection -> {
      var insert = connection.prepareStatement("INSERT INTO custodian_share_link (" + COLUMNS + ", token_hash)"
          + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
      insert.setObject(1, link.id());
      insert.setString(2, link.patient());
      insert.setArray(3, connection.createArrayOf("text", link.studies().toArray()));
      insert.setArray(4, connection.createArrayOf("text", link.data().toArray()));
      insert.setString(5, link.creator());
      insert.setString(6, link.creatorClient());
      insert.setTimestamp(7, Timestamp.from(link.createdAt()));
      insert.setTimestamp(8, Timestamp.from(link.expiresAt()));
      insert.setInt(9, link.maxUses());
      insert.setInt(10, link.uses());
      insert.setString(11, link.recipientLabel());
      insert.setString(12, link.recipient());
      insert.setString(13, link.purpose());
      insert.setString(14, link.pinHash());
      insert.setInt(15, link.pinFailures());
      insert.setString(16, link.consent());
      insert.setTimestamp(17, null);
      insert.setString(18, null);
      insert.setBytes(19, tokenHash);
      return insert;
    });
  }

  Optional<ShareLink> byTokenHash(byte[] tokenHash) {
    return jdbc.query(LINK + " WHERE token_hash = ?", ROW, (Object) tokenHash).stream().findFirst();
  }

  Optional<ShareLink> byId(UUID id) {
    return jdbc.query(LINK + " WHERE id = ?", ROW, id).stream().findFirst();
  }

  /** The links {@code owner} created, and (for a patient) the links of her records, newest first. */
  List<ShareLink> ownedBy(String owner, String patient) {
    return jdbc.query(LINK + " WHERE creator = ? OR patient = ? ORDER BY created_at DESC LIMIT 500", ROW, owner,
        patient == null ? "" : patient);
  }

  /**
   * Counts one use of an active link: true if this call got it (uses was below max_uses, the link
   * neither revoked nor expired at {@code now}); atomic across nodes.
   */
  boolean consumeUse(UUID id, Instant now) {
    return !jdbc.queryForList("UPDATE custodian_share_link SET uses = uses + 1 WHERE id = ? AND revoked_at IS NULL"
        + " AND expires_at > ? AND uses < max_uses RETURNING id", UUID.class, id, Timestamp.from(now)).isEmpty();
  }

  /** Records a wrong PIN; at {@code limit} failures the link is revoked. Returns the failures so far (0: already burnt). */
  int recordPinFailure(UUID id, int limit, Instant now) {
    List<Integer> failures = jdbc.queryForList("UPDATE custodian_share_link SET pin_failures = pin_failures + 1,"
        + " revoked_at = CASE WHEN pin_failures + 1 >= ? THEN ? ELSE revoked_at END,"
        + " revoked_reason = CASE WHEN pin_failures + 1 >= ? THEN 'too many wrong PINs' ELSE revoked_reason END"
        + " WHERE id = ? AND revoked_at IS NULL RETURNING pin_failures", Integer.class,
        limit, Timestamp.from(now), limit, id);
    return failures.isEmpty() ? 0 : failures.get(0);
  }

  /**
   * Replaces the token hash of a link that is still in force at {@code now} (not revoked, not
   * expired, not used up): the old token stops working at once, on every node, and so do the sessions
   * opened with it (they end now). False if the link is not in force (or does not exist).
   */
  boolean replaceTokenHash(UUID id, byte[] tokenHash, Instant now) {
    Timestamp at = Timestamp.from(now);
    // one statement: the new hash and the end of the sessions opened with the old token, or neither
    Integer replaced = jdbc.queryForObject("WITH replaced AS (UPDATE custodian_share_link SET token_hash = ?"
        + " WHERE id = ? AND revoked_at IS NULL AND expires_at > ? AND uses < max_uses RETURNING id),"
        + " ended AS (UPDATE custodian_share_session s SET expires_at = ? FROM replaced r"
        + " WHERE s.link_id = r.id AND s.expires_at > ? RETURNING s.link_id)"
        + " SELECT count(*)::int FROM replaced", Integer.class, tokenHash, id, at, at, at);
    return replaced != null && replaced == 1;
  }

  /** Revokes an unrevoked link; false if it was already revoked (or does not exist). */
  boolean revoke(UUID id, Instant now, String reason) {
    return jdbc.update("UPDATE custodian_share_link SET revoked_at = ?, revoked_reason = ? WHERE id = ?"
        + " AND revoked_at IS NULL", Timestamp.from(now), reason, id) == 1;
  }

  /** Revokes the unrevoked links recorded with {@code consent}; returns them. */
  List<UUID> revokeByConsent(String consent, Instant now, String reason) {
    return jdbc.queryForList("UPDATE custodian_share_link SET revoked_at = ?, revoked_reason = ? WHERE consent = ?"
        + " AND revoked_at IS NULL RETURNING id", UUID.class, Timestamp.from(now), reason, consent);
  }

  void insertSession(byte[] tokenHash, UUID linkId, Instant now, Instant expires) {
    jdbc.update("INSERT INTO custodian_share_session (token_hash, link_id, created_at, expires_at) VALUES (?,?,?,?)",
        tokenHash, linkId, Timestamp.from(now), Timestamp.from(expires));
  }

  /** The link of an unexpired session (the link's own state is for the caller to judge). */
  Optional<ShareLink> bySession(byte[] tokenHash, Instant now) {
    return jdbc.query("SELECT " + prefixed() + " FROM custodian_share_session s JOIN custodian_share_link l"
        + " ON l.id = s.link_id WHERE s.token_hash = ? AND s.expires_at > ?", ROW, tokenHash, Timestamp.from(now))
        .stream().findFirst();
  }

  private static String prefixed() {
    return String.join(", ", Arrays.stream(COLUMNS.split(",\\s*")).map(c -> "l." + c).toList());
  }

  private static final RowMapper<ShareLink> ROW = (rs, n) -> new ShareLink(
      rs.getObject(1, UUID.class), rs.getString(2), strings(rs.getArray(3)), strings(rs.getArray(4)), rs.getString(5),
      rs.getString(6), instant(rs, 7), instant(rs, 8), rs.getInt(9), rs.getInt(10), rs.getString(11), rs.getString(12),
      rs.getString(13), rs.getString(14), rs.getInt(15), rs.getString(16), instant(rs, 17), rs.getString(18));

  private static List<String> strings(Array array) throws SQLException {
    return List.of((String[]) array.getArray());
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    Timestamp at = rs.getTimestamp(column);
    return at == null ? null : at.toInstant();
  }
}
