-- A community task can go to some of its project's municipalities instead
-- of all of them (issue 14): the ones chosen on the draft, and their number
-- on the task (0: all the project's participants), so that publishing and a
-- municipality joining the project know without reading the list.
ALTER TABLE tasks ADD COLUMN chosen_municipalities INTEGER NOT NULL DEFAULT 0;

CREATE TABLE task_municipalities (
    task_id INTEGER NOT NULL REFERENCES tasks (id),
    org_id  INTEGER NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (task_id, org_id)
);
