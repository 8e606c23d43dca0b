-- The tools context's first tables (issue 18): the NSIS risk assessment.
-- The catalogue of elements assessors score, the matrix from scores to
-- assurance level as versions (the first is the September 2019 slide's),
-- the assessments per IT solution and user type with a version per change
-- (its scores, the level it gave, its author and its approver), and each
-- municipality's identity provider's notified level.
--
-- `nsis_assessments.solution_id` is an IT solution of coordination's
-- (a project), deliberately without a foreign key: the tools context reads
-- the solutions through its `SolutionCatalogue`, never coordination's
-- tables, and a solution is never deleted.

CREATE TABLE nsis_elements (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL CHECK (kind IN ('risk', 'control')),
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  TEXT NOT NULL,
    UNIQUE (kind, name)
);

CREATE TABLE nsis_matrix_versions (
    version    INTEGER PRIMARY KEY CHECK (version >= 1),
    -- samspil_tools::nsis::Matrix as JSON, checked by Matrix::new when written.
    rows_json  TEXT   NOT NULL,
    note       TEXT   NOT NULL DEFAULT '',
    created_by TEXT   NOT NULL,
    created_at TEXT NOT NULL
);

-- The slide's matrix (KOMBIT, programme managers' meeting, September 2019),
-- read as DOMAIN.md says.
INSERT INTO nsis_matrix_versions (version, rows_json, note, created_by, created_at)
VALUES (1, '{"rows":[{"control_from_tenths":0,"levels":["Lav","Betydelig","Høj","Høj"]},{"control_from_tenths":5,"levels":["Lav","Betydelig","Høj","Høj"]},{"control_from_tenths":10,"levels":["Lav","Betydelig","Høj","Høj"]},{"control_from_tenths":15,"levels":["Lav","Betydelig","Betydelig","Høj"]},{"control_from_tenths":20,"levels":["Lav","Betydelig","Betydelig","Betydelig"]},{"control_from_tenths":25,"levels":["Lav","Betydelig","Betydelig","Betydelig"]},{"control_from_tenths":30,"levels":["Lav","Betydelig","Betydelig","Betydelig"]}]}',
        'KOMBIT''s matrix from the programme managers'' meeting, September 2019', 'samspil', '2019-06-01T00:00:00Z');

CREATE TABLE nsis_assessments (
    id          INTEGER PRIMARY KEY,
    solution_id INTEGER NOT NULL,
    user_type   TEXT   NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (solution_id, user_type)
);

CREATE TABLE nsis_assessment_versions (
    id                  INTEGER PRIMARY KEY,
    assessment_id       INTEGER NOT NULL REFERENCES nsis_assessments (id),
    version             INTEGER NOT NULL CHECK (version >= 1),
    project_leader      TEXT   NOT NULL,
    phase               TEXT   NOT NULL,
    -- The assessors' initials, comma-separated ("TRI,LVR,TG,RHI").
    assessors           TEXT   NOT NULL,
    assessed_on         TEXT NOT NULL,
    matrix_version      INTEGER NOT NULL REFERENCES nsis_matrix_versions (version),
    risk_score          INTEGER NOT NULL CHECK (risk_score BETWEEN 0 AND 3),
    control_sum         INTEGER NOT NULL CHECK (control_sum >= 0),
    control_count       INTEGER NOT NULL CHECK (control_count >= 1),
    level               TEXT   NOT NULL CHECK (level IN ('lav', 'betydelig', 'hoej')),
    author_user_id      INTEGER REFERENCES users (id),
    author              TEXT   NOT NULL,
    created_at          TEXT NOT NULL,
    approved_by_user_id INTEGER REFERENCES users (id),
    approved_by         TEXT,
    approved_at         TEXT,
    UNIQUE (assessment_id, version),
    CHECK ((approved_by IS NULL) = (approved_at IS NULL)),
    CHECK (approved_by IS NULL OR approved_by <> author)
);

CREATE TABLE nsis_scores (
    version_id BIGINT NOT NULL REFERENCES nsis_assessment_versions (id),
    element_id BIGINT NOT NULL REFERENCES nsis_elements (id),
    score      INTEGER NOT NULL CHECK (score BETWEEN 0 AND 3),
    rationale  TEXT   NOT NULL,
    PRIMARY KEY (version_id, element_id)
);

CREATE TABLE nsis_idp_levels (
    org_id        INTEGER PRIMARY KEY REFERENCES organisations (id),
    level         TEXT   NOT NULL CHECK (level IN ('lav', 'betydelig', 'hoej')),
    registered_by TEXT   NOT NULL,
    registered_at TEXT NOT NULL
);
