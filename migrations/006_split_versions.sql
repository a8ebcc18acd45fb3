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
    PRIMARY KEY (split_name, version, ord),
    FOREIGN KEY (split_name, version) REFERENCES split_versions (split_name, version) ON DELETE CASCADE
        DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX split_version_rows_problem_idx ON split_version_rows (split_name, version, problem_id);
