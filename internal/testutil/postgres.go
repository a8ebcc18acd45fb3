package testutil

import (
	"cmp"
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bigmath/bigmath"
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

// Problem is one problems row that a test writes with plain SQL, with its
// source. Status, Kind, Text and Contaminated default to a kept problem
// "What is <ID>?" with an integer answer and no contamination; the other
// columns are written as given (the schema's defaults where empty).
type Problem struct {
	ID, Source, Text, Domain, Kind, Status, Stage, Reason, DupOf, Cluster string
	Difficulty                                                            *float64
	Contaminated                                                          []string
	Attempts, Correct                                                     int64

	SourceLicense, Revision, RowKey, License string
	RawHash                                  []byte
	RawSuffix                                string // problem_raw is Text and RawSuffix
	Solution, AnswerRaw, AnswerCanonical     string
	Verdicts, Extra                          string // JSON
}

// InsertProblems inserts the problems and the sources they name; fill,
// when set, first completes each (a copy) with the columns a package's
// tests read back.
func InsertProblems(tb testing.TB, pool *pgxpool.Pool, ps []Problem, fill func(*Problem)) {
	tb.Helper()
	ctx := context.Background()
	for _, p := range ps {
		if fill != nil {
			fill(&p)
		}
		if _, err := pool.Exec(ctx, `INSERT INTO sources (name, role, license) VALUES ($1, 'corpus', $2) ON CONFLICT (name) DO NOTHING`, p.Source, p.SourceLicense); err != nil {
			tb.Fatal(err)
		}
		p.Status = cmp.Or(p.Status, "kept")
		p.Kind = cmp.Or(p.Kind, "integer")
		p.Text = cmp.Or(p.Text, "What is "+p.ID+"?")
		if p.Contaminated == nil {
			p.Contaminated = []string{}
		}
		_, err := pool.Exec(ctx, `INSERT INTO problems (id, source_id, source_revision, row_key, raw_hash, license,
				problem_raw, problem_norm, solution, domain, difficulty, answer_raw, answer_canonical, answer_kind,
				status, stage, reason, duplicate_of, cluster_id, contaminated, attempts, correct, verdicts, extra, search)
			VALUES ($1, (SELECT id FROM sources WHERE name = $2), $3, $4, $5, $6, $7 || $8, $7, $9, $10, $11, $12, $13, $14,
				$15, $16, $17, NULLIF($18, ''), NULLIF($19, ''), $20, $21, $22, $23::jsonb, $24::jsonb, coalesce(array_to_tsvector($25::text[]), ''))`,
			p.ID, p.Source, p.Revision, p.RowKey, p.RawHash, p.License, p.Text, p.RawSuffix, p.Solution, p.Domain, p.Difficulty,
			p.AnswerRaw, p.AnswerCanonical, p.Kind, p.Status, p.Stage, p.Reason, p.DupOf, p.Cluster, p.Contaminated,
			p.Attempts, p.Correct, cmp.Or(p.Verdicts, "[]"), cmp.Or(p.Extra, "{}"), bigmath.SearchTerms(p.Text))
		if err != nil {
			tb.Fatalf("insert %s: %v", p.ID, err)
		}
	}
}
