-- The head of the audit hash chain: one row, locked by each writer (any node) while it appends, so
-- sequence numbers are gapless and each event's hash covers the previous one.
CREATE TABLE custodian_audit_chain_head (
    id            integer     PRIMARY KEY CHECK (id = 1),
    last_sequence bigint      NOT NULL,
    last_hash     varchar(64) NOT NULL
);
INSERT INTO custodian_audit_chain_head (id, last_sequence, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
