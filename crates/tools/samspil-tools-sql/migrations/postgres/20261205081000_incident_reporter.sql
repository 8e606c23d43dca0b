-- Issue 19: a person of a municipality reports an incident to a desk
-- themselves; the incident remembers who, so that they find it again in
-- their own list ("Mine henvendelser"). Empty for what a desk's staff
-- opened on someone's behalf.

ALTER TABLE incidents ADD COLUMN reporter_user BIGINT REFERENCES users (id);

CREATE INDEX incidents_by_reporter_user ON incidents (reporter_user, id);
