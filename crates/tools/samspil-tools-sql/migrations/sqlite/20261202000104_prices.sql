-- Prices per citizen per solution and the municipalities' populations
-- (issue 18): what the yearly bills are made of. Money is integer øre.
-- `solution_id` is an IT solution of coordination's, without a foreign
-- key, as in `nsis_assessments`.

CREATE TABLE solution_prices (
    id              INTEGER PRIMARY KEY,
    solution_id     INTEGER NOT NULL,
    ore_per_citizen INTEGER NOT NULL CHECK (ore_per_citizen >= 0),
    valid_from      TEXT NOT NULL,
    valid_to        TEXT CHECK (valid_to IS NULL OR valid_to >= valid_from),
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    UNIQUE (solution_id, valid_from)
);

CREATE TABLE populations (
    org_id      INTEGER NOT NULL REFERENCES organisations (id),
    as_of       TEXT NOT NULL,
    population  INTEGER NOT NULL CHECK (population >= 0),
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (org_id, as_of)
);
