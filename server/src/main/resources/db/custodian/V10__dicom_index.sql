-- The DICOM index behind DICOMweb: what QIDO-RS matches and returns, where WADO-RS finds the
-- encrypted blob of each instance, and which ImagingStudy (and so which patient) a study belongs to.
-- Only attributes; the instances themselves are in the encrypted blob store, never here.

CREATE TABLE custodian_dicom_study (
  study_uid              VARCHAR(64)  PRIMARY KEY,
  imaging_study_id       VARCHAR(64)  NOT NULL UNIQUE,  -- ImagingStudy/<id>, the resource the policy decides on
  patient_ref            VARCHAR(80)  NOT NULL,         -- Patient/<id>, the study's subject
  patient_id             VARCHAR(64),
  issuer_of_patient_id   VARCHAR(64),
  patient_name           VARCHAR(324),                  -- PN, all component groups ("Alphabetic=Ideographic=Phonetic")
  patient_birth_date     VARCHAR(8),
  patient_sex            VARCHAR(16),
  study_date             VARCHAR(8),
  study_time             VARCHAR(32),
  accession_number       VARCHAR(64),
  study_id               VARCHAR(16),
  study_description      VARCHAR(64),
  referring_physician    VARCHAR(324),
  updated                TIMESTAMPTZ  NOT NULL
);
CREATE INDEX custodian_dicom_study_patient ON custodian_dicom_study (patient_ref);
CREATE INDEX custodian_dicom_study_patient_id ON custodian_dicom_study (patient_id);
CREATE INDEX custodian_dicom_study_date ON custodian_dicom_study (study_date);
CREATE INDEX custodian_dicom_study_accession ON custodian_dicom_study (accession_number);

CREATE TABLE custodian_dicom_series (
  series_uid             VARCHAR(64)  PRIMARY KEY,
  study_uid              VARCHAR(64)  NOT NULL REFERENCES custodian_dicom_study (study_uid),
  modality               VARCHAR(16),
  series_number          INTEGER,
  series_description     VARCHAR(64),
  series_date            VARCHAR(8),
  series_time            VARCHAR(32),
  body_part_examined     VARCHAR(16)
);
CREATE INDEX custodian_dicom_series_study ON custodian_dicom_series (study_uid);

CREATE TABLE custodian_dicom_instance (
  sop_instance_uid       VARCHAR(64)  PRIMARY KEY,
  series_uid             VARCHAR(64)  NOT NULL REFERENCES custodian_dicom_series (series_uid),
  study_uid              VARCHAR(64)  NOT NULL REFERENCES custodian_dicom_study (study_uid),
  sop_class_uid          VARCHAR(64)  NOT NULL,
  transfer_syntax_uid    VARCHAR(64)  NOT NULL,
  instance_number        INTEGER,
  rows_                  INTEGER,
  columns_               INTEGER,
  bits_allocated         INTEGER,
  number_of_frames       INTEGER,
  blob_key               VARCHAR(1024) NOT NULL,        -- the key in the encrypted blob store (under the study)
  size_bytes             BIGINT       NOT NULL,
  sha256                 CHAR(64)     NOT NULL,         -- of the plaintext Part 10 bytes as received
  stored_at              TIMESTAMPTZ  NOT NULL
);
CREATE INDEX custodian_dicom_instance_series ON custodian_dicom_instance (series_uid);
CREATE INDEX custodian_dicom_instance_study ON custodian_dicom_instance (study_uid);
