-- A meeting cancelled by staff before it starts (issue 20): registration
-- and invitations close, and the invitation's recipients get a CANCEL.
ALTER TABLE meetings ADD COLUMN cancelled_at TIMESTAMPTZ;
