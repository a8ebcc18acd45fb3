package ingest_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/bigmath/bigmath/ingest"
	"github.com/bigmath/bigmath/ingest/synth"
	"github.com/bigmath/bigmath/postgres"
	"github.com/bigmath/bigmath/postgres/pgtest"
)

// TestProvisionalClusterState ingests synthetic problems with exact and
// near copies, a second source that copies some of them at a higher
// priority (its copies become canonical), and copies whose earlier member
// was dropped (the later, kept copy becomes canonical). The rows are
// written with the cluster state their links to earlier rows suggest;
// after resolution every problem's state and dedup verdict must be what
// resolving from scratch gives, and must agree with each other: a
// canonical copy says "canonical", a copy "duplicate", a problem alone
// "unique".
func TestProvisionalClusterState(t *testing.T) {
	t.Parallel()
	alpha, counts := synthRows(t, synth.Options{N: 1500, Seed: 11})
	// An earlier copy without an answer (dropped) and a later one with
	// the same text and an answer (kept).
	for _, r := range []struct{ key, text, answer string }{
		{"a", "How many positive divisors does the number 360 have in total?", "24"},
		{"b", "Compute the sum of the first twenty positive odd integers.", "400"},
	} {
		alpha = append(alpha,
			map[string]any{"id": "dropped-" + r.key, "problem": r.text, "answer": ""},
			map[string]any{"id": "kept-" + r.key, "problem": r.text, "answer": r.answer})
	}
	var beta []map[string]any
	for _, r := range alpha[100:160] {
		beta = append(beta, map[string]any{"id": "copy-" + r["id"].(string), "problem": r["problem"], "answer": r["answer"]})
	}
	dir := t.TempDir()
	writeJSONL(t, filepath.Join(dir, "alpha.jsonl"), alpha)
	writeJSONL(t, filepath.Join(dir, "beta.jsonl"), beta)
	specs := parseSpecs(t, dir, `sources:
  - {name: alpha, role: corpus, path: alpha.jsonl, fields: {problem: problem, answer: answer, id: id}, priority: 10}
  - {name: beta, role: corpus, path: beta.jsonl, fields: {problem: problem, answer: answer, id: id}, priority: 90}
`)
	pool := pgtest.New(t)
	store := postgres.NewStore(pool)
	p := &ingest.Pipeline{Store: store}
	reps, err := p.Ingest(context.Background(), specs)
	if err != nil {
		t.Fatal(err)
	}
	if dups := queryInt(t, pool, `SELECT count(*) FROM problems WHERE duplicate_of IS NOT NULL`); dups < int64(counts.Duplicates) {
		t.Errorf("%d duplicates stored, want at least the %d synthetic copies", dups, counts.Duplicates)
	}
	// The first run wrote most copies as duplicates already: its
	// resolution rewrote fewer rows than there are copies.
	if got, dups := reps[0].Resolve.Updated, int64(counts.Duplicates); got >= dups {
		t.Errorf("alpha's resolution updated %d rows, want fewer than its %d copies (written as duplicates)", got, dups)
	}
	const inconsistent = `
SELECT count(*) FROM problems p
WHERE verdicts->-2->>'stage' <> 'dedup'
   OR verdicts->-2->>'reason' <> CASE
        WHEN duplicate_of IS NOT NULL THEN 'duplicate'
        WHEN EXISTS (SELECT 1 FROM problems d WHERE d.duplicate_of = p.id) THEN 'canonical'
        ELSE 'unique' END
   OR cluster_id IS DISTINCT FROM coalesce(duplicate_of, id)`
	if n := queryInt(t, pool, inconsistent); n != 0 {
		t.Errorf("%d problems whose dedup verdict or cluster id disagrees with their cluster", n)
	}
	for _, key := range []string{"kept-a", "kept-b"} {
		if n := queryInt(t, pool, `SELECT count(*) FROM problems WHERE row_key = $1 AND status = 'kept'
            AND duplicate_of IS NULL AND verdicts->-2->>'reason' = 'canonical'`, key); n != 1 {
			t.Errorf("%s: not the canonical copy of its cluster (its earlier copy was dropped)", key)
		}
	}
	got := clusterDigest(t, pool)
	// Resolution from scratch: every problem back to a cluster of its own.
	if _, err := pool.Exec(context.Background(), `
UPDATE problems SET cluster_id = id, duplicate_of = NULL,
    verdicts = jsonb_set(verdicts, '{-2}', '{"stage": "dedup", "pass": true, "reason": "unique"}')`); err != nil {
		t.Fatal(err)
	}
	if _, err := ingest.Resolve(context.Background(), store); err != nil {
		t.Fatal(err)
	}
	if want := clusterDigest(t, pool); got != want {
		t.Errorf("cluster state after the ingest %s, resolved from scratch %s", got, want)
	}
	if rep, err := ingest.Resolve(context.Background(), store); err != nil || rep.Updated != 0 {
		t.Errorf("resolving again updated %d rows (err %v), want 0", rep.Updated, err)
	}
}
