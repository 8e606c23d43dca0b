-- The KLE subject plan (samspil import kle): what a case's primary class
-- is checked against, and (later) each subject's deletion rule for the
-- retention job.
CREATE TABLE kle_subjects (
    number        TEXT PRIMARY KEY,
    title         TEXT NOT NULL,
    created_on    TEXT,
    expired_on    TEXT,
    replaced_by   TEXT,
    deletion_rule TEXT,
    imported_at   TEXT  NOT NULL
);
