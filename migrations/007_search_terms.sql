-- Search terms made by the service, and a rank the index can serve.
--
-- 006 computed problems.search in PostgreSQL (to_tsvector 'simple') and
-- ranked a search with ts_rank over every matching row: a word that half
-- the corpus has meant ranking half the corpus for each page (about 150 ms
-- for one word over 250,000 problems), and to_tsvector was a fifth of the
-- database's work in a large ingest. Now the ingest writes the terms
-- itself (bigmath.SearchTerms): each distinct word of the text (runs of
-- letters and digits, lower-cased, as 'simple' did) and, for each word the
-- text has twice or more, the same word behind a '+'. A listing ranks a
-- problem by the query's words it has, each counted at most twice
-- (bigmath.SearchRank), then by id: each rank's problems are one tsquery
-- over the marked terms ('+w' for a repeated word, w & !'+w' for a single
-- one), so a page is a few index lookups in id order, whatever the number
-- of matches. Positions are not stored (no ranking uses them).
ALTER TABLE problems DROP COLUMN search;
ALTER TABLE problems ADD COLUMN search tsvector NOT NULL DEFAULT ''::tsvector;

-- Rows stored before this migration get their terms from the closest SQL
-- (ASCII letters and digits only under the C locale); the next ingest of
-- a changed row writes the service's own.
UPDATE problems SET search = (
    SELECT coalesce(array_to_tsvector(array_agg(t)), ''::tsvector)
    FROM (
        SELECT w AS t FROM (
            SELECT lower(m[1]) AS w
            FROM regexp_matches(CASE WHEN problem_norm <> '' THEN problem_norm ELSE problem_raw END, '([[:alnum:]]+)', 'g') AS m
        ) words
        WHERE length(w) <= 200
        GROUP BY w
        UNION ALL
        SELECT '+' || w FROM (
            SELECT lower(m[1]) AS w
            FROM regexp_matches(CASE WHEN problem_norm <> '' THEN problem_norm ELSE problem_raw END, '([[:alnum:]]+)', 'g') AS m
        ) words
        WHERE length(w) <= 200
        GROUP BY w HAVING count(*) > 1
    ) terms
);

-- The index leaves out the copies that a duplicate cluster does not serve
-- (duplicate_of set): a listing of kept problems, the default, never
-- returns them, and the cluster resolution that marks a million-row
-- ingest's 150,000 copies then rewrites their rows without adding each
-- one's terms to the index again (4 of its 18 seconds). A search among
-- dropped problems, which include those copies, reads them in id order.
CREATE INDEX problems_search_idx ON problems USING gin (search) WHERE duplicate_of IS NULL;
