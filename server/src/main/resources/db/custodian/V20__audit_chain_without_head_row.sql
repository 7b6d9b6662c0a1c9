-- The chain head row (V3) is no longer kept: a writer links its events behind the last event it
-- wrote and inserts them only while nothing follows that event, and the sequence (the primary key of
-- custodian_audit_event) keeps two racing writers from both succeeding. Updating the head row on
-- every append cost PostgreSQL about a sixth of the append. The chain's head is its last event.
-- Upgrade every node of a cluster together: a node of an older version would still move the head row.
DROP TABLE custodian_audit_chain_head;
