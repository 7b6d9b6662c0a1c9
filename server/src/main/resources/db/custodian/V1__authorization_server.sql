-- Custodian's own tables (HAPI's are managed by HAPI). Applied by Flyway at start, history in
-- custodian_schema_history.

-- People who sign in: one row per unique user id (HIPAA 164.312(a)(2)(i)).
CREATE TABLE custodian_user (
    username      varchar(100) PRIMARY KEY,
    password_hash varchar(200) NOT NULL,
    display_name  varchar(200) NOT NULL,
    fhir_user     varchar(200),
    roles         varchar(500) NOT NULL,
    organization  varchar(200),
    enabled       boolean      NOT NULL DEFAULT true,
    created_at    timestamptz  NOT NULL DEFAULT now()
);

-- Spring Authorization Server's tables, with PostgreSQL types (text for blob, timestamptz).
CREATE TABLE oauth2_registered_client (
    id                            varchar(100)  NOT NULL PRIMARY KEY,
    client_id                     varchar(100)  NOT NULL UNIQUE,
    client_id_issued_at           timestamptz   NOT NULL DEFAULT now(),
    client_secret                 varchar(200),
    client_secret_expires_at      timestamptz,
    client_name                   varchar(200)  NOT NULL,
    client_authentication_methods varchar(1000) NOT NULL,
    authorization_grant_types     varchar(1000) NOT NULL,
    redirect_uris                 varchar(1000),
    post_logout_redirect_uris     varchar(1000),
    scopes                        varchar(4000) NOT NULL,
    client_settings               varchar(2000) NOT NULL,
    token_settings                varchar(2000) NOT NULL
);

CREATE TABLE oauth2_authorization (
    id                            varchar(100) NOT NULL PRIMARY KEY,
    registered_client_id          varchar(100) NOT NULL,
    principal_name                varchar(200) NOT NULL,
    authorization_grant_type      varchar(100) NOT NULL,
    authorized_scopes             varchar(4000),
    attributes                    text,
    state                         varchar(500),
    authorization_code_value      text,
    authorization_code_issued_at  timestamptz,
    authorization_code_expires_at timestamptz,
    authorization_code_metadata   text,
    access_token_value            text,
    access_token_issued_at        timestamptz,
    access_token_expires_at       timestamptz,
    access_token_metadata         text,
    access_token_type             varchar(100),
    access_token_scopes           varchar(4000),
    oidc_id_token_value           text,
    oidc_id_token_issued_at       timestamptz,
    oidc_id_token_expires_at      timestamptz,
    oidc_id_token_metadata        text,
    refresh_token_value           text,
    refresh_token_issued_at       timestamptz,
    refresh_token_expires_at      timestamptz,
    refresh_token_metadata        text,
    user_code_value               text,
    user_code_issued_at           timestamptz,
    user_code_expires_at          timestamptz,
    user_code_metadata            text,
    device_code_value             text,
    device_code_issued_at         timestamptz,
    device_code_expires_at        timestamptz,
    device_code_metadata          text
);
CREATE INDEX oauth2_authorization_principal ON oauth2_authorization (principal_name);
CREATE INDEX oauth2_authorization_state ON oauth2_authorization (state);
-- hash indexes: token values are long (JWTs) and only ever compared for equality
CREATE INDEX oauth2_authorization_code ON oauth2_authorization USING hash (authorization_code_value);
CREATE INDEX oauth2_authorization_access ON oauth2_authorization USING hash (access_token_value);
CREATE INDEX oauth2_authorization_refresh ON oauth2_authorization USING hash (refresh_token_value);

CREATE TABLE oauth2_authorization_consent (
    registered_client_id varchar(100)  NOT NULL,
    principal_name       varchar(200)  NOT NULL,
    authorities          varchar(4000) NOT NULL,
    PRIMARY KEY (registered_client_id, principal_name)
);
