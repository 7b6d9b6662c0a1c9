-- SMART Backend Services: the jti of every client assertion (private_key_jwt) accepted, until it
-- expires. A second use of the same (client, jti) is a replay and is refused. Kept in the
-- database so that every server node refuses what any other node has already accepted.
CREATE TABLE custodian_client_assertion_jti (
    client_id  varchar(200) NOT NULL,
    jti        varchar(255) NOT NULL,
    expires_at timestamptz  NOT NULL,
    seen_at    timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (client_id, jti)
);

CREATE INDEX custodian_client_assertion_jti_expiry ON custodian_client_assertion_jti (expires_at);
