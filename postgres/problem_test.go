package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/internal/testutil"
	"github.com/bigmath/bigmath/postgres"
	"github.com/bigmath/bigmath/postgres/pgtest"
)

// insertFixtures inserts the sources the fixtures name and the fixtures,
// with plain SQL: row key the id, answer 42, the normalize verdict.
func insertFixtures(tb testing.TB, pool *pgxpool.Pool, fs []testutil.Problem) {
	tb.Helper()
	testutil.InsertProblems(tb, pool, fs, func(p *testutil.Problem) {
		p.RowKey, p.RawHash, p.AnswerRaw, p.AnswerCanonical = p.ID, []byte{0x00, 0xff}, "42", "42"
		p.Verdicts = `[{"stage":"normalize","pass":true,"reason":""}]`
	})
}

// checkList checks the ids of the first 100 problems f selects, and returns
// the problems.
func checkList(t *testing.T, store *postgres.Store, f bigmath.ProblemFilter, want []string) []bigmath.Problem {
	t.Helper()
	got, err := store.ListProblems(context.Background(), f, bigmath.ProblemCursor{}, 100)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, ids(got)); diff != "" {
		t.Errorf("ListProblems(%+v) ids (-want +got):\n%s", f, diff)
	}
	return got
}

func ids(ps []bigmath.Problem) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

func TestListProblems(t *testing.T) {
	_, pool, store := newDB(t)
	insertFixtures(t, pool, []testutil.Problem{
		{ID: "a1", Source: "alpha", Domain: "algebra", Difficulty: new(1.0), Text: "Solve x+1=2 with 100% effort"},
		{ID: "a2", Source: "alpha", Domain: "geometry", Difficulty: new(3.0), Kind: "rational", Attempts: 4, Correct: 1},
		{ID: "a3", Source: "alpha", Status: "dropped"},
		{ID: "a4", Source: "alpha", DupOf: "a1", Cluster: "a1"},
		{ID: "b1", Source: "beta", Domain: "algebra", Difficulty: new(5.0), Attempts: 2, Correct: 2, Text: "Find a_1 given a_2"},
		{ID: "b2", Source: "beta", Contaminated: []string{"math500"}},
		{ID: "b3", Source: "beta", Status: "pending"},
	})
	ctx := context.Background()
	tests := []struct {
		name string
		f    bigmath.ProblemFilter
		want []string
	}{
		{"default is kept, canonical, clean", bigmath.ProblemFilter{}, []string{"a1", "a2", "b1"}},
		{"dropped includes duplicates", bigmath.ProblemFilter{Status: "dropped"}, []string{"a3", "a4"}},
		{"pending", bigmath.ProblemFilter{Status: "pending"}, []string{"b3"}},
		{"all with contaminated", bigmath.ProblemFilter{Status: "all", IncludeContaminated: true}, []string{"a1", "a2", "a3", "a4", "b1", "b2", "b3"}},
		{"contaminated", bigmath.ProblemFilter{IncludeContaminated: true}, []string{"a1", "a2", "b1", "b2"}},
		{"source", bigmath.ProblemFilter{Sources: []string{"beta"}}, []string{"b1"}},
		{"two sources", bigmath.ProblemFilter{Sources: []string{"beta", "alpha"}}, []string{"a1", "a2", "b1"}},
		{"domain", bigmath.ProblemFilter{Domains: []string{"algebra"}}, []string{"a1", "b1"}},
		{"kind", bigmath.ProblemFilter{Kinds: []string{"rational"}}, []string{"a2"}},
		{"difficulty range", bigmath.ProblemFilter{MinDifficulty: new(2.0), MaxDifficulty: new(5.0)}, []string{"a2", "b1"}},
		{"max difficulty skips unknown", bigmath.ProblemFilter{MaxDifficulty: new(1.0), Status: "all"}, []string{"a1"}},
		{"min pass rate skips no attempts", bigmath.ProblemFilter{MinPassRate: new(0.0)}, []string{"a2", "b1"}},
		{"max pass rate", bigmath.ProblemFilter{MaxPassRate: new(0.5)}, []string{"a2"}},
		{"q ignores case", bigmath.ProblemFilter{Q: "SOLVE"}, []string{"a1"}},
		{"q percent is literal", bigmath.ProblemFilter{Q: "100%"}, []string{"a1"}},
		{"q percent alone matches only a percent", bigmath.ProblemFilter{Q: "%"}, []string{"a1"}},
		{"q underscore is literal", bigmath.ProblemFilter{Q: "a_1"}, []string{"b1"}},
		{"q no match", bigmath.ProblemFilter{Q: "zzz"}, []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkList(t, store, tc.f, tc.want)
		})
	}

	t.Run("keyset pages", func(t *testing.T) {
		f := bigmath.ProblemFilter{Status: "all", IncludeContaminated: true}
		var all []string
		after := ""
		for range 10 {
			page, err := store.ListProblems(ctx, f, bigmath.ProblemCursor{ID: after}, 3)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			all = append(all, ids(page)...)
			after = page[len(page)-1].ID
		}
		if diff := cmp.Diff([]string{"a1", "a2", "a3", "a4", "b1", "b2", "b3"}, all); diff != "" {
			t.Errorf("pages of 3 (-want +got):\n%s", diff)
		}
	})

	t.Run("invalid filter", func(t *testing.T) {
		_, err := store.ListProblems(ctx, bigmath.ProblemFilter{Status: "bogus"}, bigmath.ProblemCursor{}, 10)
		var ve *bigmath.ValidationError
		if !errors.As(err, &ve) || ve.Field != "status" {
			t.Errorf("ListProblems(status=bogus) = %v, want a ValidationError on status", err)
		}
	})
}

func TestGetProblem(t *testing.T) {
	_, pool, store := newDB(t)
	fs := []testutil.Problem{{ID: "c1", Source: "alpha", Cluster: "c1", Difficulty: new(2.0), Attempts: 3, Correct: 2}}
	for i := range 5 {
		fs = append(fs, testutil.Problem{ID: fmt.Sprintf("c%d", i+2), Source: "beta", Cluster: "c1", DupOf: "c1", Contaminated: []string{"aime"}})
	}
	insertFixtures(t, pool, fs)
	ctx := context.Background()
	p, err := store.GetProblem(ctx, "c1")
	if err != nil {
		t.Fatal(err)
	}
	if p.SourceName != "alpha" || p.ClusterID != "c1" || p.DuplicateOf != "" || *p.Difficulty != 2 || p.Attempts != 3 || p.Correct != 2 ||
		len(p.Verdicts) != 1 || p.Verdicts[0].Stage != "normalize" || p.Answer.Raw != "42" || len(p.RawHash) != 2 {
		t.Errorf("GetProblem(c1) = %+v", p)
	}
	d, err := store.GetProblem(ctx, "c3")
	if err != nil {
		t.Fatal(err)
	}
	if d.DuplicateOf != "c1" || len(d.Contaminated) != 1 || d.Contaminated[0] != "aime" {
		t.Errorf("GetProblem(c3) = %+v, want a duplicate of c1 contaminated by aime", d)
	}
	if _, err := store.GetProblem(ctx, "nope"); !errors.Is(err, bigmath.ErrNotFound) {
		t.Errorf("GetProblem(nope) = %v, want ErrNotFound", err)
	}
	members, total, err := store.ClusterMembers(ctx, "c1", "c3", 3)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"c1", "c2", "c4"}, members); diff != "" || total != 5 {
		t.Errorf("ClusterMembers(c1 except c3, 3) = %v, %d; want 5 in all (-want +got):\n%s", members, total, diff)
	}
}

// newDB starts a parallel test on a database of its own: the context, the
// pool and a store on it.
func newDB(t *testing.T) (context.Context, *pgxpool.Pool, *postgres.Store) {
	t.Parallel()
	pool := pgtest.New(t)
	return context.Background(), pool, postgres.NewStore(pool)
}

func TestDifficultyCounts(t *testing.T) {
	ctx, pool, _ := newDB(t)
	insertFixtures(t, pool, []testutil.Problem{
		{ID: "k1", Source: "s", Difficulty: new(float64(1))},
		{ID: "k2", Source: "s", Difficulty: new(float64(1.04))}, // rounds to 1
		{ID: "k3", Source: "s", Difficulty: new(float64(2.5))},
		{ID: "k4", Source: "s"},
		{ID: "dup", Source: "s", Difficulty: new(float64(2.5)), DupOf: "k3", Cluster: "k3"},
		{ID: "dropped", Source: "s", Difficulty: new(float64(9)), Status: "dropped"},
		{ID: "contaminated", Source: "s", Difficulty: new(float64(9)), Contaminated: []string{"b"}},
	})
	// A row of a run that has not finished is not counted.
	var src int64
	if err := pool.QueryRow(ctx, `SELECT id FROM sources WHERE name = 's'`).Scan(&src); err != nil {
		t.Fatal(err)
	}
	store := postgres.NewStore(pool)
	run, err := store.BeginRun(ctx, src, "rev2")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO problems (id, source_id, row_key, raw_hash, problem_raw, answer_raw, status, difficulty, ingest_run_id)
		VALUES ('running', $1, 'running', '\x00', 'New?', '2', 'kept', 7, $2)`, src, run); err != nil {
		t.Fatal(err)
	}
	got, unknown, err := store.DifficultyCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[float64]int64{1: 2, 2.5: 1}, got); diff != "" || unknown != 1 {
		t.Errorf("counts (-want +got):\n%s; unknown %d, want 1", diff, unknown)
	}
}

func TestLinksAmong(t *testing.T) {
	ctx, pool, _ := newDB(t)
	if _, err := pool.Exec(ctx, `INSERT INTO problem_links (a, b, similarity, edits) VALUES
		('a', 'b', 0.9, '{rename:Natalie->Maria}'), ('b', 'c', 1, '{}'), ('c', 'd', 0.8, '{stop_words,"synonym:total/altogether"}')`); err != nil {
		t.Fatal(err)
	}
	store := postgres.NewStore(pool)
	tests := []struct {
		ids  []string
		want []bigmath.Link
	}{
		{nil, nil},
		{[]string{"a"}, nil},
		{[]string{"a", "b"}, []bigmath.Link{{A: "a", B: "b", Similarity: 0.9, Edits: []string{"rename:Natalie->Maria"}}}},
		{[]string{"d", "c", "a"}, []bigmath.Link{{A: "c", B: "d", Similarity: 0.8, Edits: []string{"stop_words", "synonym:total/altogether"}}}},
		{[]string{"b", "c"}, []bigmath.Link{{A: "b", B: "c", Similarity: 1, Edits: []string{}}}},
	}
	for _, tc := range tests {
		got, err := store.LinksAmong(ctx, tc.ids)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("LinksAmong(%v) (-want +got):\n%s", tc.ids, diff)
		}
	}
}

// TestRowsOfUnfinishedRunsHidden: the rows of an ingest run that is
// running, or was killed, are not listed, fetched or used as golds; they
// are once a later run of the source completes, which adopts the rows it
// found unchanged.
func TestRowsOfUnfinishedRunsHidden(t *testing.T) {
	ctx, pool, store := newDB(t)
	var src int64
	if err := pool.QueryRow(ctx, `INSERT INTO sources (name, role) VALUES ('s', 'corpus') RETURNING id`).Scan(&src); err != nil {
		t.Fatal(err)
	}
	killed, err := store.BeginRun(ctx, src, "rev1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO problems (id, source_id, row_key, raw_hash, problem_raw, answer_raw, status, ingest_run_id)
		VALUES ('p_old', $1, 'old', '\x00', 'Old?', '1', 'kept', NULL), ('p_new', $1, 'new', '\x00', 'New?', '2', 'kept', $2)`, src, killed); err != nil {
		t.Fatal(err)
	}
	visible := func() map[string]bool {
		t.Helper()
		ps, err := store.ListProblems(ctx, bigmath.ProblemFilter{}, bigmath.ProblemCursor{}, 100)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, p := range ps {
			got[p.ID] = true
		}
		_, err = store.GetProblem(ctx, "p_new")
		golds, gerr := store.Golds(ctx, []string{"p_new"})
		if gerr != nil {
			t.Fatal(gerr)
		}
		if _, ok := golds["p_new"]; ok != got["p_new"] || (err == nil) != got["p_new"] {
			t.Errorf("p_new listed %v, but GetProblem err %v and gold found %v", got["p_new"], err, ok)
		}
		if err != nil && !errors.Is(err, bigmath.ErrNotFound) {
			t.Errorf("GetProblem of a hidden row: %v, want not found", err)
		}
		return got
	}
	if got := visible(); !got["p_old"] || got["p_new"] {
		t.Errorf("while the run runs: visible %v, want p_old only", got)
	}
	// The process dies; the next run marks it failed and starts.
	rerun, err := store.BeginRun(ctx, src, "rev1")
	if err != nil {
		t.Fatal(err)
	}
	if got := visible(); got["p_new"] {
		t.Errorf("killed run's row visible before the rerun completes: %v", got)
	}
	if err := store.FinishRun(ctx, rerun, bigmath.RunResult{Succeeded: true}); err != nil {
		t.Fatal(err)
	}
	if got := visible(); !got["p_old"] || !got["p_new"] {
		t.Errorf("after the rerun completed: visible %v, want both", got)
	}
}
