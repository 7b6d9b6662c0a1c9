-- Encryption at rest of DICOM blobs (dev.custodian.server.storage).
--
-- Which key-encryption key (KEK) version from the keystore wraps new data keys. One row; a node
-- creating a data key holds it FOR SHARE, so a rotation (which updates it) waits for data keys
-- being created under the old version and then re-wraps them too.
CREATE TABLE custodian_kek_state (
    id              integer PRIMARY KEY CHECK (id = 1),
    current_version integer
);
INSERT INTO custodian_kek_state (id, current_version) VALUES (1, NULL);

-- One data key (DEK) per study, and the key that names its blobs, both wrapped (AES-256-GCM) by a
-- KEK version; plaintext keys never reach the database. Crypto-shredding clears the key columns
-- and keeps the row as a tombstone, so a later read can say "destroyed" rather than "unknown".
CREATE TABLE custodian_study_key (
    study_uid        varchar(64) PRIMARY KEY,
    key_id           varchar(32) NOT NULL UNIQUE,
    kek_version      integer,
    wrapped_dek      bytea,
    wrapped_name_key bytea,
    created_at       timestamptz NOT NULL DEFAULT now(),
    wrapped_at       timestamptz,
    shredded_at      timestamptz,
    CONSTRAINT custodian_study_key_live_or_shredded CHECK (
        (shredded_at IS NULL AND kek_version IS NOT NULL AND wrapped_dek IS NOT NULL AND wrapped_name_key IS NOT NULL)
        OR (shredded_at IS NOT NULL AND kek_version IS NULL AND wrapped_dek IS NULL AND wrapped_name_key IS NULL))
);
CREATE INDEX custodian_study_key_kek_version ON custodian_study_key (kek_version);
