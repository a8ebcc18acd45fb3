package ingest_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/ingest"
	"github.com/bigmath/bigmath/postgres"
	"github.com/bigmath/bigmath/postgres/pgtest"
)

// TestMATHLevelIsDifficulty ingests rows shaped like MATH's (type, level
// "Level N") and filters them by difficulty and type (domain).
func TestMATHLevelIsDifficulty(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	rows := []map[string]any{
		{"problem": "Compute $17 \\times 23 + 1$.", "answer": "392", "type": "Prealgebra", "level": "Level 1"},
		{"problem": "Find the number of positive divisors of $3600$.", "answer": "45", "type": "Number Theory", "level": "Level 4"},
		{"problem": "How many ways can 7 distinct beads be placed on a bracelet, up to rotation and reflection?", "answer": "360", "type": "Counting & Probability", "level": "Level 5"},
		{"problem": "Solve for $x$: $5x - 9 = 41$.", "answer": "10", "type": "Algebra", "level": "Level ?"},
	}
	writeJSONL(t, filepath.Join(dir, "math.jsonl"), rows)
	specs := parseSpecs(t, dir, `sources:
  - {name: math-like, role: corpus, path: math.jsonl, fields: {problem: problem, answer: answer, domain: type, level: level}}
`)
	pool := pgtest.New(t)
	store := postgres.NewStore(pool)
	ctx := context.Background()
	if _, err := (&ingest.Pipeline{Store: store}).Ingest(ctx, specs); err != nil {
		t.Fatal(err)
	}
	levels := func(f bigmath.ProblemFilter) []string {
		t.Helper()
		ps, err := store.ListProblems(ctx, f, bigmath.ProblemCursor{}, 100)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range ps {
			out = append(out, p.Level)
		}
		slices.Sort(out)
		return out
	}
	four := 4.0
	if got := levels(bigmath.ProblemFilter{}); len(got) != 4 {
		t.Fatalf("%d problems kept, want 4: %v", len(got), got)
	}
	if got := levels(bigmath.ProblemFilter{MinDifficulty: &four}); !slices.Equal(got, []string{"Level 4", "Level 5"}) {
		t.Errorf("min_difficulty=4: levels %v, want Level 4 and Level 5", got)
	}
	if got := levels(bigmath.ProblemFilter{MaxDifficulty: &four, Domains: []string{"Number Theory", "Algebra"}}); !slices.Equal(got, []string{"Level 4"}) {
		t.Errorf("max_difficulty=4 and two types: levels %v, want Level 4 (Level ? has no difficulty)", got)
	}
}
