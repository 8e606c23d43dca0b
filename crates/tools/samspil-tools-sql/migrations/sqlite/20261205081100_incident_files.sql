-- Issue 19: the files of an incident (screenshots, logs), added by its
-- parties or its reporter at intake and later, and fetched only by them.
-- The content is kept in the database, as coordination keeps a task's
-- attachments, so that a backup is one dump; the rules of name, size and
-- kind are the platform's (`samspil_domain::files`).

CREATE TABLE incident_files (
    id           INTEGER PRIMARY KEY,
    incident_id  INTEGER NOT NULL REFERENCES incidents (id),
    org_id       INTEGER NOT NULL REFERENCES organisations (id),
    user_id      INTEGER REFERENCES users (id),
    file_name    TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    content      BLOB    NOT NULL,
    uploaded_at  TEXT    NOT NULL
);

CREATE INDEX incident_files_by_incident ON incident_files (incident_id, id);
