-- From this version on, new audit events are stored as zstd frames (RFC 8878) instead of zlib
-- streams, with the same dictionary: zstd digests the dictionary once, where zlib loaded it into
-- every event again, and writes slightly smaller events. Nothing in the table changes; this comment
-- tells whoever reads the column by hand how. A value's first bytes tell the form: 28 B5 2F FD is a
-- zstd frame, 78 a zlib stream; events stored before keep their form.
COMMENT ON COLUMN custodian_audit_event.event_deflated IS
  'The event''s canonical JSON, compressed. Values starting 28 B5 2F FD (since V23) are zstd frames with audit/event-dictionary-1.json in the server jar (server/src/main/resources in the source) as raw-content dictionary: zstd -d -D event-dictionary-1.json. Values starting 78 (V21, V22) are zlib (RFC 1950); those whose header sets FDICT need the same file as preset dictionary (Adler-32 1890626567). Python: zlib.decompressobj(zdict=open(''event-dictionary-1.json'',''rb'').read()).decompress(value)';
