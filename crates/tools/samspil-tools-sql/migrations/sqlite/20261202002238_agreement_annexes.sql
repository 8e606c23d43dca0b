-- Annex versions of an agreement, sent through the outbox to the
-- municipalities that signed it, and their acknowledgements of receipt
-- (issue 18). `annex_recipients` keeps who it was sent to, so that later
-- signatures do not change who owes an acknowledgement.

CREATE TABLE agreement_annexes (
    id           INTEGER PRIMARY KEY,
    agreement_id INTEGER NOT NULL REFERENCES agreements (id),
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    published_by TEXT NOT NULL,
    published_at TEXT NOT NULL
);

CREATE TABLE annex_recipients (
    annex_id        INTEGER NOT NULL REFERENCES agreement_annexes (id),
    org_id          INTEGER NOT NULL REFERENCES organisations (id),
    acknowledged_by TEXT,
    acknowledged_at TEXT,
    PRIMARY KEY (annex_id, org_id),
    CHECK ((acknowledged_by IS NULL) = (acknowledged_at IS NULL))
);
