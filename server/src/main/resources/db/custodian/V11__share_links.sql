-- Share links (issue 6): a patient or staff member shares named ImagingStudies (and their reports)
-- through /share/{token}. Only the SHA-256 of the token is stored. A redemption (opening the link,
-- with its PIN if it has one) uses one of max_uses, counted by one atomic UPDATE, and opens a
-- session (its secret hashed too) for the downloads until the link expires. Revocation (by the owner,
-- by too many wrong PINs, or through the link's release-authorization Consent) sets revoked_at.
-- Rows are kept as the record of the disclosure.
CREATE TABLE custodian_share_link (
    id              uuid         PRIMARY KEY,
    token_hash      bytea        NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    patient         varchar(255) NOT NULL,
    studies         text[]       NOT NULL CHECK (cardinality(studies) > 0),
    data            text[]       NOT NULL CHECK (cardinality(data) > 0),
    creator         varchar(255) NOT NULL,
    creator_client  varchar(200) NOT NULL,
    created_at      timestamptz  NOT NULL,
    expires_at      timestamptz  NOT NULL,
    max_uses        integer      NOT NULL CHECK (max_uses > 0),
    uses            integer      NOT NULL DEFAULT 0 CHECK (uses >= 0 AND uses <= max_uses),
    recipient_label varchar(200),
    recipient       varchar(255),
    purpose         varchar(500),
    pin_hash        varchar(255),
    pin_failures    integer      NOT NULL DEFAULT 0,
    consent         varchar(255),
    revoked_at      timestamptz,
    revoked_reason  varchar(200),
    CHECK (expires_at > created_at)
);

CREATE INDEX custodian_share_link_creator ON custodian_share_link (creator, created_at);
CREATE INDEX custodian_share_link_patient ON custodian_share_link (patient, created_at);
CREATE INDEX custodian_share_link_consent ON custodian_share_link (consent) WHERE consent IS NOT NULL;

CREATE TABLE custodian_share_session (
    token_hash  bytea       PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    link_id     uuid        NOT NULL REFERENCES custodian_share_link (id),
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL
);
