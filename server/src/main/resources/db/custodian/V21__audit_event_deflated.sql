-- New audit events are stored as their canonical JSON compressed by Custodian (zlib, RFC 1950),
-- in event_deflated; events written before keep their JSON in event. Exactly one of the two is set.
-- Why: PostgreSQL compressed each event itself (pglz, the only method of the embedded build) and,
-- the row still being over its 2 KB TOAST threshold, moved it to the TOAST table: the compression
-- and the second insert were about a quarter of the database's work per audit event. zlib in the
-- JVM costs the request a few microseconds, gives a smaller value (a read's event: 2,848 bytes of
-- JSON, 1,246 with pglz, 1,030 with zlib), and the row (about 2 KB with its search terms) is kept
-- whole in the table page below toast_tuple_target. The hash chain covers the JSON, not its
-- compressed form. To read one by hand: select encode(event_deflated, 'hex') and inflate it with
-- any zlib tool (python3 -c "import sys,zlib; print(zlib.decompress(bytes.fromhex(sys.argv[1])).decode())" <hex>).
ALTER TABLE custodian_audit_event ADD COLUMN event_deflated bytea;
ALTER TABLE custodian_audit_event ALTER COLUMN event DROP NOT NULL;
ALTER TABLE custodian_audit_event ADD CONSTRAINT custodian_audit_event_one_form
    CHECK ((event IS NULL) <> (event_deflated IS NULL));
-- already compressed: PostgreSQL should neither compress it again nor move it out of the row while
-- the row is under 4 KB (events with many entities are larger and still go to the TOAST table)
ALTER TABLE custodian_audit_event ALTER COLUMN event_deflated SET STORAGE EXTERNAL;
ALTER TABLE custodian_audit_event SET (toast_tuple_target = 4096);
