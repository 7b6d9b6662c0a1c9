package dev.custodian.server.dicomweb;

import dev.custodian.server.storage.StoredBlob;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The DICOM index in PostgreSQL ({@code custodian_dicom_study}, {@code _series}, {@code _instance}):
 * which study an instance belongs to, where its encrypted blob is, which ImagingStudy and patient
 * a study belongs to, and the attributes QIDO-RS matches on. One instance is recorded in one
 * transaction, after its blob was stored: a failure leaves no half-written row.
 */
class StudyIndex {

  /** A study as indexed: the ImagingStudy the policy decides on, and its subject. */
  record Study(String studyUid, String imagingStudyId, String patientRef) {
    String imagingStudyReference() {
      return "ImagingStudy/" + imagingStudyId;
    }
  }

  /** One stored instance. */
  record Instance(String studyUid, String seriesUid, String sopInstanceUid, String sopClassUid,
      String transferSyntaxUid, Integer instanceNumber, String blobKey, long size) {}

  /** One series with what an ImagingStudy lists of it. */
  record Series(String seriesUid, String modality, Integer number, String description, String date,
      String time, String bodyPart) {}

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transactions;

  StudyIndex(JdbcTemplate jdbc, TransactionTemplate transactions) {
    this.jdbc = jdbc;
    this.transactions = transactions;
  }

  Optional<Study> study(String studyUid) {
    return jdbc.query(
        "SELECT study_uid, imaging_study_id, patient_ref FROM custodian_dicom_study WHERE study_uid = ?",
        (rs, n) -> new Study(rs.getString(1), rs.getString(2), rs.getString(3)), studyUid).stream().findFirst();
  }

  /** The Study Instance UID of an ImagingStudy's stored instances, if any are stored. */
  Optional<String> studyUidOf(String imagingStudyId) {
    return jdbc.queryForList("SELECT study_uid FROM custodian_dicom_study WHERE imaging_study_id = ? ORDER BY study_uid",
        String.class, imagingStudyId).stream().findFirst();
  }

  /** The study an instance was stored under, if it was. */
  Optional<String> studyOfInstance(String sopInstanceUid) {
    return jdbc.queryForList("SELECT study_uid FROM custodian_dicom_instance WHERE sop_instance_uid = ?",
        String.class, sopInstanceUid).stream().findFirst();
  }

  /** The series an instance was stored under, if it was. */
  Optional<String> seriesOfInstance(String sopInstanceUid) {
    return jdbc.queryForList("SELECT series_uid FROM custodian_dicom_instance WHERE sop_instance_uid = ?",
        String.class, sopInstanceUid).stream().findFirst();
  }

  /** The study a series belongs to, if it is indexed. */
  Optional<String> studyOfSeries(String seriesUid) {
    return jdbc.queryForList("SELECT study_uid FROM custodian_dicom_series WHERE series_uid = ?",
        String.class, seriesUid).stream().findFirst();
  }

  /**
   * The instances of a study, optionally of one series or one instance, in series and instance
   * number order.
   */
  List<Instance> instances(String studyUid, String seriesUid, String sopInstanceUid) {
    return jdbc.query(
        "SELECT i.study_uid, i.series_uid, i.sop_instance_uid, i.sop_class_uid, i.transfer_syntax_uid,"
            + " i.instance_number, i.blob_key, i.size_bytes"
            + " FROM custodian_dicom_instance i JOIN custodian_dicom_series s ON s.series_uid = i.series_uid"
            + " WHERE i.study_uid = ? AND (CAST(? AS VARCHAR) IS NULL OR i.series_uid = ?)"
            + " AND (CAST(? AS VARCHAR) IS NULL OR i.sop_instance_uid = ?)"
            + " ORDER BY s.series_number NULLS LAST, s.series_uid, i.instance_number NULLS LAST, i.sop_instance_uid",
        (rs, n) -> new Instance(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
            (Integer) rs.getObject(6), rs.getString(7), rs.getLong(8)),
        studyUid, seriesUid, seriesUid, sopInstanceUid, sopInstanceUid);
  }

  List<Series> series(String studyUid) {
    return jdbc.query(
        "SELECT series_uid, modality, series_number, series_description, series_date, series_time, body_part_examined"
            + " FROM custodian_dicom_series WHERE study_uid = ? ORDER BY series_number NULLS LAST, series_uid",
        (rs, n) -> new Series(rs.getString(1), rs.getString(2), (Integer) rs.getObject(3), rs.getString(4),
            rs.getString(5), rs.getString(6), rs.getString(7)),
        studyUid);
  }

  /** Study attributes as indexed (latest instance wins), for the ImagingStudy. */
  InstanceAttributes studyAttributes(String studyUid) {
    InstanceAttributes attributes = new InstanceAttributes();
    jdbc.query("SELECT study_date, study_time, study_description, accession_number FROM custodian_dicom_study"
        + " WHERE study_uid = ?", rs -> {
          attributes.put(DicomTags.STUDY_DATE, rs.getString(1));
          attributes.put(DicomTags.STUDY_TIME, rs.getString(2));
          attributes.put(DicomTags.STUDY_DESCRIPTION, rs.getString(3));
          attributes.put(DicomTags.ACCESSION_NUMBER, rs.getString(4));
        }, studyUid);
    return attributes;
  }

  /** Records one stored instance (and its series and study), in one transaction. */
  void record(Study study, InstanceAttributes a, StoredBlob blob, Instant now) {
    transactions.executeWithoutResult(status -> {
      Timestamp at = Timestamp.from(now);
      jdbc.update(
          "INSERT INTO custodian_dicom_study (study_uid, imaging_study_id, patient_ref, patient_id, issuer_of_patient_id,"
              + " patient_name, patient_birth_date, patient_sex, study_date, study_time, accession_number, study_id,"
              + " study_description, referring_physician, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
              + " ON CONFLICT (study_uid) DO UPDATE SET patient_id = EXCLUDED.patient_id,"
              + " issuer_of_patient_id = EXCLUDED.issuer_of_patient_id, patient_name = EXCLUDED.patient_name,"
              + " patient_birth_date = EXCLUDED.patient_birth_date, patient_sex = EXCLUDED.patient_sex,"
              + " study_date = EXCLUDED.study_date, study_time = EXCLUDED.study_time,"
              + " accession_number = EXCLUDED.accession_number, study_id = EXCLUDED.study_id,"
              + " study_description = EXCLUDED.study_description, referring_physician = EXCLUDED.referring_physician,"
              + " updated = EXCLUDED.updated",
          study.studyUid(), study.imagingStudyId(), study.patientRef(), cut(a.get(DicomTags.PATIENT_ID), 64),
          cut(a.get(DicomTags.ISSUER_OF_PATIENT_ID), 64), cut(a.get(DicomTags.PATIENT_NAME), 324),
          cut(a.get(DicomTags.PATIENT_BIRTH_DATE), 8), cut(a.get(DicomTags.PATIENT_SEX), 16),
          cut(a.get(DicomTags.STUDY_DATE), 8), cut(a.get(DicomTags.STUDY_TIME), 32),
          cut(a.get(DicomTags.ACCESSION_NUMBER), 64), cut(a.get(DicomTags.STUDY_ID), 16),
          cut(a.get(DicomTags.STUDY_DESCRIPTION), 64), cut(a.get(DicomTags.REFERRING_PHYSICIAN_NAME), 324), at);
      jdbc.update(
          "INSERT INTO custodian_dicom_series (series_uid, study_uid, modality, series_number, series_description,"
              + " series_date, series_time, body_part_examined) VALUES (?,?,?,?,?,?,?,?)"
              + " ON CONFLICT (series_uid) DO UPDATE SET modality = EXCLUDED.modality,"
              + " series_number = EXCLUDED.series_number, series_description = EXCLUDED.series_description,"
              + " series_date = EXCLUDED.series_date, series_time = EXCLUDED.series_time,"
              + " body_part_examined = EXCLUDED.body_part_examined",
          a.get(DicomTags.SERIES_INSTANCE_UID), study.studyUid(), cut(a.get(DicomTags.MODALITY), 16),
          a.integer(DicomTags.SERIES_NUMBER), cut(a.get(DicomTags.SERIES_DESCRIPTION), 64),
          cut(a.get(DicomTags.SERIES_DATE), 8), cut(a.get(DicomTags.SERIES_TIME), 32),
          cut(a.get(DicomTags.BODY_PART_EXAMINED), 16));
      jdbc.update(
          "INSERT INTO custodian_dicom_instance (sop_instance_uid, series_uid, study_uid, sop_class_uid,"
              + " transfer_syntax_uid, instance_number, rows_, columns_, bits_allocated, number_of_frames, blob_key,"
              + " size_bytes, sha256, stored_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
              + " ON CONFLICT (sop_instance_uid) DO UPDATE SET sop_class_uid = EXCLUDED.sop_class_uid,"
              + " transfer_syntax_uid = EXCLUDED.transfer_syntax_uid, instance_number = EXCLUDED.instance_number,"
              + " rows_ = EXCLUDED.rows_, columns_ = EXCLUDED.columns_, bits_allocated = EXCLUDED.bits_allocated,"
              + " number_of_frames = EXCLUDED.number_of_frames, blob_key = EXCLUDED.blob_key,"
              + " size_bytes = EXCLUDED.size_bytes, sha256 = EXCLUDED.sha256, stored_at = EXCLUDED.stored_at",
          a.get(DicomTags.SOP_INSTANCE_UID), a.get(DicomTags.SERIES_INSTANCE_UID), study.studyUid(),
          a.get(DicomTags.SOP_CLASS_UID), a.transferSyntaxUid(), a.integer(DicomTags.INSTANCE_NUMBER),
          a.integer(DicomTags.ROWS), a.integer(DicomTags.COLUMNS), a.integer(DicomTags.BITS_ALLOCATED),
          a.integer(DicomTags.NUMBER_OF_FRAMES), blob.blobKey(), blob.size(), blob.sha256(), at);
    });
  }

  /** Forgets instances recorded by a request whose FHIR link then failed. */
  void forget(String studyUid, List<String> sopInstanceUids) {
    transactions.executeWithoutResult(status -> {
      for (String uid : sopInstanceUids) {
        jdbc.update("DELETE FROM custodian_dicom_instance WHERE sop_instance_uid = ? AND study_uid = ?", uid, studyUid);
      }
      jdbc.update("DELETE FROM custodian_dicom_series s WHERE s.study_uid = ? AND NOT EXISTS"
          + " (SELECT 1 FROM custodian_dicom_instance i WHERE i.series_uid = s.series_uid)", studyUid);
      jdbc.update("DELETE FROM custodian_dicom_study s WHERE s.study_uid = ? AND NOT EXISTS"
          + " (SELECT 1 FROM custodian_dicom_instance i WHERE i.study_uid = s.study_uid)", studyUid);
    });
  }

  private static String cut(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }
}
