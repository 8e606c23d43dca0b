-- Cases delivered by vendor systems (issue 15, step 2), bitemporal:
-- every registration a system delivers is kept (its time at the sender,
-- registered_at, and when samspil received it), each a whole snapshot of
-- the case with its attribute periods and relations, each with its
-- validity (valid_from/valid_to); nothing is overwritten. A party's CPR
-- number is never stored in clear: its keyed digest (party_digest, for
-- search) and the value sealed under the configured key (party_sealed).
CREATE TABLE cases (
    id                INTEGER PRIMARY KEY,
    uuid              TEXT    NOT NULL UNIQUE,
    system_id         INTEGER     NOT NULL REFERENCES vendor_systems (id),
    municipality_code INTEGER NOT NULL,
    created_at        TEXT     NOT NULL
);
CREATE INDEX cases_by_system ON cases (system_id, municipality_code, id);

-- BrugervendtNoegle (= Sagsnummer) is unique per municipality: the
-- numbers of each case's present registration.
CREATE TABLE case_numbers (
    municipality_code INTEGER NOT NULL,
    case_number       TEXT    NOT NULL,
    case_id           INTEGER     NOT NULL REFERENCES cases (id),
    PRIMARY KEY (municipality_code, case_number)
);
CREATE INDEX case_numbers_by_case ON case_numbers (case_id);

-- The delivery log: one row per batch, with the answer given, so that
-- the same batch again gets the same answer and changes nothing.
CREATE TABLE case_deliveries (
    id              INTEGER PRIMARY KEY,
    system_id       INTEGER     NOT NULL REFERENCES vendor_systems (id),
    batch_key       TEXT    NOT NULL,
    content_hash    TEXT    NOT NULL,
    operation       TEXT    NOT NULL CHECK (operation IN ('import', 'update')),
    received_at     TEXT     NOT NULL,
    status          TEXT    NOT NULL,
    record_count    INTEGER     NOT NULL,
    violation_count INTEGER     NOT NULL,
    outcome_json    TEXT    NOT NULL,
    -- The municipalities the batch's records are for, as ',751,461,':
    -- what a municipality's view of the log filters by.
    municipality_codes TEXT NOT NULL,
    UNIQUE (system_id, batch_key)
);
CREATE INDEX case_deliveries_by_system ON case_deliveries (system_id, id);

CREATE TABLE case_registrations (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER  NOT NULL REFERENCES cases (id),
    delivery_id   INTEGER  NOT NULL REFERENCES case_deliveries (id),
    operation     TEXT NOT NULL,
    registered_at TEXT  NOT NULL,
    received_at   TEXT  NOT NULL,
    record_hash   TEXT NOT NULL,
    UNIQUE (case_id, registered_at, record_hash)
);
CREATE INDEX case_registrations_by_case ON case_registrations (case_id, registered_at, id);

-- The attribute groups' periods: egenskaber, fremdrift, indeks.
CREATE TABLE case_periods (
    registration_id INTEGER     NOT NULL REFERENCES case_registrations (id),
    group_name      TEXT    NOT NULL,
    position        INTEGER NOT NULL,
    valid_from      TEXT     NOT NULL,
    valid_to        TEXT,
    value_json      TEXT    NOT NULL,
    PRIMARY KEY (registration_id, group_name, position)
);

CREATE TABLE case_relations (
    registration_id INTEGER     NOT NULL REFERENCES case_registrations (id),
    position        INTEGER NOT NULL,
    role            TEXT    NOT NULL,
    reference       TEXT,
    party_digest    TEXT,
    party_sealed    TEXT,
    valid_from      TEXT     NOT NULL,
    valid_to        TEXT,
    PRIMARY KEY (registration_id, position)
);
CREATE INDEX case_relations_by_party ON case_relations (party_digest);

-- The violations of accepted records (report mode) and refused ones, for
-- the compliance report and the municipality.
CREATE TABLE case_violations (
    delivery_id INTEGER     NOT NULL REFERENCES case_deliveries (id),
    case_uuid   TEXT    NOT NULL,
    pointer     TEXT    NOT NULL,
    rule        TEXT    NOT NULL,
    section     TEXT    NOT NULL,
    message     TEXT    NOT NULL,
    fatal       BOOLEAN NOT NULL
);
CREATE INDEX case_violations_by_delivery ON case_violations (delivery_id);

-- Every read of a citizen's data, by whom, written in the transaction
-- of the read.
CREATE TABLE citizen_access_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT  NOT NULL,
    reader      TEXT NOT NULL,
    system_id   INTEGER,
    case_id     INTEGER,
    purpose     TEXT NOT NULL
);
CREATE INDEX citizen_access_log_by_case ON citizen_access_log (case_id, id);
