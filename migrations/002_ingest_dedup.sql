-- State the ingest pipeline keeps so that dedup and decontamination can be
-- recomputed from the database alone, whatever order sources arrive in and
-- however often a run is interrupted:
--   row_index: the row's position in its source, the tie-break (after source
--              priority) when choosing the canonical member of a cluster;
--   lsh_bands: the problem's MinHash LSH band keys, so that a later run of
--              another source finds it as a near-duplicate candidate;
--   problem_links: confirmed duplicate pairs (exact, or near with their exact
--              Jaccard similarity); clusters are the connected components.
-- Links are derived data (no foreign keys, for bulk-load speed); a < b.
ALTER TABLE problems ADD COLUMN row_index bigint NOT NULL DEFAULT 0;
ALTER TABLE problems ADD COLUMN lsh_bands bigint[];

CREATE TABLE problem_links (
    a          text NOT NULL,
    b          text NOT NULL,
    similarity real NOT NULL,
    PRIMARY KEY (a, b)
);
CREATE INDEX problem_links_b_idx ON problem_links (b);
