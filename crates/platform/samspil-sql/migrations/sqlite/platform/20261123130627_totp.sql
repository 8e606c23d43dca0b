-- Two-factor login for local accounts (TOTP) and the half-done logins
-- between the right password and the right code.

-- The base32 secret an authenticator app shares, and the last time step
-- whose code was accepted: a code is good once.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER;

-- A login whose password was right and whose second factor is still owed.
-- Keyed by the SHA-256 of the id in the browser's cookie, like sessions,
-- but never a session: nothing but the code form reads it.
CREATE TABLE pending_logins (
    id_hash          TEXT    PRIMARY KEY,
    user_id          INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    next_path        TEXT    NOT NULL,
    -- The secret offered to someone who must enrol; NULL when they have one.
    enrolment_secret TEXT,
    created_at       TEXT    NOT NULL,
    expires_at       TEXT    NOT NULL
);
CREATE INDEX pending_logins_by_expiry ON pending_logins (expires_at);
