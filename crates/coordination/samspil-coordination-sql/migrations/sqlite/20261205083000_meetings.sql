-- Programme-manager meetings and workshops (issue 20): a meeting with its
-- agenda and materials, each person's registration (decided under the
-- meeting row's lock, within the seats), and the attendance recorded
-- after the meeting, per person with their municipality (a person need
-- not have a user: the attendance comes from the meeting tool's list).
CREATE TABLE meetings (
    id                  INTEGER PRIMARY KEY,
    kind                TEXT    NOT NULL CHECK (kind IN ('meeting', 'workshop')),
    title               TEXT    NOT NULL,
    starts_at           TEXT    NOT NULL,
    ends_at             TEXT    NOT NULL,
    link                TEXT    NOT NULL,
    description         TEXT    NOT NULL DEFAULT '',
    seats               INTEGER CHECK (seats IS NULL OR seats >= 1),
    -- The SEQUENCE of the last invitation sent; NULL before the first.
    invitation_sequence INTEGER,
    invited_at          TEXT,
    follow_up_sent_at   TEXT,
    created_at          TEXT    NOT NULL,
    CHECK (kind = 'meeting' OR seats IS NOT NULL)
);
CREATE INDEX meetings_by_start ON meetings (starts_at);

CREATE TABLE meeting_agenda_items (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    position   INTEGER NOT NULL,
    title      TEXT    NOT NULL,
    presenter  TEXT,
    starts_at  TEXT    NOT NULL,
    ends_at    TEXT    NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('regular', 'service_messages')),
    PRIMARY KEY (meeting_id, position)
);

CREATE TABLE meeting_materials (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    position   INTEGER NOT NULL,
    title      TEXT    NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('slides', 'recording', 'other')),
    link       TEXT,
    file_id    INTEGER,
    PRIMARY KEY (meeting_id, position),
    CHECK ((link IS NULL) <> (file_id IS NULL))
);

CREATE TABLE meeting_registrations (
    meeting_id    INTEGER NOT NULL REFERENCES meetings (id),
    user_id       INTEGER NOT NULL REFERENCES users (id),
    registered_at TEXT    NOT NULL,
    PRIMARY KEY (meeting_id, user_id)
);
CREATE INDEX meeting_registrations_by_user ON meeting_registrations (user_id);

CREATE TABLE meeting_attendance (
    meeting_id        INTEGER NOT NULL REFERENCES meetings (id),
    position          INTEGER NOT NULL,
    municipality_code INTEGER,
    person            TEXT    NOT NULL,
    PRIMARY KEY (meeting_id, position)
);
