-- Each municipality's status history on a task: who moved it, when, from
-- which status to which, and why (issue 14). The status row keeps only the
-- latest; this keeps every change, for the task page, the drill-down, the
-- per-task export and the task's PDF.
CREATE TABLE task_status_changes (
    id            INTEGER PRIMARY KEY,
    task_id       INTEGER     NOT NULL REFERENCES tasks (id),
    org_id        INTEGER     NOT NULL REFERENCES organisations (id),
    at            TEXT        NOT NULL,
    actor_user_id INTEGER     REFERENCES users (id),
    actor_label   TEXT        NOT NULL,
    from_status   TEXT        CHECK (from_status IN ('not_started', 'started', 'completed')),
    to_status     TEXT        NOT NULL CHECK (to_status IN ('not_started', 'started', 'completed')),
    reason        TEXT
);
CREATE INDEX task_status_changes_by_task ON task_status_changes (task_id, org_id, id);

-- The changes made before this table: only their latest step is known.
INSERT INTO task_status_changes (task_id, org_id, at, actor_label, from_status, to_status, reason)
SELECT task_id, org_id, changed_at, COALESCE(changed_by, ''), NULL, status, reason
FROM task_statuses WHERE changed_at IS NOT NULL;
