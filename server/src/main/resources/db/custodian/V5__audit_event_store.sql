-- The audit trail's own store: append-only, one row per AuditEvent, written in the request's own
-- short transaction together with the chain head (V3). The event is kept as its FHIR JSON; the
-- columns beside it are the search terms auditors filter on, extracted once at append time.
-- Token terms are stored as 'system|code', 'code' and 'system|' so FHIR token search is an
-- array-contains test; references as 'Type/id'.
CREATE TABLE custodian_audit_event (
    sequence      bigint       PRIMARY KEY,
    id            uuid         NOT NULL UNIQUE,
    recorded      timestamptz  NOT NULL,
    previous_hash varchar(64)  NOT NULL,
    hash          varchar(64)  NOT NULL,
    event         text         NOT NULL,
    patients      text[]       NOT NULL,
    agents        text[]       NOT NULL,
    entities      text[]       NOT NULL,
    types         text[]       NOT NULL,
    subtypes      text[]       NOT NULL,
    actions       text[]       NOT NULL,
    outcomes      text[]       NOT NULL,
    purposes      text[]       NOT NULL
);
CREATE INDEX custodian_audit_event_recorded ON custodian_audit_event (recorded);
CREATE INDEX custodian_audit_event_patients ON custodian_audit_event USING gin (patients);
CREATE INDEX custodian_audit_event_agents ON custodian_audit_event USING gin (agents);
CREATE INDEX custodian_audit_event_entities ON custodian_audit_event USING gin (entities);

-- Nothing may rewrite or remove an audit record: not the application, not a stray script. (A
-- database owner can still drop the trigger; the hash chain and signed checkpoints catch that.)
CREATE FUNCTION custodian_audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER custodian_audit_event_no_update_or_delete
    BEFORE UPDATE OR DELETE ON custodian_audit_event
    FOR EACH ROW EXECUTE FUNCTION custodian_audit_event_append_only();
CREATE TRIGGER custodian_audit_event_no_truncate
    BEFORE TRUNCATE ON custodian_audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION custodian_audit_event_append_only();
