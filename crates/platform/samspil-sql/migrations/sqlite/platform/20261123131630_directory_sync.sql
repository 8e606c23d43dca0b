-- The scheduled sync of each municipality's organisation directory from
-- OS2mo: when it runs next, who holds it now (so that two instances never
-- sync one municipality at once), how many tries in a row failed, and the
-- history of runs. Instants are RFC 3339 text in UTC, to whole seconds.

CREATE TABLE directory_sync_state (
    org_id          INTEGER PRIMARY KEY REFERENCES organisations (id),
    next_run_at     TEXT    NOT NULL,
    -- Held by `lease_owner` until `lease_until`; a crashed instance's lease
    -- simply runs out.
    lease_owner     TEXT,
    lease_until     TEXT,
    -- Failed runs since the last successful one: the back-off's exponent.
    failures        INTEGER NOT NULL DEFAULT 0,
    last_success_at TEXT,
    last_error      TEXT,
    last_error_at   TEXT
);

CREATE TABLE directory_sync_runs (
    id                INTEGER PRIMARY KEY,
    org_id            INTEGER NOT NULL REFERENCES organisations (id),
    started_at        TEXT    NOT NULL,
    finished_at       TEXT    NOT NULL,
    outcome           TEXT    NOT NULL CHECK (outcome IN ('ok', 'failed')),
    users_created     INTEGER NOT NULL DEFAULT 0,
    users_updated     INTEGER NOT NULL DEFAULT 0,
    users_deactivated INTEGER NOT NULL DEFAULT 0,
    users_moved       INTEGER NOT NULL DEFAULT 0,
    units_created     INTEGER NOT NULL DEFAULT 0,
    units_updated     INTEGER NOT NULL DEFAULT 0,
    message           TEXT
);
CREATE INDEX directory_sync_runs_by_org ON directory_sync_runs (org_id, id);
