-- From this version on, new audit events are compressed with a preset zlib dictionary (a typical
-- event's JSON, so the code system URLs every event repeats cost a few bytes): a read's event takes
-- about 210 bytes instead of 1,030. Nothing in the table changes; this comment tells whoever reads
-- the column by hand how. The zlib header of such a value has the FDICT flag and names the
-- dictionary by its Adler-32; events stored before have no dictionary and read as V21 says.
COMMENT ON COLUMN custodian_audit_event.event_deflated IS
  'The event''s canonical JSON, zlib (RFC 1950). Values whose header sets FDICT need the preset dictionary it names by Adler-32: 1890626567 is audit/zlib-dictionary-1.json in the server jar (server/src/main/resources in the source). Python: zlib.decompressobj(zdict=open(''zlib-dictionary-1.json'',''rb'').read()).decompress(value)';
