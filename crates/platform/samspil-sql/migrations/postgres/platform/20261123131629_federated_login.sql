-- Logins through an identity provider that have been started and not yet
-- finished: what the callback needs to finish them (the PKCE verifier, the
-- nonce) and what binds them to the browser that started them. Each row is
-- used once (deleted when the callback takes it) and lives ten minutes.
-- The state and the browser cookie are kept as SHA-256 digests.

CREATE TABLE federated_login_states (
    state_hash    TEXT PRIMARY KEY,
    browser_hash  TEXT NOT NULL,
    provider      TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    nonce         TEXT NOT NULL,
    next_path     TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX federated_login_states_by_expiry ON federated_login_states (expires_at);

-- The e-mail match of a federated login looks people up by address within
-- a municipality.
CREATE INDEX users_by_org_and_email ON users (org_id, lower(email));
