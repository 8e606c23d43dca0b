-- A meeting's evaluation (issue 20): the survey staff define (its checked
-- questions as JSON), each person's one response (the primary key keeps
-- one per person and meeting, also for answers sent at the same moment),
-- and "send us input to the next meeting", sent to a coming meeting.
CREATE TABLE meeting_surveys (
    meeting_id INTEGER     PRIMARY KEY REFERENCES meetings (id),
    questions  TEXT        NOT NULL,
    updated_at TEXT        NOT NULL
);

CREATE TABLE meeting_survey_responses (
    meeting_id  INTEGER     NOT NULL REFERENCES meetings (id),
    user_id     INTEGER     NOT NULL REFERENCES users (id),
    answers     TEXT        NOT NULL,
    answered_at TEXT        NOT NULL,
    PRIMARY KEY (meeting_id, user_id)
);

CREATE TABLE meeting_inputs (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER     NOT NULL REFERENCES meetings (id),
    user_id    INTEGER     NOT NULL REFERENCES users (id),
    org_id     INTEGER     NOT NULL REFERENCES organisations (id),
    body       TEXT        NOT NULL,
    sent_at    TEXT        NOT NULL
);
CREATE INDEX meeting_inputs_by_meeting ON meeting_inputs (meeting_id, id);
