-- Claims delivered by debtor systems (issue 15, debts), bitemporal like
-- cases: every registration a system delivers is kept (registered_at at
-- the sender, received_at here), each the whole claim; nothing is
-- overwritten. The debtor's CPR number is never stored in clear: its
-- keyed digest (for look-up) and the value sealed under the configured
-- key. The batches share the cases' delivery log (case_deliveries,
-- case_violations): a system delivers one kind, and its log is its own.
CREATE TABLE claims (
    id                INTEGER PRIMARY KEY,
    uuid              TEXT    NOT NULL UNIQUE,
    system_id         INTEGER  NOT NULL REFERENCES vendor_systems (id),
    municipality_code INTEGER NOT NULL,
    created_at        TEXT NOT NULL,
    -- The present registration's (the latest registered_at), what the
    -- citizen's read looks a claim up by.
    debtor_digest     TEXT,
    claim_type        TEXT,
    present_registration_id INTEGER
);
CREATE INDEX claims_by_system ON claims (system_id, municipality_code, id);
CREATE INDEX claims_by_debtor ON claims (debtor_digest);

CREATE TABLE claim_registrations (
    id                 INTEGER PRIMARY KEY,
    claim_id           INTEGER  NOT NULL REFERENCES claims (id),
    delivery_id        INTEGER  NOT NULL REFERENCES case_deliveries (id),
    operation          TEXT    NOT NULL,
    registered_at      TEXT NOT NULL,
    received_at        TEXT NOT NULL,
    record_hash        TEXT    NOT NULL,
    claim_type         TEXT    NOT NULL,
    debtor_digest      TEXT    NOT NULL,
    debtor_sealed      TEXT    NOT NULL,
    -- Integer øre.
    original_amount    INTEGER  NOT NULL,
    balance            INTEGER  NOT NULL,
    due_date           TEXT    NOT NULL,
    status             TEXT    NOT NULL,
    debtor_system      TEXT    NOT NULL,
    valid_from         TEXT NOT NULL,
    valid_to           TEXT,
    UNIQUE (claim_id, registered_at, record_hash)
);
CREATE INDEX claim_registrations_by_claim ON claim_registrations (claim_id, registered_at, id);

-- Per municipality and claim type, its state now (the row a change locks
-- to decide on) and the history of changes (each with the day it takes
-- effect, who and when): configured → verified → opened.
CREATE TABLE claim_type_states (
    municipality_code INTEGER NOT NULL,
    claim_type        TEXT    NOT NULL,
    state             TEXT    NOT NULL,
    effective_from    TEXT,
    PRIMARY KEY (municipality_code, claim_type)
);

CREATE TABLE claim_type_changes (
    id                INTEGER PRIMARY KEY,
    municipality_code INTEGER NOT NULL,
    claim_type        TEXT    NOT NULL,
    state             TEXT    NOT NULL,
    effective_from    TEXT    NOT NULL,
    at                TEXT NOT NULL,
    actor_user_id     INTEGER,
    actor_label       TEXT    NOT NULL
);
CREATE INDEX claim_type_changes_by_type ON claim_type_changes (municipality_code, claim_type, id);

-- A read of a citizen's claim is logged by the claim.
ALTER TABLE citizen_access_log ADD COLUMN claim_id INTEGER;
