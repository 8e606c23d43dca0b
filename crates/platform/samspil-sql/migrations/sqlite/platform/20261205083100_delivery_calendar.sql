-- A delivery may carry an iCalendar invitation (RFC 5545, METHOD:REQUEST
-- or CANCEL), which the job runner attaches as `text/calendar` beside the
-- text body: the programme-manager meetings' invitations (issue 20).
ALTER TABLE deliveries ADD COLUMN calendar TEXT;
