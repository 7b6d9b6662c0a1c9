package dev.custodian.server.storage;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import dev.custodian.server.storage.StudyKeyUnavailableException.Reason;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Envelope encryption: one data key per study, created on first use and kept in PostgreSQL
 * ({@code custodian_study_key}) only wrapped by a key-encryption key ({@link KeyEncryptionKeys}).
 * Rotation re-wraps the data keys under a new KEK version without touching a blob; shredding
 * destroys a study's data key, after which its blobs are noise.
 *
 * <p>Plain JDBC on its own connections and short transactions, independent of any transaction the
 * caller may be in.
 */
public final class StudyKeys {

  private static final Logger log = LoggerFactory.getLogger(StudyKeys.class);
  private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");
  /** pg_advisory_lock id held while a rotation runs, so two rotations never interleave. */
  private static final long ROTATION_LOCK = 0x4375737464656b31L;
  private static final int REWRAP_BATCH = 200;

  private final DataSource db;
  private final KeyEncryptionKeys keks;
  private final SecureRandom random = new SecureRandom();

  public StudyKeys(DataSource db, KeyEncryptionKeys keks) {
    StudyKey.registerKeyTypes();
    this.db = db;
    this.keks = keks;
  }

  /** A DICOM UID: digits and dots, at most 64 characters. */
  public static String requireStudyUid(String studyUid) {
    if (studyUid == null || studyUid.length() > 64 || !UID.matcher(studyUid).matches()) {
      throw new IllegalArgumentException("Not a study instance UID: " + studyUid);
    }
    return studyUid;
  }

  /**
   * Checks at start that the keystore holds every KEK version the database's data keys need — a
   * lost or replaced keystore would otherwise make every study unreadable without a word — and
   * records which version wraps new data keys.
   */
  public void verifyKeystore() {
    try (Connection c = db.getConnection()) {
      List<Integer> missing = new ArrayList<>();
      long wrapped = 0;
      SortedMap<Integer, Long> inUse = dataKeysByKekVersion(c);
      for (var entry : inUse.entrySet()) {
        if (!keks.has(entry.getKey()) || !unwrapsASample(c, entry.getKey())) {
          missing.add(entry.getKey());
          wrapped += entry.getValue();
        }
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException(
            "The key-encryption keystore " + keks.path() + " lacks (or holds other keys as) version(s) " + missing
                + " that wrap " + wrapped
                + " study data keys in the database"
                + (keks.createdNow() ? "; it was just created because the file was missing" : "")
                + ". Restore the keystore (and its password) from backup; without it those studies cannot be decrypted.");
      }
      Integer current = currentVersion(c);
      if (current == null || !keks.has(current)) {
        int newest = keks.newestVersion();
        try (PreparedStatement update = c.prepareStatement(
            "UPDATE custodian_kek_state SET current_version = ? WHERE id = 1 AND current_version IS NOT DISTINCT FROM ?")) {
          update.setInt(1, newest);
          update.setObject(2, current);
          update.executeUpdate();
        }
        log.info("New study data keys are wrapped with key-encryption key version {}", newest);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot check the study keys against the keystore", e);
    }
  }

  /** Whether this keystore's KEK of {@code version} really unwraps a data key that names it (same number, same key). */
  private boolean unwrapsASample(Connection c, int version) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(
        "SELECT study_uid, key_id, kek_version, wrapped_dek, wrapped_name_key, shredded_at FROM custodian_study_key"
            + " WHERE kek_version = ? LIMIT 1")) {
      select.setInt(1, version);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return true;
        }
        unwrap(row(rows));
        return true;
      }
    } catch (StudyKeyUnavailableException e) {
      return false;
    }
  }

  /** The study's key, created (and stored wrapped) if the study has none or had its key destroyed. */
  public StudyKey forWriting(String studyUid) throws StudyKeyUnavailableException {
    requireStudyUid(studyUid);
    for (int attempt = 0; attempt < 3; attempt++) {
      Row row = select(studyUid);
      if (row != null && row.live()) {
        return unwrap(row);
      }
      StudyKey created = create(studyUid);
      if (created != null) {
        return created;
      }
      // another writer created it first: use theirs
    }
    throw new IllegalStateException("Cannot create a data key for study " + studyUid + ": kept racing with other writers");
  }

  /**
   * The study's key for reading.
   *
   * @throws StudyKeyUnavailableException if the study has no key ({@link Reason#UNKNOWN}), its key
   *     was destroyed ({@link Reason#DESTROYED}), or it cannot be unwrapped ({@link Reason#UNWRAPPABLE})
   */
  public StudyKey forReading(String studyUid) throws StudyKeyUnavailableException {
    requireStudyUid(studyUid);
    Row row = select(studyUid);
    if (row == null) {
      throw new StudyKeyUnavailableException(Reason.UNKNOWN, "Study " + studyUid + " has no data key: nothing was stored for it");
    }
    if (!row.live()) {
      throw new StudyKeyUnavailableException(
          Reason.DESTROYED,
          "The data key of study " + studyUid + " was destroyed at " + row.shreddedAt().toInstant()
              + " (crypto-shredded): its blobs are unrecoverable");
    }
    try {
      return unwrap(row);
    } catch (StudyKeyUnavailableException e) {
      // a rotation may have re-wrapped the key and retired the KEK this row named: read it again
      Row again = select(studyUid);
      if (again != null && again.live() && !java.util.Objects.equals(again.kekVersion(), row.kekVersion())) {
        return unwrap(again);
      }
      throw e;
    }
  }

  /** The study's key if it has a usable one. */
  public Optional<StudyKey> find(String studyUid) throws StudyKeyUnavailableException {
    requireStudyUid(studyUid);
    Row row = select(studyUid);
    return row == null || !row.live() ? Optional.empty() : Optional.of(unwrap(row));
  }

  /**
   * Destroys the study's data key (crypto-shredding), leaving a tombstone. Returns the destroyed
   * key's id (the name of the study's blob directory), also when it was destroyed before, or empty
   * when the study never had a key.
   *
   * <p>The wrapped key may survive in PostgreSQL's dead row versions, its write-ahead log and
   * backups until they are recycled; it is useless without its KEK version, which the next
   * {@linkplain #rotateKek() rotation} removes from the keystore.
   */
  public Optional<String> shred(String studyUid) {
    requireStudyUid(studyUid);
    try (Connection c = db.getConnection();
        PreparedStatement update = c.prepareStatement(
            "UPDATE custodian_study_key SET kek_version = NULL, wrapped_dek = NULL, wrapped_name_key = NULL,"
                + " wrapped_at = NULL, shredded_at = now() WHERE study_uid = ? AND shredded_at IS NULL RETURNING key_id")) {
      update.setString(1, studyUid);
      try (ResultSet rows = update.executeQuery()) {
        if (rows.next()) {
          log.info("Destroyed the data key of study {} (crypto-shredding)", studyUid);
          return Optional.of(rows.getString(1));
        }
      }
      Row row = select(c, studyUid);
      return row == null ? Optional.empty() : Optional.of(row.keyId());
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot destroy the data key of study " + studyUid, e);
    }
  }

  /**
   * Rotates the key-encryption key: adds a new KEK version to the keystore, makes it the one new
   * data keys are wrapped with, re-wraps every study data key under it (the blobs are not touched:
   * their data keys do not change), and removes from the keystore the versions no data key uses
   * any more. One rotation at a time across all nodes (a PostgreSQL advisory lock).
   */
  public KekRotation rotateKek() {
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(true);
      execute(c, "SELECT pg_advisory_lock(" + ROTATION_LOCK + ")");
      try {
        Integer previous = currentVersion(c);
        int next = keks.addVersion();
        c.setAutoCommit(false);
        try (PreparedStatement update = c.prepareStatement("UPDATE custodian_kek_state SET current_version = ? WHERE id = 1")) {
          update.setInt(1, next);
          update.executeUpdate(); // waits for data keys being created under the old version
        }
        c.commit();
        c.setAutoCommit(true);
        int[] counts = rewrapAll(c, next);
        SortedMap<Integer, Long> inUse = dataKeysByKekVersion(c);
        List<Integer> retired = new ArrayList<>();
        for (int version : List.copyOf(keks.versions())) {
          if (version != next && !inUse.containsKey(version)) {
            keks.removeVersion(version);
            retired.add(version);
          }
        }
        KekRotation rotation = new KekRotation(previous, next, counts[0], counts[1], retired, List.copyOf(keks.versions()));
        log.info("Key-encryption key rotated: {}", rotation);
        return rotation;
      } finally {
        c.setAutoCommit(true);
        execute(c, "SELECT pg_advisory_unlock(" + ROTATION_LOCK + ")");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Key-encryption key rotation failed", e);
    }
  }

  /** How many live data keys each KEK version wraps. */
  public SortedMap<Integer, Long> dataKeysByKekVersion() {
    try (Connection c = db.getConnection()) {
      return dataKeysByKekVersion(c);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * What a rotation did.
   *
   * @param previousVersion the KEK version new data keys were wrapped with before
   * @param newVersion the new KEK version, now wrapping every data key
   * @param rewrapped data keys re-wrapped
   * @param failed data keys that could not be unwrapped (their KEK version is kept)
   * @param retired KEK versions removed from the keystore because no data key used them
   * @param remaining the KEK versions left in the keystore
   */
  public record KekRotation(
      Integer previousVersion, int newVersion, int rewrapped, int failed, List<Integer> retired, List<Integer> remaining) {}

  // --- internals

  private int[] rewrapAll(Connection c, int next) throws SQLException {
    int rewrapped = 0;
    int failed = 0;
    String after = "";
    while (true) {
      List<Row> batch = new ArrayList<>();
      try (PreparedStatement select = c.prepareStatement(
          "SELECT study_uid, key_id, kek_version, wrapped_dek, wrapped_name_key, shredded_at FROM custodian_study_key"
              + " WHERE kek_version IS NOT NULL AND kek_version <> ? AND study_uid > ? ORDER BY study_uid LIMIT " + REWRAP_BATCH)) {
        select.setInt(1, next);
        select.setString(2, after);
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            batch.add(row(rows));
          }
        }
      }
      if (batch.isEmpty()) {
        return new int[] {rewrapped, failed};
      }
      Aead newKek;
      try {
        newKek = keks.aead(next);
      } catch (StudyKeyUnavailableException e) {
        throw new IllegalStateException("The new key-encryption key vanished from the keystore", e);
      }
      for (Row row : batch) {
        after = row.studyUid();
        try {
          Aead oldKek = keks.aead(row.kekVersion());
          byte[] dek = rewrap(row.wrappedDek(), oldKek, newKek, dekAd(row));
          byte[] names = rewrap(row.wrappedNameKey(), oldKek, newKek, nameKeyAd(row));
          try (PreparedStatement update = c.prepareStatement(
              "UPDATE custodian_study_key SET kek_version = ?, wrapped_dek = ?, wrapped_name_key = ?, wrapped_at = now()"
                  + " WHERE study_uid = ? AND key_id = ? AND kek_version = ?")) {
            update.setInt(1, next);
            update.setBytes(2, dek);
            update.setBytes(3, names);
            update.setString(4, row.studyUid());
            update.setString(5, row.keyId());
            update.setInt(6, row.kekVersion());
            rewrapped += update.executeUpdate();
          }
        } catch (GeneralSecurityException | StudyKeyUnavailableException e) {
          failed++;
          log.error("Cannot re-wrap the data key of study {} (KEK version {}): {}", row.studyUid(), row.kekVersion(), e.getMessage());
        }
      }
    }
  }

  private static byte[] rewrap(byte[] wrapped, Aead oldKek, Aead newKek, byte[] ad) throws GeneralSecurityException {
    return TinkProtoKeysetFormat.serializeEncryptedKeyset(TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, oldKek, ad), newKek, ad);
  }

  /** Inserts a fresh key (or replaces a tombstone); null when another writer's key is already there. */
  private StudyKey create(String studyUid) throws StudyKeyUnavailableException {
    byte[] id = new byte[16];
    random.nextBytes(id);
    String keyId = HexFormat.of().formatHex(id);
    try (Connection c = db.getConnection()) {
      c.setAutoCommit(false);
      try {
        StudyKey fresh = StudyKey.generate(studyUid, keyId);
        int version;
        try (PreparedStatement state = c.prepareStatement("SELECT current_version FROM custodian_kek_state WHERE id = 1 FOR SHARE");
            ResultSet rows = state.executeQuery()) {
          rows.next();
          version = rows.getInt(1);
          if (rows.wasNull()) {
            throw new IllegalStateException("No current key-encryption key version: verifyKeystore() was not run");
          }
        }
        Aead kek = keks.aead(version);
        Row row = new Row(studyUid, keyId, version, null, null, null);
        try (PreparedStatement insert = c.prepareStatement(
            "INSERT INTO custodian_study_key (study_uid, key_id, kek_version, wrapped_dek, wrapped_name_key, wrapped_at)"
                + " VALUES (?, ?, ?, ?, ?, now())"
                + " ON CONFLICT (study_uid) DO UPDATE SET key_id = EXCLUDED.key_id, kek_version = EXCLUDED.kek_version,"
                + " wrapped_dek = EXCLUDED.wrapped_dek, wrapped_name_key = EXCLUDED.wrapped_name_key,"
                + " created_at = now(), wrapped_at = now(), shredded_at = NULL"
                + " WHERE custodian_study_key.shredded_at IS NOT NULL")) {
          insert.setString(1, studyUid);
          insert.setString(2, keyId);
          insert.setInt(3, version);
          insert.setBytes(4, TinkProtoKeysetFormat.serializeEncryptedKeyset(fresh.dataKeyset(), kek, dekAd(row)));
          insert.setBytes(5, TinkProtoKeysetFormat.serializeEncryptedKeyset(fresh.nameKeyset(), kek, nameKeyAd(row)));
          int inserted = insert.executeUpdate();
          c.commit();
          return inserted == 1 ? fresh : null;
        }
      } catch (SQLException | GeneralSecurityException | RuntimeException | StudyKeyUnavailableException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException | GeneralSecurityException e) {
      throw new IllegalStateException("Cannot create a data key for study " + studyUid, e);
    }
  }

  private StudyKey unwrap(Row row) throws StudyKeyUnavailableException {
    Aead kek = keks.aead(row.kekVersion());
    try {
      return new StudyKey(
          row.studyUid(),
          row.keyId(),
          TinkProtoKeysetFormat.parseEncryptedKeyset(row.wrappedDek(), kek, dekAd(row)),
          TinkProtoKeysetFormat.parseEncryptedKeyset(row.wrappedNameKey(), kek, nameKeyAd(row)));
    } catch (GeneralSecurityException e) {
      throw new StudyKeyUnavailableException(
          Reason.UNWRAPPABLE,
          "The data key of study " + row.studyUid() + " cannot be unwrapped with key-encryption key version "
              + row.kekVersion() + " (wrong keystore, or the key row was altered)",
          e);
    }
  }

  /** Binds a wrapped key to its study and key id: a key row copied to another study fails to unwrap. */
  private static byte[] dekAd(Row row) {
    return StudyKey.utf8("custodian/study-data-key\0" + row.studyUid() + "\0" + row.keyId());
  }

  private static byte[] nameKeyAd(Row row) {
    return StudyKey.utf8("custodian/study-name-key\0" + row.studyUid() + "\0" + row.keyId());
  }

  private Row select(String studyUid) {
    try (Connection c = db.getConnection()) {
      return select(c, studyUid);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read the data key of study " + studyUid, e);
    }
  }

  private static Row select(Connection c, String studyUid) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(
        "SELECT study_uid, key_id, kek_version, wrapped_dek, wrapped_name_key, shredded_at FROM custodian_study_key WHERE study_uid = ?")) {
      select.setString(1, studyUid);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? row(rows) : null;
      }
    }
  }

  private static Row row(ResultSet rows) throws SQLException {
    int version = rows.getInt(3);
    return new Row(
        rows.getString(1), rows.getString(2), rows.wasNull() ? null : version, rows.getBytes(4), rows.getBytes(5), rows.getTimestamp(6));
  }

  private static Integer currentVersion(Connection c) throws SQLException {
    try (PreparedStatement state = c.prepareStatement("SELECT current_version FROM custodian_kek_state WHERE id = 1");
        ResultSet rows = state.executeQuery()) {
      if (!rows.next()) {
        return null;
      }
      int version = rows.getInt(1);
      return rows.wasNull() ? null : version;
    }
  }

  private static SortedMap<Integer, Long> dataKeysByKekVersion(Connection c) throws SQLException {
    SortedMap<Integer, Long> counts = new TreeMap<>();
    try (PreparedStatement select = c.prepareStatement(
            "SELECT kek_version, count(*) FROM custodian_study_key WHERE kek_version IS NOT NULL GROUP BY kek_version");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        counts.put(rows.getInt(1), rows.getLong(2));
      }
    }
    return counts;
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      statement.execute();
    }
  }

  private record Row(String studyUid, String keyId, Integer kekVersion, byte[] wrappedDek, byte[] wrappedNameKey, Timestamp shreddedAt) {
    boolean live() {
      return shreddedAt == null && kekVersion != null;
    }
  }
}
