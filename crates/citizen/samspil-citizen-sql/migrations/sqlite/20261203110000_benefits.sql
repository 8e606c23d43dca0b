-- Grants and payments of the benefit index (issue 15, benefits),
-- delivered by systems of kind 'benefit', kept bitemporally as cases are:
-- every registration a whole snapshot, never overwritten, each period and
-- relation with its validity. One table of objects for both types (the
-- index's BevillingIndeks and OekonomiskEffektueringIndeks), since their
-- registrations are kept alike. Their batches are lines of the one
-- delivery log (case_deliveries: a system delivers one kind).
CREATE TABLE benefit_objects (
    id                INTEGER PRIMARY KEY,
    uuid              TEXT    NOT NULL UNIQUE,
    object_type       TEXT    NOT NULL CHECK (object_type IN ('grant', 'payment')),
    system_id         INTEGER NOT NULL REFERENCES vendor_systems (id),
    municipality_code INTEGER NOT NULL,
    -- A payment's grant (by the grant's UUID, as its present
    -- registration names it): the grant may be delivered later.
    grant_uuid        TEXT,
    created_at        TEXT    NOT NULL
);
CREATE INDEX benefit_objects_by_system ON benefit_objects (system_id, municipality_code, id);
CREATE INDEX benefit_objects_by_grant ON benefit_objects (grant_uuid);

CREATE TABLE benefit_registrations (
    id            INTEGER PRIMARY KEY,
    object_id     INTEGER NOT NULL REFERENCES benefit_objects (id),
    delivery_id   INTEGER NOT NULL REFERENCES case_deliveries (id),
    operation     TEXT    NOT NULL,
    registered_at TEXT    NOT NULL,
    received_at   TEXT    NOT NULL,
    record_hash   TEXT    NOT NULL,
    UNIQUE (object_id, registered_at, record_hash)
);
CREATE INDEX benefit_registrations_by_object ON benefit_registrations (object_id, registered_at, id);

-- The attribute groups' periods: a grant's egenskaber and ydelser (each
-- granted benefit with its payment plan), a payment's egenskaber. A
-- payment's amounts are integer øre in their own columns (what sums and
-- the read-back use; never a float).
CREATE TABLE benefit_periods (
    registration_id      INTEGER NOT NULL REFERENCES benefit_registrations (id),
    group_name           TEXT    NOT NULL,
    position             INTEGER NOT NULL,
    valid_from           TEXT    NOT NULL,
    valid_to             TEXT,
    value_json           TEXT    NOT NULL,
    gross_oere           BIGINT,
    after_tax_oere       BIGINT,
    sent_for_payment_oere BIGINT,
    paid_oere            BIGINT,
    PRIMARY KEY (registration_id, group_name, position)
);

-- Relations; the recipient's CPR number only as its keyed digest and
-- sealed, as the cases' parties.
CREATE TABLE benefit_relations (
    registration_id INTEGER NOT NULL REFERENCES benefit_registrations (id),
    position        INTEGER NOT NULL,
    role            TEXT    NOT NULL,
    reference       TEXT,
    party_digest    TEXT,
    party_sealed    TEXT,
    valid_from      TEXT    NOT NULL,
    valid_to        TEXT,
    PRIMARY KEY (registration_id, position)
);
CREATE INDEX benefit_relations_by_party ON benefit_relations (party_digest);

-- A read of a grant or payment is logged as a case's is.
ALTER TABLE citizen_access_log ADD COLUMN benefit_id INTEGER;
