-- Vendor systems (issue 15): who delivers into the citizen indexes, for
-- which municipalities from which date (approved by the municipality),
-- and their credentials (only SHA-256 digests). Municipalities are their
-- three-digit codes, plain values: no foreign key leaves the citizen
-- store. Instants are RFC 3339 text (whole seconds, UTC), dates
-- YYYY-MM-DD.
CREATE TABLE vendor_systems (
    id             INTEGER PRIMARY KEY,
    it_system_uuid TEXT    NOT NULL UNIQUE,
    name           TEXT    NOT NULL,
    vendor         TEXT    NOT NULL,
    kind           TEXT    NOT NULL
        CHECK (kind IN ('case', 'document', 'benefit', 'debt', 'appointment')),
    mode           TEXT    NOT NULL DEFAULT 'strict' CHECK (mode IN ('strict', 'report')),
    registered_at  TEXT    NOT NULL,
    disabled_at    TEXT
);

CREATE TABLE system_municipalities (
    system_id         INTEGER NOT NULL REFERENCES vendor_systems (id),
    municipality_code INTEGER NOT NULL CHECK (municipality_code BETWEEN 100 AND 999),
    valid_from        TEXT    NOT NULL,
    registered_at     TEXT    NOT NULL,
    approved_at       TEXT,
    approved_by       TEXT,
    PRIMARY KEY (system_id, municipality_code)
);
CREATE INDEX system_municipalities_by_municipality
    ON system_municipalities (municipality_code, system_id);

CREATE TABLE system_credentials (
    id           INTEGER PRIMARY KEY,
    system_id    INTEGER NOT NULL REFERENCES vendor_systems (id),
    token_hash   TEXT    NOT NULL UNIQUE,
    created_at   TEXT    NOT NULL,
    expires_at   TEXT,
    revoked_at   TEXT,
    last_used_at TEXT
);
CREATE INDEX system_credentials_by_system ON system_credentials (system_id, id);

-- The citizen store's own audit log (the main one is in another
-- database), append-only like it.
CREATE TABLE citizen_audit (
    id                INTEGER PRIMARY KEY,
    at                TEXT    NOT NULL,
    actor_user_id     INTEGER,
    actor_label       TEXT    NOT NULL,
    action            TEXT    NOT NULL,
    system_id         INTEGER,
    municipality_code INTEGER,
    detail_json       TEXT
);
CREATE INDEX citizen_audit_by_system ON citizen_audit (system_id, id);

CREATE TRIGGER citizen_audit_no_update BEFORE UPDATE ON citizen_audit
BEGIN
    SELECT RAISE(ABORT, 'citizen_audit is append-only');
END;
CREATE TRIGGER citizen_audit_no_delete BEFORE DELETE ON citizen_audit
BEGIN
    SELECT RAISE(ABORT, 'citizen_audit is append-only');
END;
