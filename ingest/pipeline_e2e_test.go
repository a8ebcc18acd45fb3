package ingest_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/ingest"
	"github.com/bigmath/bigmath/internal/sharedtest"
	"github.com/bigmath/bigmath/postgres"
	"github.com/bigmath/bigmath/postgres/pgtest"
)

const sharedSpecs = "testdata/shared_datasets.yaml"

// ingestShared ingests every source of the shared datasets into a fresh
// database.
func ingestShared(t *testing.T) (*pgxpool.Pool, []ingest.RunReport) {
	t.Helper()
	sharedtest.Datasets(t) // skips when ../shared is not beside this clone
	specs, err := ingest.LoadSpecs(sharedSpecs)
	if err != nil {
		t.Fatal(err)
	}
	pool := pgtest.New(t)
	p := &ingest.Pipeline{Store: postgres.NewStore(pool)}
	reps, err := p.Ingest(context.Background(), specs)
	if err != nil {
		t.Fatalf("ingest: %v", err)
	}
	return pool, reps
}

// parseSpecs parses yml as the sources file dir/sources.yaml.
func parseSpecs(t *testing.T, dir, yml string) []ingest.Spec {
	t.Helper()
	specs, err := ingest.ParseSpecs([]byte(yml), filepath.Join(dir, "sources.yaml"), dir)
	if err != nil {
		t.Fatal(err)
	}
	return specs
}

// writeJSONL writes rows to path as JSON Lines.
func writeJSONL[T any](t *testing.T, path string, rows []T) {
	t.Helper()
	var b []byte
	for _, r := range rows {
		line, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		b = append(append(b, line...), '\n')
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func queryInt(t *testing.T, pool *pgxpool.Pool, sql string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// copiedBenchmark counts the problems of the benchmark source that share a
// cluster with a problem of the other source flagged contaminated by it.
func copiedBenchmark(t *testing.T, pool *pgxpool.Pool, benchmark, other string) int64 {
	t.Helper()
	return queryInt(t, pool, `
SELECT count(*) FROM problems b JOIN sources bs ON bs.id = b.source_id AND bs.name = $1
WHERE EXISTS (SELECT 1 FROM problems c JOIN sources cs ON cs.id = c.source_id AND cs.name = $2
              WHERE c.cluster_id = b.cluster_id AND $1 = ANY(c.contaminated))`, benchmark, other)
}

// TestIngestSharedDatasets is the curation acceptance test (issue 4): every
// dataset in ../shared/datasets, benchmarks included, into one database.
func TestIngestSharedDatasets(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests ~25,000 real problems; run without -short")
	}
	t.Parallel()
	pool, reps := ingestShared(t)
	ctx := context.Background()
	for _, r := range reps {
		t.Logf("%s: %d rows, %d inserted, %d links, %.2fs", r.Source, r.RowsRead, r.Inserted, r.Links, r.Seconds)
	}
	funnel, err := postgres.NewStore(pool).Funnel(ctx)
	if err != nil {
		t.Fatal(err)
	}
	bySource := map[string]bigmath.SourceFunnel{}
	for _, s := range funnel.Sources {
		bySource[s.Name] = s
	}
	if b, err := json.MarshalIndent(funnel, "", "  "); err == nil {
		t.Logf("funnel: %s", b)
	}

	t.Run("math500 in the MATH test file, flagged contaminated there", func(t *testing.T) {
		if n := copiedBenchmark(t, pool, "math500", "math-test"); n != 500 {
			t.Errorf("%d of 500 MATH-500 problems have a contaminated copy in math-test, want 500", n)
		}
		if got := bySource["math-test"].Contaminated["math500"]; got < 500 {
			t.Errorf("funnel: math-test contaminated by math500 = %d, want >= 500", got)
		}
		if got := queryInt(t, pool, `SELECT count(*) FROM problems p JOIN sources s ON s.id = p.source_id WHERE s.role = 'benchmark' AND p.contaminated <> '{}'`); got != 0 {
			t.Errorf("%d benchmark problems are flagged contaminated, want 0", got)
		}
	})

	t.Run("AIME 2024 copies share clusters", func(t *testing.T) {
		if n := copiedBenchmark(t, pool, "aime24", "deepscaler-test-aime"); n != 30 {
			t.Errorf("%d of 30 aime24 problems share a cluster with their deepscaler copy, want 30", n)
		}
	})

	t.Run("GSM8K kept with integer answers", func(t *testing.T) {
		g := bySource["gsm8k-train"]
		if g.Rows != 7473 {
			t.Fatalf("gsm8k-train rows = %d, want 7473", g.Rows)
		}
		if float64(g.Kept) < 0.99*float64(g.Rows) {
			t.Errorf("gsm8k-train kept %d of %d, want >= 99%% (dropped: %v)", g.Kept, g.Rows, g.Dropped)
		}
		if n := queryInt(t, pool, `SELECT count(*) FROM problems p JOIN sources s ON s.id = p.source_id
WHERE s.name IN ('gsm8k-train', 'gsm8k-test') AND p.status = 'kept' AND p.answer_kind <> 'integer'`); n != 0 {
			t.Errorf("%d kept GSM8K problems have a non-integer answer kind", n)
		}
	})

	t.Run("HARP proofs dropped as proof", func(t *testing.T) {
		h := bySource["harp-proof"]
		if h.Rows != 310 {
			t.Fatalf("harp-proof rows = %d, want 310", h.Rows)
		}
		// Every HARP proof problem is dropped: as proof, or as no_answer
		// when it asks for a value that the proof split gives no gold for.
		if got := h.Dropped["proof"] + h.Dropped["no_answer"]; got != h.Rows {
			t.Errorf("harp-proof: %d of %d dropped as proof or no_answer, want all (dropped: %v)", got, h.Rows, h.Dropped)
		}
		if float64(h.Dropped["proof"]) < 0.8*float64(h.Rows) {
			t.Errorf("harp-proof: %d of %d dropped as proof, want >= 80%% (dropped: %v)", h.Dropped["proof"], h.Rows, h.Dropped)
		}
	})

	t.Run("null answers are no_answer", func(t *testing.T) {
		path := sharedtest.Datasets(t, "deepscaler", "train", "math.json")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var rows []map[string]any
		if err := json.Unmarshal(b, &rows); err != nil {
			t.Fatal(err)
		}
		var nullIDs []string
		for i, r := range rows {
			if r["answer"] == nil {
				nullIDs = append(nullIDs, bigmath.ProblemID("deepscaler-train-math", filepath.Base(path)+":"+strconv.Itoa(i)))
			}
		}
		if len(nullIDs) != 2 {
			t.Fatalf("the file has %d null answers, the README says 2", len(nullIDs))
		}
		if n := queryInt(t, pool, `SELECT count(*) FROM problems WHERE id = ANY($1) AND status = 'dropped' AND stage = 'classify' AND reason = 'no_answer'`, nullIDs); n != 2 {
			t.Errorf("%d of the 2 null-answer rows are dropped as no_answer", n)
		}
		if got := bySource["deepscaler-train-math"].Dropped["no_answer"]; got != 2 {
			t.Errorf("funnel: deepscaler-train-math no_answer = %d, want 2", got)
		}
	})

	t.Run("every problem has its verdicts in stage order", func(t *testing.T) {
		if n := queryInt(t, pool, `SELECT count(*) FROM problems WHERE status = 'pending'`); n != 0 {
			t.Errorf("%d problems still pending after the ingest", n)
		}
		if n := queryInt(t, pool, `SELECT count(*) FROM problems WHERE verdicts->-1->>'stage' <> 'decontaminate' OR verdicts->-2->>'stage' <> 'dedup' OR verdicts->0->>'stage' <> 'normalize'`); n != 0 {
			t.Errorf("%d problems lack normalize first and dedup, decontaminate last in verdicts", n)
		}
		if n := queryInt(t, pool, `SELECT count(*) FROM problems WHERE status = 'dropped' AND (stage = '' OR reason = '')`); n != 0 {
			t.Errorf("%d dropped problems without a stage and reason", n)
		}
		if n := queryInt(t, pool, `SELECT count(*) FROM problems WHERE duplicate_of IS NOT NULL AND verdicts->-2->>'reason' <> 'duplicate'`); n != 0 {
			t.Errorf("%d duplicates whose dedup verdict does not say so", n)
		}
	})
	var total int64
	for _, s := range funnel.Sources {
		total += s.Kept
	}
	if total != funnel.Total.Kept || total == 0 {
		t.Errorf("funnel total kept %d, sum over sources %d", funnel.Total.Kept, total)
	}
}

// clusterDigest is every problem's cluster state, as text.
func clusterDigest(t *testing.T, pool *pgxpool.Pool) string {
	t.Helper()
	var d string
	err := pool.QueryRow(context.Background(), `
SELECT count(*) || ' ' || md5(string_agg(concat_ws('|', id, cluster_id, duplicate_of, conflict::text, array_to_string(contaminated, ','),
    verdicts->-2->>'reason', verdicts->-1->>'reason'), E'\n' ORDER BY id))
FROM problems`).Scan(&d)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestIngestOrderIndependent ingests benchmarks before and after the corpus
// sources that copy them: the clusters, canonical members and
// contamination flags come out the same.
func TestIngestOrderIndependent(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests ~6,000 real problems twice; run without -short")
	}
	t.Parallel()
	sharedtest.Datasets(t) // skips when ../shared is not beside this clone
	all, err := ingest.LoadSpecs(sharedSpecs)
	if err != nil {
		t.Fatal(err)
	}
	pick := func(names ...string) []ingest.Spec {
		var out []ingest.Spec
		for _, n := range names {
			for _, s := range all {
				if s.Name == n {
					out = append(out, s)
				}
			}
		}
		if len(out) != len(names) {
			t.Fatalf("spec file lacks some of %v", names)
		}
		return out
	}
	orders := [][]ingest.Spec{
		pick("math500", "aime24", "math-test", "deepscaler-test-aime", "deepscaler-test-math"),
		pick("deepscaler-test-math", "math-test", "deepscaler-test-aime", "aime24", "math500"),
	}
	var digests []string
	for _, specs := range orders {
		pool := pgtest.New(t)
		p := &ingest.Pipeline{Store: postgres.NewStore(pool)}
		if _, err := p.Ingest(context.Background(), specs); err != nil {
			t.Fatal(err)
		}
		if n := queryInt(t, pool, `SELECT count(*) FROM problems WHERE 'math500' = ANY(contaminated)`); n < 1000 {
			t.Errorf("order %s...: %d problems contaminated by math500, want >= 1000 (math-test and deepscaler copies)", specs[0].Name, n)
		}
		digests = append(digests, clusterDigest(t, pool))
	}
	if digests[0] != digests[1] {
		t.Errorf("cluster state depends on the ingest order: %s vs %s", digests[0], digests[1])
	}
}

// TestBenchmarkContainment: a corpus problem that embeds a benchmark problem
// (with more text around it, so it is no near duplicate) is contaminated,
// whether the benchmark is ingested before or after the corpus.
func TestBenchmarkContainment(t *testing.T) {
	t.Parallel()
	bench := "Let $a$ and $b$ be positive real numbers such that $a + b = 10$ and the product of $a$ and $b$ is as large as possible. Find the largest possible value of $a^2 b^2$ under these conditions."
	corpus := []string{
		// embeds the benchmark problem
		"This is a warm-up exercise from an old olympiad training camp, copied with its notation. " + bench + " Then explain in two sentences how the answer changes if the sum is doubled, and give that value too.",
		// unrelated
		"A train travels 120 kilometers in 2 hours and then 180 kilometers in 3 hours. What is its average speed in kilometers per hour over the whole trip?",
	}
	dir := t.TempDir()
	write := func(name string, lines ...string) {
		var rows []map[string]any
		for i, l := range lines {
			rows = append(rows, map[string]any{"id": name + strconv.Itoa(i), "problem": l, "answer": "625"})
		}
		writeJSONL(t, filepath.Join(dir, name+".jsonl"), rows)
	}
	write("bench", bench)
	write("corpus", corpus...)
	specs := parseSpecs(t, dir, `sources:
  - {name: corpus, role: corpus, path: corpus.jsonl, fields: {problem: problem, answer: answer, id: id}, priority: 10}
  - {name: bench, role: benchmark, path: bench.jsonl, fields: {problem: problem, answer: answer, id: id}, priority: 100}
`)
	for _, order := range [][]ingest.Spec{{specs[0], specs[1]}, {specs[1], specs[0]}} {
		t.Run(order[0].Name+" first", func(t *testing.T) {
			t.Parallel()
			pool := pgtest.New(t)
			p := &ingest.Pipeline{Store: postgres.NewStore(pool)}
			if _, err := p.Ingest(context.Background(), order); err != nil {
				t.Fatal(err)
			}
			embed := bigmath.ProblemID("corpus", "corpus0")
			other := bigmath.ProblemID("corpus", "corpus1")
			if n := queryInt(t, pool, `SELECT count(*) FROM problems WHERE id = $1 AND contaminated = '{bench}' AND duplicate_of IS NULL AND verdicts->-1->>'reason' = 'contaminated'`, embed); n != 1 {
				t.Errorf("the corpus problem embedding the benchmark problem is not contaminated by it (and only it)")
			}
			if n := queryInt(t, pool, `SELECT count(*) FROM problems WHERE id = $1 AND contaminated = '{}'`, other); n != 1 {
				t.Errorf("an unrelated corpus problem is flagged contaminated")
			}
			// Running both again changes nothing.
			before := clusterDigest(t, pool)
			if _, err := p.Ingest(context.Background(), order); err != nil {
				t.Fatal(err)
			}
			if after := clusterDigest(t, pool); after != before {
				t.Errorf("a second ingest changed the cluster state")
			}
		})
	}
}
