-- The generation of the records the access policy's facts are read from (CareTeam, Encounter,
-- RelatedPerson, Coverage, ServiceRequest, Consent): raised in the transaction of every write of
-- such a record, on any node. A node reuses a fact search only while the generation it read before
-- the search is still current, so a change counts from the very next request everywhere.
CREATE TABLE custodian_policy_fact_generation (
    id         integer PRIMARY KEY CHECK (id = 1),
    generation bigint  NOT NULL
);
INSERT INTO custodian_policy_fact_generation (id, generation) VALUES (1, 0);
