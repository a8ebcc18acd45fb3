package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bigmath/bigmath"
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
