-- Benchmark overlap by containment (a problem that embeds a benchmark
-- problem, see dedup.OverlapIndex), kept apart from duplicate links because
-- it does not make two problems the same: benchmark_overlaps lists the benchmark
-- sources a problem overlaps; cluster resolution adds them to contaminated.
-- ingest_state holds small facts the ingest keeps between runs (the
-- fingerprint of the benchmark set the overlaps were last computed against).
ALTER TABLE problems ADD COLUMN benchmark_overlaps text[] NOT NULL DEFAULT '{}';

CREATE TABLE ingest_state (
    key        text PRIMARY KEY,
    value      text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
