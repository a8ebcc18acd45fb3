package postgres_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/internal/testutil"
	"github.com/bigmath/bigmath/migrations"
)

func TestSearchRanked(t *testing.T) {
	ctx, pool, store := newDB(t)
	insertFixtures(t, pool, []testutil.Problem{
		{ID: "s1", Source: "alpha", Text: "Prime, prime, prime: is the number 7 prime?"},
		{ID: "s2", Source: "alpha", Text: "Let a be a prime number. Find a."},
		{ID: "s3", Source: "beta", Text: "The number seven is odd."},
		{ID: "s4", Source: "beta", Text: "Is 91 PRIME?"},
		{ID: "s5", Source: "alpha", Text: "Is 91 prime?"},
		{ID: "s6", Source: "alpha", Text: "Is 97 prime?", Status: "dropped"},
		{ID: "s7", Source: "beta", Text: "Is 91 prime ?", DupOf: "s5", Cluster: "s5"},
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
		{"dropped problems and copies, which the index leaves out", bigmath.ProblemFilter{Q: "prime", Status: "dropped"}, []string{"s6", "s7"}},
		{"all", bigmath.ProblemFilter{Q: "prime", Status: "all"}, []string{"s1", "s2", "s4", "s5", "s6", "s7"}},
		{"punctuation between words is ignored", bigmath.ProblemFilter{Q: "prime & number | !"}, []string{"s1", "s2"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := checkList(t, store, tc.f, tc.want)
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
		if diff := gocmp.Diff([]string{"s1", "s2", "s4", "s5"}, all); diff != "" {
			t.Errorf("pages of one (-want +got):\n%s", diff)
		}
	})

	t.Run("the index is used", func(t *testing.T) {
		if _, err := pool.Exec(ctx, "SET enable_seqscan = off"); err != nil {
			t.Fatal(err)
		}
		var plan string
		rows, err := pool.Query(ctx, `EXPLAIN SELECT id FROM problems WHERE duplicate_of IS NULL AND search @@ '''+prime'''::tsquery`)
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

// TestSearchRankOrder checks listings with a search against the rule
// computed here from bigmath.SearchTerms (every word of the query; rank =
// words, each counted at most twice; then id), for queries of one to six
// words (and one of nine) that many, few or no problems match, read in pages of several
// sizes: small pages are served from the window in id order when the
// words are common, and from the text index when they are rare in it.
func TestSearchRankOrder(t *testing.T) {
	ctx, pool, store := newDB(t)
	r := rand.New(rand.NewPCG(3, 4))
	common := []string{"apple", "pear", "plum", "fig", "lime", "kiwi", "mango", "peach", "grape"}
	var fixtures []testutil.Problem
	texts := map[string]string{}
	for i := range 1500 {
		var words []string
		for _, w := range common {
			if r.IntN(3) > 0 {
				for range 1 + r.IntN(3) {
					words = append(words, w)
				}
			}
		}
		if r.IntN(100) == 0 {
			words = append(words, "quince") // rare
		}
		if i >= 1400 && r.IntN(4) == 0 {
			words = append(words, "date", "date") // only late in id order
		}
		r.Shuffle(len(words), func(a, b int) { words[a], words[b] = words[b], words[a] })
		id := fmt.Sprintf("r%04d", i)
		text := strings.Join(words, " ") + "?"
		texts[id] = text
		fixtures = append(fixtures, testutil.Problem{ID: id, Source: "alpha", Text: text})
	}
	insertFixtures(t, pool, fixtures)
	if _, err := pool.Exec(ctx, "ANALYZE problems"); err != nil {
		t.Fatal(err)
	}
	ranks := map[string]float32{}
	want := func(q string) []string {
		words := bigmath.SearchWords(q)
		type hit struct {
			id   string
			rank int
		}
		var hits []hit
		for id, text := range texts {
			terms := bigmath.SearchTerms(text)
			rank := 0
			for _, w := range words {
				if _, ok := slices.BinarySearch(terms, w); !ok {
					rank = -1
					break
				}
				rank++
				if _, ok := slices.BinarySearch(terms, bigmath.RepeatMark+w); ok {
					rank++
				}
			}
			if rank > 0 {
				hits = append(hits, hit{id, rank})
				ranks[id] = float32(rank)
			}
		}
		slices.SortFunc(hits, func(a, b hit) int { return cmp.Or(b.rank-a.rank, strings.Compare(a.id, b.id)) })
		out := []string{}
		for _, h := range hits {
			out = append(out, h.id)
		}
		return out
	}
	queries := []string{"apple", "Plum plum", "quince", "date", "fig lime", "quince apple", "date pear", "apple pear plum",
		"apple pear plum fig", "apple pear plum fig lime kiwi", "kiwi quince date", "banana",
		"apple pear plum fig lime kiwi mango peach grape"} // nine words: ranked at once
	for _, q := range queries {
		for _, size := range []int{1, 3, 40, 2000} {
			if size == 1 && len(want(q)) > 60 {
				continue // pages of one: only for the short listings
			}
			t.Run(fmt.Sprintf("%s/%d", q, size), func(t *testing.T) {
				wantIDs := want(q)
				if len(wantIDs) == 0 && q != "banana" && q != "kiwi quince date" { // those two may match nothing
					t.Fatalf("no fixture matches %q: the case tests nothing", q)
				}
				got := []string{}
				var after bigmath.ProblemCursor
				for {
					page, err := store.ListProblems(ctx, bigmath.ProblemFilter{Q: q}, after, size)
					if err != nil {
						t.Fatal(err)
					}
					for _, p := range page {
						if p.Rank != ranks[p.ID] {
							t.Fatalf("%s has rank %g, want %g", p.ID, p.Rank, ranks[p.ID])
						}
					}
					got = append(got, ids(page)...)
					if len(page) < size {
						break
					}
					last := page[len(page)-1]
					after = bigmath.ProblemCursor{Rank: last.Rank, ID: last.ID}
				}
				if diff := gocmp.Diff(wantIDs, got); diff != "" {
					t.Errorf("q=%q in pages of %d (-want +got):\n%s", q, size, diff)
				}
			})
		}
	}
}

// TestSearchTermsBackfill checks that the SQL with which migration 007
// gave the rows stored before it their terms makes bigmath.SearchTerms's
// terms for ASCII texts.
func TestSearchTermsBackfill(t *testing.T) {
	ctx, pool, _ := newDB(t)
	texts := []string{
		"Find x. FIND y!", `Compute $\frac{1}{2} + \frac{3}{4}$, then x_1 = 3x.`, "well-known 2.5 km; 10km",
		"The  the THE: a a a b", "?", strings.Repeat("z", 201) + " ok ok",
	}
	var fs []testutil.Problem
	for i, text := range texts {
		fs = append(fs, testutil.Problem{ID: fmt.Sprintf("b%d", i), Source: "alpha", Text: text})
	}
	insertFixtures(t, pool, fs)
	sql, err := migrations.FS.ReadFile("007_search_terms.sql")
	if err != nil {
		t.Fatal(err)
	}
	update, _, _ := strings.Cut(string(sql[strings.Index(string(sql), "UPDATE problems SET search"):]), ";\n")
	if _, err := pool.Exec(ctx, "UPDATE problems SET search = ''; "+update); err != nil {
		t.Fatal(err)
	}
	for i, text := range texts {
		var got []string
		if err := pool.QueryRow(ctx, `SELECT tsvector_to_array(search) FROM problems WHERE id = $1`, fmt.Sprintf("b%d", i)).Scan(&got); err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		want := bigmath.SearchTerms(text)
		if want == nil {
			want = []string{}
		}
		if diff := gocmp.Diff(want, got); diff != "" {
			t.Errorf("%q (-SearchTerms +migration):\n%s", text, diff)
		}
	}
}
