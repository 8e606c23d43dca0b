-- Every answer a municipality gives to an agreement, kept (issue 18):
-- totals "as of a day" are computed from here, so a later change does not
-- alter what stood on an earlier day. `agreement_answers` stays the
-- current answer.

CREATE TABLE agreement_answer_history (
    id           INTEGER PRIMARY KEY,
    agreement_id INTEGER NOT NULL REFERENCES agreements (id),
    org_id       INTEGER NOT NULL REFERENCES organisations (id),
    state        TEXT NOT NULL CHECK (state IN ('signed', 'declined', 'signed_with_reservation',
                                                'considering', 'not_asked')),
    reservation  TEXT CHECK ((reservation IS NOT NULL) = (state = 'signed_with_reservation')),
    signed_by    TEXT,
    signed_on    TEXT,
    answered_on  TEXT NOT NULL,
    answered_by  TEXT NOT NULL,
    answered_at  TEXT NOT NULL
);

CREATE INDEX agreement_answer_history_by_org
    ON agreement_answer_history (agreement_id, org_id, answered_on);

INSERT INTO agreement_answer_history (agreement_id, org_id, state, reservation, signed_by,
                                      signed_on, answered_on, answered_by, answered_at)
SELECT agreement_id, org_id, state, reservation, signed_by, signed_on, answered_on,
       answered_by, answered_at
FROM agreement_answers ORDER BY answered_at;
