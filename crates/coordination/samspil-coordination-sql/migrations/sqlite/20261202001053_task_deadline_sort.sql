-- The date a task sorts by in its lists (issue 14): its end date, else its
-- period in words as a date ("Uge 25", "ultimo august";
-- samspil_coordination::period), written with the task by the store.
-- Existing tasks sort by their end date as before; a period-only task gets
-- its date the next time its schedule is written.
ALTER TABLE tasks ADD COLUMN deadline_sort TEXT;
UPDATE tasks SET deadline_sort = end_date;
