-- Signed checkpoints of the audit hash chain: "event <sequence> has hash <hash>", signed with the
-- server's checkpoint key (alias key_id) at <signed_at>. A rewrite of the chain up to a checkpoint
-- cannot be re-signed without the key. Append-only like the events.
CREATE TABLE custodian_audit_checkpoint (
    sequence   bigint       NOT NULL,
    hash       varchar(64)  NOT NULL,
    signed_at  timestamptz  NOT NULL,
    key_id     varchar(200) NOT NULL,
    algorithm  varchar(40)  NOT NULL,
    signature  text         NOT NULL,
    PRIMARY KEY (sequence, key_id)
);
CREATE TRIGGER custodian_audit_checkpoint_no_update_or_delete
    BEFORE UPDATE OR DELETE ON custodian_audit_checkpoint
    FOR EACH ROW EXECUTE FUNCTION custodian_audit_event_append_only();
