package postgres_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/internal/testutil"
	"github.com/bigmath/bigmath/postgres"
)

// addProblem inserts a problem with a gold answer (test-only SQL).
func addProblem(tb testing.TB, pool *pgxpool.Pool, id, raw, canonical, kind, status string) {
	tb.Helper()
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `INSERT INTO sources (name, role) VALUES ('gold-test', 'corpus') ON CONFLICT (name) DO NOTHING`); err != nil {
		tb.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO problems (id, source_id, row_key, raw_hash, problem_raw, answer_raw, answer_canonical, answer_kind, status)
		SELECT $1, id, $1, '\x00'::bytea, 'q', $2, $3, $4, $5 FROM sources WHERE name = 'gold-test'`, id, raw, canonical, kind, status); err != nil {
		tb.Fatal(err)
	}
}

func TestGolds(t *testing.T) {
	_, pool, _ := newDB(t)
	addProblem(t, pool, "p_1", `\frac{1}{2}`, "1/2", "rational", "kept")
	addProblem(t, pool, "p_2", "7", "7", "integer", "dropped")
	s := postgres.NewStore(pool)
	ctx := context.Background()

	got, err := s.Golds(ctx, []string{"p_1", "p_2", "p_missing", "p_1"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bigmath.Answer{
		"p_1": {Raw: `\frac{1}{2}`, Canonical: "1/2", Kind: "rational"},
		"p_2": {Raw: "7", Canonical: "7", Kind: "integer"},
	}
	if len(got) != len(want) {
		t.Fatalf("Golds = %v, want %v", got, want)
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("Golds[%s] = %+v, want %+v", id, got[id], w)
		}
	}
	if got, err := s.Golds(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("Golds(nil) = %v, %v; want an empty map", got, err)
	}

	pool.Close()
	if _, err := s.Golds(ctx, []string{"p_1"}); err == nil {
		t.Error("Golds on a closed pool: no error")
	} else if errors.Is(err, bigmath.ErrNotFound) {
		t.Errorf("Golds on a closed pool = %v, must not be ErrNotFound", err)
	}
}

func TestRecordAttempts(t *testing.T) {
	ctx, pool, s := newDB(t)
	addProblem(t, pool, "p_1", "1", "1", "integer", "kept")
	addProblem(t, pool, "p_2", "2", "2", "integer", "kept")

	long := strings.Repeat("é", 2000) // over the stored length, cut at a rune boundary
	batch := []bigmath.Attempt{
		{ProblemID: "p_1", Correct: true, Reason: "equal", Extracted: "1"},
		{ProblemID: "p_1", Correct: false, Reason: "not_equal", Extracted: "bad\x00nul\xff"},
		{ProblemID: "p_2", Correct: false, Reason: "no_answer", Extracted: long},
		{ProblemID: "p_gone", Correct: true, Reason: "equal"}, // no such problem: skipped
	}
	if err := s.RecordAttempts(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordAttempts(ctx, batch[:1]); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordAttempts(ctx, nil); err != nil {
		t.Fatalf("RecordAttempts(nil) = %v", err)
	}
	testutil.CheckAttempts(t, pool, "p_1", 3, 2)
	testutil.CheckAttempts(t, pool, "p_2", 1, 0)
	var extracted string
	if err := pool.QueryRow(ctx, `SELECT extracted FROM attempts WHERE problem_id = 'p_2'`).Scan(&extracted); err != nil {
		t.Fatal(err)
	}
	if !utf8.ValidString(extracted) || len(extracted) > 1000 || len(extracted) < 990 {
		t.Errorf("stored extracted answer: %d bytes, valid UTF-8 %v; want at most 1000 bytes cut at a rune", len(extracted), utf8.ValidString(extracted))
	}
	if err := pool.QueryRow(ctx, `SELECT extracted FROM attempts WHERE reason = 'not_equal'`).Scan(&extracted); err != nil || extracted != "badnul\uFFFD" {
		t.Errorf("stored extracted %q (%v), want NUL removed and invalid UTF-8 replaced", extracted, err)
	}

	pool.Close()
	if err := s.RecordAttempts(ctx, batch[:1]); err == nil {
		t.Error("RecordAttempts on a closed pool: no error")
	}
}
