-- Failed share-link attempts per client address (issue 6): unknown, malformed, expired, used-up and
-- revoked tokens and wrong PINs, counted in a fixed window. At custodian.share.rate-limit.max-failures
-- in one window the address is answered 429 on every link — known or unknown, so the throttle tells
-- nothing about which tokens exist — until the window ends. In the database, so that every node
-- counts the same attempts. A row is reset by the first failure after its window.
CREATE TABLE custodian_share_attempt (
    address       varchar(64)  PRIMARY KEY,
    window_start  timestamptz  NOT NULL,
    failures      integer      NOT NULL CHECK (failures > 0)
);
