-- Refresh tokens already exchanged (rotated). Presenting one again means it was stolen or copied:
-- the whole grant it belonged to is revoked (refresh token family revocation).
CREATE TABLE custodian_spent_refresh_token (
    token_hash       varchar(64)  PRIMARY KEY,
    authorization_id varchar(100) NOT NULL,
    spent_at         timestamptz  NOT NULL DEFAULT now()
);
