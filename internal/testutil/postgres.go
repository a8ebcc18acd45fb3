package testutil

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
)

// CheckAttempts checks the attempt and correct counts of a stored problem
// and that the attempts table holds one row an attempt of it.
func CheckAttempts(tb testing.TB, pool *pgxpool.Pool, id string, attempts, correct int64) {
	tb.Helper()
	var gotAttempts, gotCorrect, rows int64
	err := pool.QueryRow(context.Background(), `SELECT attempts, correct, (SELECT count(*) FROM attempts a WHERE a.problem_id = p.id) FROM problems p WHERE id = $1`, id).
		Scan(&gotAttempts, &gotCorrect, &rows)
	if err != nil {
		tb.Fatal(err)
	}
	if gotAttempts != attempts || gotCorrect != correct || rows != attempts {
		tb.Errorf("problem %s: attempts %d correct %d attempt rows %d; want %d %d %d", id, gotAttempts, gotCorrect, rows, attempts, correct, attempts)
	}
}
