-- Applications for a workshop's seats (issue 20): one per person and
-- workshop; staff's choice sets each one's decision once.
CREATE TABLE workshop_applications (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    org_id     INTEGER NOT NULL REFERENCES organisations (id),
    motivation TEXT    NOT NULL DEFAULT '',
    applied_at TEXT    NOT NULL,
    decision   TEXT    CHECK (decision IN ('chosen', 'not_chosen')),
    decided_at TEXT,
    UNIQUE (meeting_id, user_id)
);
