-- The first schema: sources, ingest runs, problems, and the tables the API
-- needs for splits and recorded reward attempts. Later changes are new files;
-- an applied migration is never edited.

CREATE TABLE sources (
    id          bigserial PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    role        text NOT NULL CHECK (role IN ('corpus', 'benchmark')),
    location    text NOT NULL DEFAULT '',
    revision    text NOT NULL DEFAULT '',
    license     text NOT NULL DEFAULT '',
    priority    integer NOT NULL DEFAULT 0,
    spec        jsonb NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ingest_runs (
    id           bigserial PRIMARY KEY,
    source_id    bigint NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    revision     text NOT NULL DEFAULT '',
    status       text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
    rows_read    bigint NOT NULL DEFAULT 0,
    -- per stage: {"normalize": {"in": n, "passed": n, "dropped": {"reason": n}, "seconds": s}, ...}
    stage_counts jsonb NOT NULL DEFAULT '{}',
    error        text NOT NULL DEFAULT '',
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz
);
CREATE INDEX ingest_runs_source_idx ON ingest_runs (source_id, started_at DESC);

CREATE TABLE problems (
    -- stable: derived from the source name and the row key (bigmath.ProblemID)
    id               text PRIMARY KEY,
    -- lineage
    source_id        bigint NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    source_revision  text NOT NULL DEFAULT '',
    row_key          text NOT NULL,
    raw_hash         bytea NOT NULL,
    license          text NOT NULL DEFAULT '',
    ingest_run_id    bigint REFERENCES ingest_runs (id) ON DELETE SET NULL,
    -- content
    problem_raw      text NOT NULL,
    problem_norm     text NOT NULL DEFAULT '',
    solution         text NOT NULL DEFAULT '',
    extra            jsonb NOT NULL DEFAULT '{}',
    domain           text NOT NULL DEFAULT '',
    difficulty       double precision,
    level            text NOT NULL DEFAULT '',
    -- the gold answer: raw, and as the verifier reads it
    answer_raw       text NOT NULL DEFAULT '',
    answer_canonical text NOT NULL DEFAULT '',
    answer_kind      text NOT NULL DEFAULT '',
    -- verdicts: status is kept | dropped | pending; stage and reason say who dropped it and why
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('kept', 'dropped', 'pending')),
    stage            text NOT NULL DEFAULT '',
    reason           text NOT NULL DEFAULT '',
    verdicts         jsonb NOT NULL DEFAULT '[]',
    -- dedup and decontamination
    text_hash        bytea,
    cluster_id       text,
    duplicate_of     text,
    conflict         boolean NOT NULL DEFAULT false,
    contaminated     text[] NOT NULL DEFAULT '{}',
    -- recorded reward attempts
    attempts         bigint NOT NULL DEFAULT 0,
    correct          bigint NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source_id, row_key)
);
CREATE INDEX problems_status_idx ON problems (status, id);
CREATE INDEX problems_source_idx ON problems (source_id, id);
CREATE INDEX problems_text_hash_idx ON problems (text_hash);
CREATE INDEX problems_cluster_idx ON problems (cluster_id) WHERE cluster_id IS NOT NULL;
CREATE INDEX problems_kind_idx ON problems (answer_kind, id);

CREATE TABLE splits (
    name        text PRIMARY KEY,
    -- the filter (same fields as GET /v1/problems) and the partition definition
    filter      jsonb NOT NULL DEFAULT '{}',
    seed        bigint NOT NULL DEFAULT 0,
    fractions   jsonb NOT NULL DEFAULT '{"train": 1}',
    stratify    text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE attempts (
    id          bigserial PRIMARY KEY,
    problem_id  text NOT NULL REFERENCES problems (id) ON DELETE CASCADE,
    correct     boolean NOT NULL,
    reason      text NOT NULL DEFAULT '',
    extracted   text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attempts_problem_idx ON attempts (problem_id, created_at DESC);
