-- Organisations, people, sessions, tokens, login throttling and the audit log.
-- Instants are RFC 3339 text in UTC, to whole seconds (see samspil_storage::now).

CREATE TABLE organisations (
    id            INTEGER PRIMARY KEY,
    key           TEXT    NOT NULL UNIQUE,
    kind          TEXT    NOT NULL CHECK (kind IN ('community', 'association', 'municipality')),
    name          TEXT    NOT NULL,
    official_name TEXT    NOT NULL,
    code          INTEGER UNIQUE CHECK (code BETWEEN 100 AND 999),
    region        TEXT,
    created_at    TEXT    NOT NULL
);

CREATE TABLE org_units (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES organisations (id),
    name       TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES organisations (id),
    org_unit_id   INTEGER REFERENCES org_units (id),
    login         TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    email         TEXT,
    phone         TEXT,
    job_title     TEXT,
    role          TEXT    NOT NULL CHECK (role IN ('staff', 'admin', 'user')),
    user_type     TEXT    NOT NULL CHECK (user_type IN ('ordinary', 'light', 'reader')),
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    password_hash TEXT,
    created_at    TEXT    NOT NULL
);
CREATE INDEX users_by_org ON users (org_id);
CREATE INDEX users_by_org_unit ON users (org_unit_id);

CREATE TABLE sessions (
    id_hash    TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash   TEXT    NOT NULL UNIQUE,
    label        TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);

CREATE TABLE login_failures (
    login           TEXT    PRIMARY KEY,
    failures        INTEGER NOT NULL,
    last_failure_at TEXT    NOT NULL
);

CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY,
    at            TEXT    NOT NULL,
    actor_user_id INTEGER,
    actor_label   TEXT    NOT NULL,
    org_id        INTEGER,
    action        TEXT    NOT NULL,
    entity_type   TEXT    NOT NULL,
    entity_id     TEXT    NOT NULL,
    before_json   TEXT,
    after_json    TEXT
);
CREATE INDEX audit_log_by_org ON audit_log (org_id, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
