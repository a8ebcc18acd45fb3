-- 004: explained duplicates. A duplicate link stores the allowed edits that
-- explain every difference between its two texts (dedup.Decision.LinkEdits:
-- "synonym:total/altogether", "rename:Natalie->Maria", "cut_off:<id>", ...).
-- Links written before explained dedup, and exact copies, have none.
ALTER TABLE problem_links ADD COLUMN edits text[] NOT NULL DEFAULT '{}';
