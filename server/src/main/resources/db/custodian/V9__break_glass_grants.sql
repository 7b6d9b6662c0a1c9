-- Break-the-glass: one row each time a clinician declares an emergency for a patient (purpose ETREAT
-- or BTG, a written reason). While now is in [granted_at, expires_at) the policy lets that clinician
-- read that patient's records, flagged for review; review_task is the item created in the privacy
-- officer's review queue (a FHIR Task). Rows are kept as the record of the emergency access; ending
-- a grant early means moving its expires_at, never deleting it.
CREATE TABLE custodian_break_glass_grant (
    id           uuid         PRIMARY KEY,
    practitioner varchar(255) NOT NULL,
    patient      varchar(255) NOT NULL,
    purpose      varchar(16)  NOT NULL CHECK (purpose IN ('ETREAT', 'BTG')),
    reason       text         NOT NULL CHECK (char_length(btrim(reason)) >= 10),
    granted_at   timestamptz  NOT NULL,
    expires_at   timestamptz  NOT NULL,
    client_id    varchar(200) NOT NULL,
    token_id     varchar(255) NOT NULL,
    review_task  varchar(255) NOT NULL,
    CHECK (expires_at > granted_at)
);

CREATE INDEX custodian_break_glass_grant_lookup
    ON custodian_break_glass_grant (practitioner, patient, expires_at);
