-- Appointments and deadlines delivered by the activity index's systems
-- (issue 15, "Kalender"), bitemporal like claims: every registration a
-- system delivers is kept (registered_at at the sender, received_at
-- here), each the whole appointment; nothing is overwritten. A moved
-- appointment keeps its UUID: its new registration holds the new time
-- and the one before (previous_start). The citizen's CPR number is never
-- stored in clear: its keyed digest (for look-up) and the value sealed
-- under the configured key. The batches share the cases' delivery log.
CREATE TABLE appointments (
    id                INTEGER PRIMARY KEY,
    uuid              TEXT    NOT NULL UNIQUE,
    system_id         INTEGER  NOT NULL REFERENCES vendor_systems (id),
    municipality_code INTEGER NOT NULL,
    created_at        TEXT NOT NULL,
    -- The present registration's (the latest registered_at), what the
    -- citizen's read and a system's search look an appointment up by.
    part_digest       TEXT,
    case_uuid         TEXT,
    ends_at           TEXT,
    present_registration_id BIGINT
);
CREATE INDEX appointments_by_system ON appointments (system_id, municipality_code, id);
CREATE INDEX appointments_by_part ON appointments (part_digest, ends_at);

CREATE TABLE appointment_registrations (
    id                 INTEGER PRIMARY KEY,
    appointment_id     INTEGER  NOT NULL REFERENCES appointments (id),
    delivery_id        INTEGER  NOT NULL REFERENCES case_deliveries (id),
    operation          TEXT    NOT NULL,
    registered_at      TEXT NOT NULL,
    received_at        TEXT NOT NULL,
    record_hash        TEXT    NOT NULL,
    title              TEXT    NOT NULL,
    start_at           TEXT NOT NULL,
    end_at             TEXT,
    place              TEXT    NOT NULL,
    address            TEXT,
    area               TEXT    NOT NULL,
    bring              TEXT,
    case_uuid          TEXT,
    part_digest        TEXT    NOT NULL,
    part_sealed        TEXT    NOT NULL,
    status             TEXT    NOT NULL,
    previous_start     TEXT,
    valid_from         TEXT NOT NULL,
    valid_to           TEXT,
    UNIQUE (appointment_id, registered_at, record_hash)
);
CREATE INDEX appointment_registrations_by_appointment
    ON appointment_registrations (appointment_id, registered_at, id);

-- A read of a citizen's appointment is logged by the appointment.
ALTER TABLE citizen_access_log ADD COLUMN appointment_id INTEGER;
