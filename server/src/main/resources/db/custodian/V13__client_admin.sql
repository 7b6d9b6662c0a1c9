-- Client registration through the admin API: a backend client's inline JWKS lives in
-- client_settings and several redirect URIs in redirect_uris, which can outgrow the original
-- varchar limits; the API bounds them itself (see ClientRegistrationRequest).
ALTER TABLE oauth2_registered_client ALTER COLUMN client_settings TYPE text;
ALTER TABLE oauth2_registered_client ALTER COLUMN redirect_uris TYPE text;
