-- Projects, tasks, each municipality's status on them, the history of
-- changes to published tasks, and the outbox of events for notifications.

CREATE TABLE projects (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    description TEXT    NOT NULL DEFAULT '',
    created_at  TEXT    NOT NULL
);

CREATE TABLE project_participants (
    project_id INTEGER NOT NULL REFERENCES projects (id),
    org_id     INTEGER NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (project_id, org_id)
);

CREATE TABLE tasks (
    id                INTEGER PRIMARY KEY,
    project_id        INTEGER NOT NULL REFERENCES projects (id),
    code              TEXT,
    title             TEXT    NOT NULL,
    description       TEXT    NOT NULL DEFAULT '',
    task_type         TEXT    NOT NULL CHECK (task_type IN ('critical', 'mandatory', 'voluntary')),
    start_date        TEXT,
    end_date          TEXT,
    period_text       TEXT,
    executor_role     TEXT,
    involved_roles    TEXT,
    state             TEXT    NOT NULL CHECK (state IN ('draft', 'published', 'closed')),
    -- Lower-cased code, title and description: SQLite's lower() knows
    -- only ASCII, so the program writes it (æ, ø, å included).
    search_text       TEXT    NOT NULL,
    completed_count   INTEGER NOT NULL DEFAULT 0,
    started_count     INTEGER NOT NULL DEFAULT 0,
    not_started_count INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT    NOT NULL,
    published_at      TEXT
);
CREATE INDEX tasks_by_project ON tasks (project_id);
CREATE INDEX tasks_by_state_end ON tasks (state, end_date);

CREATE TABLE task_statuses (
    task_id    INTEGER NOT NULL REFERENCES tasks (id),
    org_id     INTEGER NOT NULL REFERENCES organisations (id),
    status     TEXT    NOT NULL CHECK (status IN ('not_started', 'started', 'completed')),
    reason     TEXT,
    changed_at TEXT,
    changed_by TEXT,
    PRIMARY KEY (task_id, org_id)
);
CREATE INDEX task_statuses_by_org ON task_statuses (org_id, task_id, status);

CREATE TABLE task_changes (
    id          INTEGER PRIMARY KEY,
    task_id     INTEGER NOT NULL REFERENCES tasks (id),
    at          TEXT    NOT NULL,
    actor_label TEXT    NOT NULL,
    field       TEXT    NOT NULL,
    before_value TEXT,
    after_value  TEXT,
    reason      TEXT    NOT NULL
);
CREATE INDEX task_changes_by_task ON task_changes (task_id, id);

CREATE TABLE events (
    id         INTEGER PRIMARY KEY,
    kind       TEXT    NOT NULL,
    task_id    INTEGER REFERENCES tasks (id),
    payload    TEXT    NOT NULL,
    created_at TEXT    NOT NULL
);
