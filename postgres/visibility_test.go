package postgres_test

import (
	"errors"
	"testing"

	"github.com/bigmath/bigmath"
)

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
