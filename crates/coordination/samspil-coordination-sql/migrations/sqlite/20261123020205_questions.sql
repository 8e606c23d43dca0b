-- Questions a task asks each municipality, and each municipality's answers.
-- Options and answers are JSON arrays of strings.

CREATE TABLE task_questions (
    id         INTEGER PRIMARY KEY,
    task_id    INTEGER NOT NULL REFERENCES tasks (id),
    position   INTEGER NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('single_choice', 'multiple_choice', 'yes_no', 'number', 'text')),
    prompt     TEXT    NOT NULL,
    options    TEXT    NOT NULL,
    required   BOOLEAN NOT NULL
);
CREATE INDEX task_questions_by_task ON task_questions (task_id, position);

CREATE TABLE task_answers (
    question_id INTEGER NOT NULL REFERENCES task_questions (id),
    org_id      INTEGER NOT NULL REFERENCES organisations (id),
    task_id     INTEGER NOT NULL REFERENCES tasks (id),
    answer      TEXT    NOT NULL,
    answered_at TEXT    NOT NULL,
    answered_by TEXT    NOT NULL,
    PRIMARY KEY (question_id, org_id)
);
CREATE INDEX task_answers_by_task ON task_answers (task_id, org_id);
