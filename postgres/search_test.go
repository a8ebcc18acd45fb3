package postgres_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/internal/testutil"
	"github.com/bigmath/bigmath/postgres"
	"github.com/bigmath/bigmath/postgres/pgtest"
)

func TestSearchRanked(t *testing.T) {
	t.Parallel()
	pool := pgtest.New(t)
	store := postgres.NewStore(pool)
	ctx := context.Background()
	insertFixtures(t, pool, []testutil.Problem{
		{ID: "s1", Source: "alpha", Text: "Prime, prime, prime: is the number 7 prime?"},
		{ID: "s2", Source: "alpha", Text: "Let a be a prime number. Find a."},
		{ID: "s3", Source: "beta", Text: "The number seven is odd."},
		{ID: "s4", Source: "beta", Text: "Is 91 PRIME?"},
		{ID: "s5", Source: "alpha", Text: "Is 91 prime?"},
		{ID: "s6", Source: "alpha", Text: "Is 97 prime?", Status: "dropped"},
	})
	tests := []struct {
		name string
		f    bigmath.ProblemFilter
		want []string
	}{
		// s1 has the word four times; s2, s4 and s5 once each: they tie
		// and come by id.
		{"one word, by rank then id", bigmath.ProblemFilter{Q: "prime"}, []string{"s1", "s2", "s4", "s5"}},
		{"case does not matter", bigmath.ProblemFilter{Q: "PRIME"}, []string{"s1", "s2", "s4", "s5"}},
		{"two words: both must occur", bigmath.ProblemFilter{Q: "prime number"}, []string{"s1", "s2"}},
		{"a one-letter word is a word", bigmath.ProblemFilter{Q: "a"}, []string{"s2"}},
		{"a number", bigmath.ProblemFilter{Q: "91"}, []string{"s4", "s5"}},
		{"with a filter", bigmath.ProblemFilter{Q: "prime", Sources: []string{"beta"}}, []string{"s4"}},
		{"no stemming", bigmath.ProblemFilter{Q: "primes"}, []string{}},
		{"punctuation between words is ignored", bigmath.ProblemFilter{Q: "prime & number | !"}, []string{"s1", "s2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := store.ListProblems(ctx, tc.f, bigmath.ProblemCursor{}, 100)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, ids(got)); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
			for i := 1; i < len(got); i++ {
				a, b := got[i-1], got[i]
				if a.Rank < b.Rank || a.Rank == b.Rank && a.ID > b.ID || b.Rank <= 0 {
					t.Errorf("%s (%g) before %s (%g): not by rank then id", a.ID, a.Rank, b.ID, b.Rank)
				}
			}
		})
	}

	t.Run("pages carry rank and id", func(t *testing.T) {
		f := bigmath.ProblemFilter{Q: "prime"}
		var all []string
		var after bigmath.ProblemCursor
		for range 10 {
			page, err := store.ListProblems(ctx, f, after, 1)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			all = append(all, ids(page)...)
			last := page[len(page)-1]
			after = bigmath.ProblemCursor{Rank: last.Rank, ID: last.ID}
		}
		if diff := cmp.Diff([]string{"s1", "s2", "s4", "s5"}, all); diff != "" {
			t.Errorf("pages of one (-want +got):\n%s", diff)
		}
	})

	t.Run("the index is used", func(t *testing.T) {
		if _, err := pool.Exec(ctx, "SET enable_seqscan = off"); err != nil {
			t.Fatal(err)
		}
		var plan string
		rows, err := pool.Query(ctx, `EXPLAIN SELECT id FROM problems WHERE search @@ plainto_tsquery('simple', 'prime')`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var l string
			_ = rows.Scan(&l)
			plan += l + "\n"
		}
		rows.Close()
		if !strings.Contains(plan, "problems_search_idx") {
			t.Errorf("plan does not use problems_search_idx:\n%s", plan)
		}
	})
}
