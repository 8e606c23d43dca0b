-- A person's calendar feed of task deadlines (issue 14): the SHA-256 of its
-- secret only, one per person; revoking deletes the row, so the address
-- answers 404 from then on.
CREATE TABLE calendar_feeds (
    user_id       BIGINT      PRIMARY KEY REFERENCES users (id),
    secret_digest TEXT        NOT NULL UNIQUE,
    created_at    TIMESTAMPTZ NOT NULL,
    last_read_at  TIMESTAMPTZ
);
