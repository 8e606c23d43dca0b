-- A municipality's comments on a task: read by its own people and by staff.
CREATE TABLE task_comments (
    id             INTEGER PRIMARY KEY,
    task_id        INTEGER NOT NULL REFERENCES tasks (id),
    org_id         INTEGER NOT NULL REFERENCES organisations (id),
    author_user_id INTEGER,
    author_label   TEXT    NOT NULL,
    body           TEXT    NOT NULL,
    created_at     TEXT    NOT NULL
);
CREATE INDEX task_comments_by_task ON task_comments (task_id, org_id, id);
