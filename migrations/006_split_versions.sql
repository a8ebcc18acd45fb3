-- 006: frozen split versions. Saving a split freezes version 1; an admin
-- call freezes the next one from the same definition over the corpus of the
-- day. A version stores the exported content of every member, not only its
-- id, so that exporting it again gives the same bytes whatever is ingested,
-- re-ingested or dropped later. format_version says which columns a row
-- has and what they mean (1: the columns below; problem is the display text
-- as served, export.DisplayText at freeze time).
CREATE TABLE split_versions (
    split_name     text NOT NULL REFERENCES splits (name) ON DELETE CASCADE,
    version        integer NOT NULL CHECK (version > 0),
    format_version integer NOT NULL,
    -- the definition the version was computed from (a copy of the split's)
    filter         jsonb NOT NULL,
    seed           bigint NOT NULL,
    fractions      jsonb NOT NULL,
    stratify       text NOT NULL DEFAULT '',
    -- rows per part: {"train": n, "validation": n, "test": n}
    counts         jsonb NOT NULL,
    -- sha256 (hex) of the version's JSON Lines export, all parts in order
    content_hash   text NOT NULL,
    -- the sources of the members at freeze time: [{name, revision, license, rows}]
    sources        jsonb NOT NULL DEFAULT '[]',
    -- the curation funnel at freeze time (bigmath.Funnel)
    funnel         jsonb NOT NULL DEFAULT '{}',
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (split_name, version)
);

CREATE TABLE split_version_rows (
    split_name       text NOT NULL,
    version          integer NOT NULL,
    -- export order: by the split's hash of the id, then the id
    ord              integer NOT NULL,
    part             text NOT NULL CHECK (part IN ('train', 'validation', 'test')),
    problem_id       text NOT NULL,
    source           text NOT NULL,
    source_revision  text NOT NULL DEFAULT '',
    license          text NOT NULL DEFAULT '',
    problem          text NOT NULL,
    answer_raw       text NOT NULL,
    answer_canonical text NOT NULL,
    answer_kind      text NOT NULL,
    domain           text NOT NULL,
    difficulty       double precision,
    level            text NOT NULL,
    derived_from     text NOT NULL DEFAULT '',
    transform        text NOT NULL DEFAULT '',
    PRIMARY KEY (split_name, version, ord),
    FOREIGN KEY (split_name, version) REFERENCES split_versions (split_name, version) ON DELETE CASCADE
        DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX split_version_rows_problem_idx ON split_version_rows (split_name, version, problem_id);

-- Search: GET /v1/problems?q= (and a split filter's q) is PostgreSQL full
-- text search over a stored tsvector of the normalized text (the source's
-- text when there is none), with a GIN index, ranked by ts_rank. The
-- configuration is 'simple', not 'english': math problems are full of
-- one-letter words that carry meaning (the variables a, i, s, t) and
-- 'english' drops them as stop words, and it stems names and terms;
-- 'simple' only lower-cases, so a query matches the words it has (no
-- stemming: "primes" does not find "prime"). pg_trgm was the
-- other choice: it finds substrings and typos, but its index is several
-- times larger, it has no ranking by word weight, and one- and two-word
-- queries of common words make its candidate sets huge.
ALTER TABLE problems ADD COLUMN search tsvector
    GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, CASE WHEN problem_norm <> '' THEN problem_norm ELSE problem_raw END)) STORED;
CREATE INDEX problems_search_idx ON problems USING gin (search);

-- MATH's "Level 1".."Level 5" is its difficulty (on its own 1-5 scale):
-- rows ingested before the mapping get it here; the ingest sets it since.
UPDATE problems SET difficulty = substring(level FROM '^Level ([0-9]+)$')::double precision
WHERE difficulty IS NULL AND level ~ '^Level [0-9]+$';
