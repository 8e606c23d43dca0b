-- The role gallery: the community's catalogue of roles, each municipality's
-- holders, access to IT solutions (Brugerhåndtering), task assignments,
-- and the contact lists kept by hand.

-- Set by mail delivery when a permanent failure says the address bounces.
ALTER TABLE users ADD COLUMN email_bouncing_since TEXT;

CREATE TABLE roles (
    id               INTEGER PRIMARY KEY,
    name             TEXT    NOT NULL UNIQUE,
    description      TEXT    NOT NULL DEFAULT '',
    -- The IT solution the role belongs to; NULL for a cross-cutting role.
    project_id       INTEGER REFERENCES projects (id),
    mandatory        BOOLEAN NOT NULL,
    max_holders      INTEGER CHECK (max_holders IS NULL OR max_holders >= 1),
    requires_primary BOOLEAN NOT NULL,
    created_at       TEXT    NOT NULL
);

CREATE TABLE solution_access (
    org_id     INTEGER NOT NULL REFERENCES organisations (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    project_id INTEGER NOT NULL REFERENCES projects (id),
    granted_at TEXT    NOT NULL,
    granted_by TEXT    NOT NULL,
    PRIMARY KEY (org_id, user_id, project_id)
);

CREATE TABLE role_assignments (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES organisations (id),
    role_id    INTEGER NOT NULL REFERENCES roles (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    starts_on  TEXT    NOT NULL,
    ends_on    TEXT,
    is_primary BOOLEAN NOT NULL DEFAULT FALSE,
    note       TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL,
    created_by TEXT    NOT NULL,
    CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX role_assignments_by_org ON role_assignments (org_id, role_id);
CREATE INDEX role_assignments_by_user ON role_assignments (user_id, role_id);

-- Whom a municipality gives a task to: a role of its own or a person.
CREATE TABLE task_assignments (
    task_id     INTEGER NOT NULL REFERENCES tasks (id),
    org_id      INTEGER NOT NULL REFERENCES organisations (id),
    role_id     INTEGER REFERENCES roles (id),
    user_id     INTEGER REFERENCES users (id),
    assigned_at TEXT    NOT NULL,
    assigned_by TEXT    NOT NULL,
    PRIMARY KEY (task_id, org_id),
    CHECK ((role_id IS NULL) <> (user_id IS NULL))
);

CREATE TABLE contact_lists (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    description TEXT    NOT NULL DEFAULT '',
    created_at  TEXT    NOT NULL
);

CREATE TABLE contact_entries (
    id         INTEGER PRIMARY KEY,
    list_id    INTEGER NOT NULL REFERENCES contact_lists (id),
    org_id     INTEGER REFERENCES organisations (id),
    name       TEXT    NOT NULL,
    email      TEXT,
    phone      TEXT,
    role_title TEXT    NOT NULL DEFAULT '',
    note       TEXT    NOT NULL DEFAULT '',
    created_at TEXT    NOT NULL
);
CREATE INDEX contact_entries_by_list ON contact_entries (list_id, id);
