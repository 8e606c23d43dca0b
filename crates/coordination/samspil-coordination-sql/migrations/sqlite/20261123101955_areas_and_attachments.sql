-- A task may belong to a business area of its project (DOS: Socialret,
-- Bibliotek, P-afgifter …), so status can say "29 municipalities still
-- have tasks left in Bibliotek".
ALTER TABLE tasks ADD COLUMN business_area TEXT;
CREATE INDEX tasks_by_business_area ON tasks (project_id, business_area);

-- Files on a task: the community's (org_id NULL, for every municipality
-- the task reaches) and each municipality's own (read by it and by staff).
-- The content is kept in the database so that a backup is one file.
CREATE TABLE task_attachments (
    id           INTEGER PRIMARY KEY,
    task_id      INTEGER NOT NULL REFERENCES tasks (id),
    org_id       INTEGER REFERENCES organisations (id),
    file_name    TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    content      BLOB    NOT NULL,
    uploaded_at  TEXT    NOT NULL,
    uploaded_by  TEXT    NOT NULL
);
CREATE INDEX task_attachments_by_task ON task_attachments (task_id, org_id);

-- A question may ask for a file. SQLite cannot change a CHECK, so the
-- questions and the answers that reference them are rebuilt; renaming the
-- new questions table rewrites the answers' reference to it.
CREATE TABLE task_questions_new (
    id         INTEGER PRIMARY KEY,
    task_id    INTEGER NOT NULL REFERENCES tasks (id),
    position   INTEGER NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('single_choice', 'multiple_choice', 'yes_no', 'number', 'text', 'file')),
    prompt     TEXT    NOT NULL,
    options    TEXT    NOT NULL,
    required   BOOLEAN NOT NULL
);
INSERT INTO task_questions_new (id, task_id, position, kind, prompt, options, required)
    SELECT id, task_id, position, kind, prompt, options, required FROM task_questions;
CREATE TABLE task_answers_new (
    question_id INTEGER NOT NULL REFERENCES task_questions_new (id),
    org_id      INTEGER NOT NULL REFERENCES organisations (id),
    task_id     INTEGER NOT NULL REFERENCES tasks (id),
    answer      TEXT    NOT NULL,
    answered_at TEXT    NOT NULL,
    answered_by TEXT    NOT NULL,
    PRIMARY KEY (question_id, org_id)
);
INSERT INTO task_answers_new (question_id, org_id, task_id, answer, answered_at, answered_by)
    SELECT question_id, org_id, task_id, answer, answered_at, answered_by FROM task_answers;
DROP TABLE task_answers;
DROP TABLE task_questions;
ALTER TABLE task_questions_new RENAME TO task_questions;
ALTER TABLE task_answers_new RENAME TO task_answers;
CREATE INDEX task_questions_by_task ON task_questions (task_id, position);
CREATE INDEX task_answers_by_task ON task_answers (task_id, org_id);

-- A municipality's local task: its own, published to it alone, never part
-- of the national status.
ALTER TABLE tasks ADD COLUMN owner_org_id INTEGER REFERENCES organisations (id);

-- The task sheet's three texts besides the description.
ALTER TABLE tasks ADD COLUMN responsibility TEXT;
ALTER TABLE tasks ADD COLUMN competences TEXT;
ALTER TABLE tasks ADD COLUMN characteristics TEXT;

-- People and units brought over from the municipality's organisation
-- directory carry the directory's uuid, so that the next import finds them
-- even when their name or login changed.
ALTER TABLE org_units ADD COLUMN external_id TEXT;
ALTER TABLE users ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX users_by_external_id ON users (external_id);
CREATE UNIQUE INDEX org_units_by_external_id ON org_units (org_id, external_id);
