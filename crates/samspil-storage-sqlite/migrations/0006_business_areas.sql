-- A task may belong to a business area of its project (DOS: Socialret,
-- Bibliotek, P-afgifter …), so status can say "29 municipalities still
-- have tasks left in Bibliotek".
ALTER TABLE tasks ADD COLUMN business_area TEXT;
CREATE INDEX tasks_by_business_area ON tasks (project_id, business_area);
