package postgres_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/internal/testutil"
	"github.com/bigmath/bigmath/postgres"
)

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
