-- The NSIS level of assurance a login through an identity provider carried
-- (OIOSAML's `loa`: Substantial or High); NULL for a password login or a
-- provider that sends none. Shown against what a solution requires.
ALTER TABLE sessions ADD COLUMN level_of_assurance TEXT;
