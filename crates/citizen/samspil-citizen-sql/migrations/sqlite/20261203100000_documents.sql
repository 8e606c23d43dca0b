-- Documents and their journal notes delivered by document systems
-- (issue 15), bitemporal as cases are: every registration kept, each a
-- whole snapshot with its periods, relations and journal posts (the
-- document attached to a case, by the case's UUID, with the journal note
-- on it), each with its validity. A party's CPR number is stored as its
-- keyed digest and sealed, never in clear; a journal note's body only
-- sealed (note_sealed), never returned by a read-back.
CREATE TABLE documents (
    id                INTEGER PRIMARY KEY,
    uuid              TEXT    NOT NULL UNIQUE,
    system_id         INTEGER NOT NULL REFERENCES vendor_systems (id),
    municipality_code INTEGER NOT NULL,
    created_at        TEXT    NOT NULL
);
CREATE INDEX documents_by_system ON documents (system_id, municipality_code, id);

-- BrugervendtNoegle is unique per municipality among documents: the
-- numbers of each document's present registration.
CREATE TABLE document_numbers (
    municipality_code INTEGER NOT NULL,
    document_number   TEXT    NOT NULL,
    document_id       INTEGER NOT NULL REFERENCES documents (id),
    PRIMARY KEY (municipality_code, document_number)
);
CREATE INDEX document_numbers_by_document ON document_numbers (document_id);

CREATE TABLE document_registrations (
    id            INTEGER PRIMARY KEY,
    document_id   INTEGER NOT NULL REFERENCES documents (id),
    delivery_id   INTEGER NOT NULL REFERENCES case_deliveries (id),
    operation     TEXT    NOT NULL,
    registered_at TEXT    NOT NULL,
    received_at   TEXT    NOT NULL,
    record_hash   TEXT    NOT NULL,
    UNIQUE (document_id, registered_at, record_hash)
);
CREATE INDEX document_registrations_by_document
    ON document_registrations (document_id, registered_at, id);

-- The attribute groups' periods: egenskaber, fremdrift.
CREATE TABLE document_periods (
    registration_id INTEGER NOT NULL REFERENCES document_registrations (id),
    group_name      TEXT    NOT NULL,
    position        INTEGER NOT NULL,
    valid_from      TEXT    NOT NULL,
    valid_to        TEXT,
    value_json      TEXT    NOT NULL,
    PRIMARY KEY (registration_id, group_name, position)
);

CREATE TABLE document_relations (
    registration_id INTEGER NOT NULL REFERENCES document_registrations (id),
    position        INTEGER NOT NULL,
    role            TEXT    NOT NULL,
    reference       TEXT,
    party_digest    TEXT,
    party_sealed    TEXT,
    valid_from      TEXT    NOT NULL,
    valid_to        TEXT,
    PRIMARY KEY (registration_id, position)
);
CREATE INDEX document_relations_by_party ON document_relations (party_digest);

CREATE TABLE document_journal_posts (
    registration_id INTEGER NOT NULL REFERENCES document_registrations (id),
    position        INTEGER NOT NULL,
    case_uuid       TEXT    NOT NULL,
    role            TEXT    NOT NULL,
    document_title  TEXT,
    note_title      TEXT,
    note_format     TEXT,
    note_sealed     TEXT,
    valid_from      TEXT    NOT NULL,
    valid_to        TEXT,
    PRIMARY KEY (registration_id, position)
);
CREATE INDEX document_journal_posts_by_case ON document_journal_posts (case_uuid);

-- The delivery log holds document batches too: what each batch carried.
ALTER TABLE case_deliveries ADD COLUMN object_kind TEXT NOT NULL DEFAULT 'case';

-- A read of a document is logged as a read of a case is.
ALTER TABLE citizen_access_log ADD COLUMN document_id INTEGER;
