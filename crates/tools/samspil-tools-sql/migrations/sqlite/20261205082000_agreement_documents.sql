-- An agreement's document versions (staff upload each with a note) and
-- the signed documents the municipalities upload to a signature (issue
-- 18). A signed document belongs to the answer it was uploaded to (the
-- history row), so a later answer does not carry an earlier signature's
-- document. Files follow the platform's rules (`samspil_domain::files`).

CREATE TABLE agreement_documents (
    id           INTEGER PRIMARY KEY,
    agreement_id INTEGER NOT NULL REFERENCES agreements (id),
    version      INTEGER NOT NULL CHECK (version > 0),
    note         TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    content      BLOB NOT NULL,
    uploaded_by  TEXT NOT NULL,
    uploaded_at  TEXT NOT NULL,
    UNIQUE (agreement_id, version)
);

CREATE TABLE agreement_signed_documents (
    id           INTEGER PRIMARY KEY,
    agreement_id INTEGER NOT NULL REFERENCES agreements (id),
    org_id       INTEGER NOT NULL REFERENCES organisations (id),
    answer_id    INTEGER NOT NULL REFERENCES agreement_answer_history (id),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL CHECK (content_type = 'application/pdf'),
    size_bytes   INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    content      BLOB NOT NULL,
    uploaded_by  TEXT NOT NULL,
    uploaded_at  TEXT NOT NULL
);

CREATE INDEX agreement_signed_documents_by_org
    ON agreement_signed_documents (agreement_id, org_id);
