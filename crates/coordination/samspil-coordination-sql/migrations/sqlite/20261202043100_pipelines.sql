-- Onboarding pipelines (issue 20): a pipeline is an area's ordered steps,
-- each step one task of the project (so statuses, answers, files and
-- reminders are the tasks'); the gates read the step tasks' statuses
-- under the pipeline row's lock. Claim types are the area's catalogue,
-- ticked as the answers of the claim step's question. The windows are
-- the timeline of areas (the newsletter's "mulighedsrum").
CREATE TABLE pipelines (
    id                   INTEGER PRIMARY KEY,
    project_id           INTEGER NOT NULL REFERENCES projects (id),
    area                 TEXT    NOT NULL,
    supplementary_months INTEGER NOT NULL DEFAULT 0,
    claim_step           TEXT,
    created_at           TEXT    NOT NULL,
    UNIQUE (project_id, area)
);

CREATE TABLE pipeline_steps (
    pipeline_id INTEGER NOT NULL REFERENCES pipelines (id),
    position    INTEGER NOT NULL,
    step_key    TEXT    NOT NULL,
    title       TEXT    NOT NULL,
    actor       TEXT    NOT NULL CHECK (actor IN ('municipality', 'vendor', 'agency', 'community')),
    -- A JSON array of the keys of the steps this one waits for.
    depends_on  TEXT    NOT NULL,
    task_id     INTEGER NOT NULL UNIQUE REFERENCES tasks (id),
    PRIMARY KEY (pipeline_id, step_key)
);

CREATE TABLE pipeline_claim_types (
    pipeline_id INTEGER NOT NULL REFERENCES pipelines (id),
    position    INTEGER NOT NULL,
    code        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    PRIMARY KEY (pipeline_id, code)
);

CREATE TABLE pipeline_windows (
    id        INTEGER PRIMARY KEY,
    area      TEXT    NOT NULL,
    system    TEXT    NOT NULL,
    opens_on  TEXT    NOT NULL,
    closes_on TEXT    NOT NULL
);
