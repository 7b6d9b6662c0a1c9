package dev.custodian.server.dicomweb;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The attributes QIDO-RS matches on and returns (PS3.18 tables 10.6.1-5 and 10.6.3-3..5): their tag,
 * keyword, VR, the level they belong to, the index column that holds them, how a matching key is
 * compared, and at which query levels they are returned by default.
 */
enum QidoAttribute {
  SPECIFIC_CHARACTER_SET(DicomTags.SPECIFIC_CHARACTER_SET, "SpecificCharacterSet", "CS", QidoLevel.STUDY, null, Match.NONE, QidoLevel.values()),
  SOP_CLASS_UID(DicomTags.SOP_CLASS_UID, "SOPClassUID", "UI", QidoLevel.INSTANCE, "i.sop_class_uid", Match.UID_LIST, QidoLevel.INSTANCE),
  SOP_INSTANCE_UID(DicomTags.SOP_INSTANCE_UID, "SOPInstanceUID", "UI", QidoLevel.INSTANCE, "i.sop_instance_uid", Match.UID_LIST, QidoLevel.INSTANCE),
  STUDY_DATE(DicomTags.STUDY_DATE, "StudyDate", "DA", QidoLevel.STUDY, "s.study_date", Match.DATE_RANGE, QidoLevel.STUDY),
  SERIES_DATE(DicomTags.SERIES_DATE, "SeriesDate", "DA", QidoLevel.SERIES, "se.series_date", Match.DATE_RANGE),
  STUDY_TIME(DicomTags.STUDY_TIME, "StudyTime", "TM", QidoLevel.STUDY, "s.study_time", Match.NONE, QidoLevel.STUDY),
  SERIES_TIME(DicomTags.SERIES_TIME, "SeriesTime", "TM", QidoLevel.SERIES, "se.series_time", Match.NONE),
  ACCESSION_NUMBER(DicomTags.ACCESSION_NUMBER, "AccessionNumber", "SH", QidoLevel.STUDY, "s.accession_number", Match.TEXT, QidoLevel.STUDY),
  INSTANCE_AVAILABILITY(DicomTags.INSTANCE_AVAILABILITY, "InstanceAvailability", "CS", QidoLevel.STUDY, null, Match.NONE, QidoLevel.values()),
  MODALITY(DicomTags.MODALITY, "Modality", "CS", QidoLevel.SERIES, "se.modality", Match.TEXT, QidoLevel.SERIES),
  MODALITIES_IN_STUDY(DicomTags.MODALITIES_IN_STUDY, "ModalitiesInStudy", "CS", QidoLevel.STUDY, "modalities", Match.MODALITIES, QidoLevel.STUDY),
  REFERRING_PHYSICIAN_NAME(DicomTags.REFERRING_PHYSICIAN_NAME, "ReferringPhysicianName", "PN", QidoLevel.STUDY, "s.referring_physician", Match.PERSON_NAME, QidoLevel.STUDY),
  STUDY_DESCRIPTION(DicomTags.STUDY_DESCRIPTION, "StudyDescription", "LO", QidoLevel.STUDY, "s.study_description", Match.TEXT),
  SERIES_DESCRIPTION(DicomTags.SERIES_DESCRIPTION, "SeriesDescription", "LO", QidoLevel.SERIES, "se.series_description", Match.TEXT, QidoLevel.SERIES),
  RETRIEVE_URL(DicomTags.RETRIEVE_URL, "RetrieveURL", "UR", QidoLevel.STUDY, null, Match.NONE, QidoLevel.values()),
  PATIENT_NAME(DicomTags.PATIENT_NAME, "PatientName", "PN", QidoLevel.STUDY, "s.patient_name", Match.PERSON_NAME, QidoLevel.STUDY),
  PATIENT_ID(DicomTags.PATIENT_ID, "PatientID", "LO", QidoLevel.STUDY, "s.patient_id", Match.TEXT, QidoLevel.STUDY),
  ISSUER_OF_PATIENT_ID(DicomTags.ISSUER_OF_PATIENT_ID, "IssuerOfPatientID", "LO", QidoLevel.STUDY, "s.issuer_of_patient_id", Match.TEXT),
  PATIENT_BIRTH_DATE(DicomTags.PATIENT_BIRTH_DATE, "PatientBirthDate", "DA", QidoLevel.STUDY, "s.patient_birth_date", Match.NONE, QidoLevel.STUDY),
  PATIENT_SEX(DicomTags.PATIENT_SEX, "PatientSex", "CS", QidoLevel.STUDY, "s.patient_sex", Match.NONE, QidoLevel.STUDY),
  BODY_PART_EXAMINED(DicomTags.BODY_PART_EXAMINED, "BodyPartExamined", "CS", QidoLevel.SERIES, "se.body_part_examined", Match.TEXT),
  STUDY_INSTANCE_UID(DicomTags.STUDY_INSTANCE_UID, "StudyInstanceUID", "UI", QidoLevel.STUDY, "s.study_uid", Match.UID_LIST, QidoLevel.values()),
  SERIES_INSTANCE_UID(DicomTags.SERIES_INSTANCE_UID, "SeriesInstanceUID", "UI", QidoLevel.SERIES, "se.series_uid", Match.UID_LIST, QidoLevel.SERIES, QidoLevel.INSTANCE),
  STUDY_ID(DicomTags.STUDY_ID, "StudyID", "SH", QidoLevel.STUDY, "s.study_id", Match.TEXT, QidoLevel.STUDY),
  SERIES_NUMBER(DicomTags.SERIES_NUMBER, "SeriesNumber", "IS", QidoLevel.SERIES, "se.series_number", Match.NUMBER, QidoLevel.SERIES),
  INSTANCE_NUMBER(DicomTags.INSTANCE_NUMBER, "InstanceNumber", "IS", QidoLevel.INSTANCE, "i.instance_number", Match.NUMBER, QidoLevel.INSTANCE),
  NUMBER_OF_STUDY_RELATED_SERIES(DicomTags.NUMBER_OF_STUDY_RELATED_SERIES, "NumberOfStudyRelatedSeries", "IS", QidoLevel.STUDY, "n_series", Match.NONE, QidoLevel.STUDY),
  NUMBER_OF_STUDY_RELATED_INSTANCES(DicomTags.NUMBER_OF_STUDY_RELATED_INSTANCES, "NumberOfStudyRelatedInstances", "IS", QidoLevel.STUDY, "n_study_instances", Match.NONE, QidoLevel.STUDY),
  NUMBER_OF_SERIES_RELATED_INSTANCES(DicomTags.NUMBER_OF_SERIES_RELATED_INSTANCES, "NumberOfSeriesRelatedInstances", "IS", QidoLevel.SERIES, "n_series_instances", Match.NONE, QidoLevel.SERIES),
  NUMBER_OF_FRAMES(DicomTags.NUMBER_OF_FRAMES, "NumberOfFrames", "IS", QidoLevel.INSTANCE, "i.number_of_frames", Match.NONE, QidoLevel.INSTANCE),
  ROWS(DicomTags.ROWS, "Rows", "US", QidoLevel.INSTANCE, "i.rows_", Match.NONE, QidoLevel.INSTANCE),
  COLUMNS(DicomTags.COLUMNS, "Columns", "US", QidoLevel.INSTANCE, "i.columns_", Match.NONE, QidoLevel.INSTANCE),
  BITS_ALLOCATED(DicomTags.BITS_ALLOCATED, "BitsAllocated", "US", QidoLevel.INSTANCE, "i.bits_allocated", Match.NONE, QidoLevel.INSTANCE);

  /** How a matching key's value is compared (PS3.4 C.2.2.2). */
  enum Match {
    /** Not a matching key here: returned only. */
    NONE,
    /** Single value, or a list ({@code a,b} or {@code a\b}): any of the UIDs. */
    UID_LIST,
    /** Exact, or wildcard with {@code *} and {@code ?}; case-sensitive. */
    TEXT,
    /** As TEXT, case-insensitive. */
    PERSON_NAME,
    /** {@code YYYYMMDD}, {@code a-b}, {@code a-}, {@code -b}. */
    DATE_RANGE,
    /** An integer. */
    NUMBER,
    /** Any of the modalities (a list) among the study's series. */
    MODALITIES
  }

  final int tag;
  final String keyword;
  final String vr;
  final QidoLevel level;
  final String column;
  final Match match;
  private final Set<QidoLevel> defaultAt;

  QidoAttribute(int tag, String keyword, String vr, QidoLevel level, String column, Match match, QidoLevel... defaultAt) {
    this.tag = tag;
    this.keyword = keyword;
    this.vr = vr;
    this.level = level;
    this.column = column;
    this.match = match;
    this.defaultAt = defaultAt.length == 0 ? EnumSet.noneOf(QidoLevel.class) : EnumSet.of(defaultAt[0], defaultAt);
  }

  boolean returnedByDefaultAt(QidoLevel queryLevel) {
    return defaultAt.contains(queryLevel);
  }

  /** Whether a query at {@code queryLevel} can return or match it (its level or above). */
  boolean availableAt(QidoLevel queryLevel) {
    return level.ordinal() <= queryLevel.ordinal();
  }

  /** By keyword ({@code PatientName}) or tag ({@code 00100010}). */
  static Optional<QidoAttribute> named(String name) {
    for (QidoAttribute attribute : values()) {
      if (attribute.keyword.equals(name) || String.format(Locale.ROOT, "%08X", attribute.tag).equalsIgnoreCase(name)) {
        return Optional.of(attribute);
      }
    }
    return Optional.empty();
  }
}
