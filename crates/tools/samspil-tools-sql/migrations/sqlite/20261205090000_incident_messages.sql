-- Issue 19: the operational messages ("Servicemeddelelse") the community
-- sent about an incident. The message itself is coordination's (its
-- messages, inboxes and e-mails); this keeps which one went out about which
-- incident, with what the incident page shows, so that the tools never
-- read coordination's tables.

CREATE TABLE incident_messages (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    message_id  INTEGER NOT NULL,
    subject     TEXT    NOT NULL,
    audience    TEXT    NOT NULL,
    recipients  INTEGER NOT NULL,
    sent_by     TEXT    NOT NULL,
    sent_at     TEXT    NOT NULL
);

CREATE INDEX incident_messages_by_incident ON incident_messages (incident_id, id);
