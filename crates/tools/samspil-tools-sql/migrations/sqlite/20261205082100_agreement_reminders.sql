-- Reminders to the municipalities that have not answered an agreement
-- (considering, not asked), issue 18. One a day per agreement: the unique
-- key makes a second press the same day write nothing (the store refuses
-- it), whichever of two presses at once comes second.

CREATE TABLE agreement_reminders (
    id             INTEGER PRIMARY KEY,
    agreement_id   INTEGER NOT NULL REFERENCES agreements (id),
    sent_on        TEXT NOT NULL,
    sent_by        TEXT NOT NULL,
    sent_at        TEXT NOT NULL,
    municipalities INTEGER NOT NULL,
    emails         INTEGER NOT NULL,
    UNIQUE (agreement_id, sent_on)
);
