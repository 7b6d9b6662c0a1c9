-- SMART launch contexts.
--
-- custodian_launch_context: an EHR launch. A registered EHR client creates one for a patient (and
-- optionally an encounter) and hands the app the opaque `launch` value; only its SHA-256 hash is
-- kept. It is single use (used_at is set by the authorize request that redeems it), short-lived
-- (expires_at), and only the app named in client_id may redeem it.
CREATE TABLE custodian_launch_context (
    launch_hash  char(64)     PRIMARY KEY,
    created_by   varchar(200) NOT NULL,
    client_id    varchar(200) NOT NULL,
    patient      varchar(64)  NOT NULL,
    encounter    varchar(64),
    created_at   timestamptz  NOT NULL DEFAULT now(),
    expires_at   timestamptz  NOT NULL,
    used_at      timestamptz,
    used_by      varchar(200)
);

CREATE INDEX custodian_launch_context_expiry ON custodian_launch_context (expires_at);

-- custodian_sign_in_session: the sign-in sessions that online_access refresh tokens are bound to.
-- A row lives while the session does; logout or the idle timeout deletes it, and refresh tokens
-- bound to it stop working.
CREATE TABLE custodian_sign_in_session (
    session_key  varchar(64)  PRIMARY KEY,
    username     varchar(200) NOT NULL,
    created_at   timestamptz  NOT NULL DEFAULT now()
);
