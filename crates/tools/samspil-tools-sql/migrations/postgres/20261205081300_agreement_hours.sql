-- Issue 19: an agreement between two parties says which hours its clocks
-- count: `calendar` (24/7), or business hours as the rules write them
-- (`business 08:00-16:00 mon,tue,wed,thu,fri`, optionally `closed` dates).
-- The agreements made so far counted calendar hours.

ALTER TABLE incident_agreements ADD COLUMN hours TEXT NOT NULL DEFAULT 'calendar';
