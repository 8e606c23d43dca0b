-- Messages and notifications: community messages, every person's inbox,
-- their choices per kind, and the outbox of e-mails the job runner
-- delivers. Instants are RFC 3339 text in UTC, to whole seconds.

-- Events are turned into notifications once; those raised before this
-- migration are history, not news.
ALTER TABLE events ADD COLUMN fanned_out_at TEXT;
UPDATE events SET fanned_out_at = created_at;
CREATE INDEX events_to_fan_out ON events (id) WHERE fanned_out_at IS NULL;

CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    category        TEXT    NOT NULL CHECK (category IN ('news', 'important', 'operational')),
    subject         TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    -- The audience as chosen (JSON) and in words.
    audience        TEXT    NOT NULL,
    audience_label  TEXT    NOT NULL,
    recipient_count INTEGER NOT NULL,
    created_by      TEXT    NOT NULL,
    created_at      TEXT    NOT NULL
);

-- The outbox: one e-mail to one address. `delivery_key` names what the
-- e-mail is for (a notification or a digest period), so that nothing is
-- queued twice.
CREATE TABLE deliveries (
    id              INTEGER PRIMARY KEY,
    delivery_key    TEXT    NOT NULL UNIQUE,
    org_id          INTEGER NOT NULL REFERENCES organisations (id),
    user_id         INTEGER NOT NULL REFERENCES users (id),
    message_id      INTEGER REFERENCES messages (id),
    email           TEXT    NOT NULL,
    subject         TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    state           TEXT    NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT    NOT NULL,
    lease_until     TEXT,
    last_error      TEXT,
    created_at      TEXT    NOT NULL,
    sent_at         TEXT
);
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);
CREATE INDEX deliveries_by_org ON deliveries (org_id, id);
CREATE INDEX deliveries_by_message ON deliveries (message_id, state);

-- Every person's inbox: one row per person and cause (`source_key`:
-- `event:ID`, `message:ID`, `reminder:TASK:DATE`).
CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    org_id      INTEGER NOT NULL REFERENCES organisations (id),
    kind        TEXT    NOT NULL,
    source_key  TEXT    NOT NULL,
    message_id  INTEGER REFERENCES messages (id),
    task_id     INTEGER REFERENCES tasks (id),
    subject     TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    link        TEXT,
    -- How its e-mail goes: 'immediately', 'daily', 'weekly' or 'off'.
    email_plan  TEXT    NOT NULL CHECK (email_plan IN ('immediately', 'daily', 'weekly', 'off')),
    -- The digest e-mail that carried it.
    delivery_id INTEGER REFERENCES deliveries (id),
    created_at  TEXT    NOT NULL,
    read_at     TEXT,
    UNIQUE (source_key, user_id)
);
CREATE INDEX notifications_inbox ON notifications (user_id, id);
CREATE INDEX notifications_by_message ON notifications (message_id);
CREATE INDEX notifications_for_digest ON notifications (email_plan, user_id)
    WHERE delivery_id IS NULL AND email_plan IN ('daily', 'weekly');

CREATE TABLE notification_preferences (
    user_id   INTEGER NOT NULL REFERENCES users (id),
    kind      TEXT    NOT NULL,
    frequency TEXT    NOT NULL CHECK (frequency IN ('immediately', 'daily', 'weekly', 'off')),
    PRIMARY KEY (user_id, kind)
);

-- Jobs that run once a day remember the day they last ran.
CREATE TABLE job_days (
    name    TEXT PRIMARY KEY,
    done_on TEXT NOT NULL
);
