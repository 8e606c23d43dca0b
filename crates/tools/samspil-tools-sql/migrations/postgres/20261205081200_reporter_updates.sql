-- Issue 19: a desk tells its reporters of progress at an interval it sets
-- (`update_days`, in calendar or business days); the job sends an update
-- when none was had within it. `reporter_updates` counts the updates sent
-- and is the condition of the job's write, so two runners never both send
-- the same one.

ALTER TABLE incident_parties ADD COLUMN update_days BIGINT CHECK (update_days BETWEEN 1 AND 30);
ALTER TABLE incident_parties ADD COLUMN update_business BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE incidents ADD COLUMN reporter_updates BIGINT NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN reporter_updated_at TIMESTAMPTZ;
