-- Complete sign-ins, for login alerts: from which device (a random id in a long-lived cookie; only
-- its SHA-256 hash is kept) and which address, and whether either was new for that person. The
-- person sees them on /account/sign-ins.
CREATE TABLE custodian_sign_in (
    id           bigserial    PRIMARY KEY,
    username     varchar(100) NOT NULL,
    device_hash  char(64)     NOT NULL,
    address      varchar(64)  NOT NULL,
    user_agent   varchar(300),
    signed_in_at timestamptz  NOT NULL DEFAULT now(),
    new_device   boolean      NOT NULL,
    new_address  boolean      NOT NULL
);

CREATE INDEX custodian_sign_in_user ON custodian_sign_in (username, signed_in_at DESC);
