-- Second factor (TOTP, RFC 6238) and lockout after repeated failures.
ALTER TABLE custodian_user ADD COLUMN totp_secret varchar(64);
ALTER TABLE custodian_user ADD COLUMN failed_logins integer NOT NULL DEFAULT 0;
ALTER TABLE custodian_user ADD COLUMN locked_until timestamptz;
