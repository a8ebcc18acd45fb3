package postgres_test

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/internal/testutil"
	"github.com/bigmath/bigmath/postgres"
)

func TestRecordAttempts(t *testing.T) {
	_, pool, _ := newDB(t)
	addProblem(t, pool, "p_1", "1", "1", "integer", "kept")
	addProblem(t, pool, "p_2", "2", "2", "integer", "kept")
	s := postgres.NewStore(pool)
	ctx := context.Background()

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
