-- Agreements per solution and each municipality's answer (issue 18).
-- A municipality without an answer has not been asked. `solution_id` is
-- an IT solution of coordination's, without a foreign key, as in
-- `nsis_assessments`.

CREATE TABLE agreements (
    id          INTEGER PRIMARY KEY,
    solution_id INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('tilslutningsaftale', 'databehandleraftale',
                                              'star_tilslutningsaftale', 'certifikatblanket')),
    name        TEXT NOT NULL UNIQUE,
    deadline    TEXT,
    created_at  TEXT NOT NULL
);

CREATE TABLE agreement_answers (
    agreement_id INTEGER NOT NULL REFERENCES agreements (id),
    org_id       INTEGER NOT NULL REFERENCES organisations (id),
    state        TEXT NOT NULL CHECK (state IN ('signed', 'declined', 'signed_with_reservation',
                                                'considering', 'not_asked')),
    reservation  TEXT CHECK ((reservation IS NOT NULL) = (state = 'signed_with_reservation')),
    signed_by    TEXT,
    signed_on    TEXT,
    answered_on  TEXT NOT NULL,
    answered_by  TEXT NOT NULL,
    answered_at  TEXT NOT NULL,
    PRIMARY KEY (agreement_id, org_id)
);
