package postgres_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/internal/testutil"
)

func TestSplits(t *testing.T) {
	ctx, pool, store := newDB(t)
	// 100 problems of alpha with difficulties 1..100, 50 of beta without one.
	var fs []testutil.Problem
	for i := range 100 {
		fs = append(fs, testutil.Problem{ID: fmt.Sprintf("a%03d", i), Source: "alpha", Difficulty: new(float64(i + 1))})
	}
	for i := range 50 {
		fs = append(fs, testutil.Problem{ID: fmt.Sprintf("b%03d", i), Source: "beta"})
	}
	fs = append(fs, testutil.Problem{ID: "z-dropped", Source: "beta", Status: "dropped"})
	insertFixtures(t, pool, fs)

	parts := func(name string) map[string]bigmath.Part {
		t.Helper()
		got := map[string]bigmath.Part{}
		err := store.ExportSplitVersion(ctx, name, 0, "", func(r *bigmath.FrozenRow) error {
			got[r.ID] = r.Part
			return nil
		})
		if err != nil {
			t.Fatalf("ExportSplit(%s): %v", name, err)
		}
		return got
	}
	// wantCounts computes the parts from PostgreSQL's hash of each id, as
	// bigmath.Fractions.PartOfHash defines them.
	wantCounts := func(sp bigmath.Split, ids func(string) bool) bigmath.SplitCounts {
		t.Helper()
		rows, err := pool.Query(ctx, `SELECT id, hashtextextended(id, $1) FROM problems WHERE status = 'kept'`, sp.Seed)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var c bigmath.SplitCounts
		for rows.Next() {
			var (
				id string
				h  int64
			)
			if err := rows.Scan(&id, &h); err != nil {
				t.Fatal(err)
			}
			if ids(id) {
				c.Add(sp.Fractions.PartOfHash(h))
			}
		}
		return c
	}
	all := func(string) bool { return true }
	tests := []struct {
		split bigmath.Split
		ids   func(string) bool
		total int64
	}{
		{bigmath.Split{Name: "plain", Seed: 1, Fractions: bigmath.Fractions{Train: 0.8, Validation: 0.1, Test: 0.1}}, all, 150},
		{bigmath.Split{Name: "by-source", Seed: 7, Fractions: bigmath.Fractions{Train: 0.7, Validation: 0.2, Test: 0.1}, Stratify: "source"}, all, 150},
		{bigmath.Split{Name: "by-difficulty", Seed: 7, Fractions: bigmath.Fractions{Train: 0.5, Validation: 0.5}, Stratify: "difficulty"}, all, 150},
		{bigmath.Split{Name: "beta-only", Filter: bigmath.ProblemFilter{Sources: []string{"beta"}}, Fractions: bigmath.Fractions{Train: 1}},
			func(id string) bool { return id[0] == 'b' }, 50},
	}
	for _, tc := range tests {
		t.Run(tc.split.Name, func(t *testing.T) {
			saved, err := store.CreateSplit(ctx, tc.split)
			if err != nil {
				t.Fatal(err)
			}
			if saved.CreatedAt.IsZero() {
				t.Error("CreateSplit: no created_at")
			}
			got, err := store.SplitCounts(ctx, tc.split.Name)
			if err != nil {
				t.Fatal(err)
			}
			if want := wantCounts(tc.split, tc.ids); got != want || got.Total() != tc.total {
				t.Errorf("SplitCounts(%s) = %+v, want %+v (total %d)", tc.split.Name, got, want, tc.total)
			}
			if tc.split.Fractions.Validation == 0 && got.Validation != 0 || tc.split.Fractions.Test == 0 && got.Test != 0 {
				t.Errorf("SplitCounts(%s) = %+v: a part with fraction 0 has problems", tc.split.Name, got)
			}
			loaded, err := store.GetSplit(ctx, tc.split.Name)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.split.Filter, loaded.Filter); diff != "" || loaded.Fractions != tc.split.Fractions ||
				loaded.Seed != tc.split.Seed || loaded.Stratify != tc.split.Stratify {
				t.Errorf("GetSplit(%s) = %+v, want %+v", tc.split.Name, loaded, tc.split)
			}
		})
	}

	t.Run("shares hold up to sampling", func(t *testing.T) {
		// 150 problems, train 0.8: the binomial standard deviation is 4.9;
		// 4 of them is a bound that fails a correct hash once in 15,000.
		c, err := store.SplitCounts(ctx, "plain")
		if err != nil {
			t.Fatal(err)
		}
		if c.Train < 100 || c.Train > 140 || c.Validation+c.Test != 150-c.Train {
			t.Errorf("plain: %+v, want about 120/15/15", c)
		}
	})

	t.Run("deterministic and seeded", func(t *testing.T) {
		first := parts("plain")
		if diff := cmp.Diff(first, parts("plain")); diff != "" {
			t.Errorf("two exports differ:\n%s", diff)
		}
		other := bigmath.Split{Name: "plain-seed-2", Seed: 2, Fractions: bigmath.Fractions{Train: 0.8, Validation: 0.1, Test: 0.1}}
		if _, err := store.CreateSplit(ctx, other); err != nil {
			t.Fatal(err)
		}
		second := parts("plain-seed-2")
		moved := 0
		for id, p := range first {
			if second[id] != p {
				moved++
			}
		}
		if moved == 0 {
			t.Error("seeds 1 and 2 give the same partition")
		}
	})

	t.Run("export one part", func(t *testing.T) {
		all := parts("plain")
		n := 0
		counts, err := store.SplitCounts(ctx, "plain")
		if err != nil {
			t.Fatal(err)
		}
		err = store.ExportSplitVersion(ctx, "plain", 1, bigmath.PartTest, func(r *bigmath.FrozenRow) error {
			n++
			if r.Part != bigmath.PartTest || all[r.ID] != bigmath.PartTest {
				t.Errorf("row %s in part %s, exported as test", r.ID, all[r.ID])
			}
			if r.Source == "" || r.Problem == "" || r.Answer != "42" {
				t.Errorf("row %+v lacks its fields", r)
			}
			return nil
		})
		if err != nil || int64(n) != counts.Test || n == 0 {
			t.Errorf("ExportSplitVersion(plain, test) = %v with %d rows, want %d", err, n, counts.Test)
		}
	})

	t.Run("part exports agree with the full export and the counts", func(t *testing.T) {
		for _, tc := range tests {
			all := parts(tc.split.Name)
			counts, err := store.SplitCounts(ctx, tc.split.Name)
			if err != nil {
				t.Fatal(err)
			}
			want := map[bigmath.Part]int64{bigmath.PartTrain: counts.Train, bigmath.PartValidation: counts.Validation, bigmath.PartTest: counts.Test}
			for _, part := range bigmath.Parts {
				var got int64
				err := store.ExportSplitVersion(ctx, tc.split.Name, 0, part, func(r *bigmath.FrozenRow) error {
					got++
					if r.Part != part || all[r.ID] != part {
						t.Errorf("split %s: %s exported in part %s, in %s in the full export", tc.split.Name, r.ID, part, all[r.ID])
					}
					return nil
				})
				if err != nil || got != want[part] {
					t.Errorf("split %s part %s: %d rows (%v), counts say %d", tc.split.Name, part, got, err, want[part])
				}
			}
		}
	})

	t.Run("export stops on callback error", func(t *testing.T) {
		stop := errors.New("stop")
		n := 0
		err := store.ExportSplitVersion(ctx, "plain", 0, "", func(*bigmath.FrozenRow) error { n++; return stop })
		if !errors.Is(err, stop) || n != 1 {
			t.Errorf("ExportSplit with a failing callback = %v after %d rows, want stop after 1", err, n)
		}
	})

	t.Run("errors", func(t *testing.T) {
		_, err := store.CreateSplit(ctx, tests[0].split)
		if !errors.Is(err, bigmath.ErrConflict) {
			t.Errorf("CreateSplit(existing) = %v, want ErrConflict", err)
		}
		if _, err := store.GetSplit(ctx, "nope"); !errors.Is(err, bigmath.ErrNotFound) {
			t.Errorf("GetSplit(nope) = %v, want ErrNotFound", err)
		}
		if _, err := store.SplitCounts(ctx, "nope"); !errors.Is(err, bigmath.ErrNotFound) {
			t.Errorf("SplitCounts(nope) = %v, want ErrNotFound", err)
		}
		if err := store.ExportSplitVersion(ctx, "nope", 0, "", func(*bigmath.FrozenRow) error { return nil }); !errors.Is(err, bigmath.ErrNotFound) {
			t.Errorf("ExportSplit(nope) = %v, want ErrNotFound", err)
		}
		var ve *bigmath.ValidationError
		if err := store.ExportSplitVersion(ctx, "plain", 2, "", func(*bigmath.FrozenRow) error { return nil }); !errors.Is(err, bigmath.ErrNotFound) {
			t.Errorf("ExportSplitVersion(plain, version 2) = %v, want ErrNotFound", err)
		}
		if err := store.ExportSplitVersion(ctx, "plain", 0, "dev", func(*bigmath.FrozenRow) error { return nil }); !errors.As(err, &ve) || ve.Field != "part" {
			t.Errorf("ExportSplit(part=dev) = %v, want a ValidationError on part", err)
		}
		_, err = store.CreateSplit(ctx, bigmath.Split{Name: "bad", Fractions: bigmath.Fractions{Train: 0.5}})
		if !errors.As(err, &ve) || ve.Field != "fractions" {
			t.Errorf("CreateSplit(fractions summing to 0.5) = %v, want a ValidationError on fractions", err)
		}
	})

	t.Run("list", func(t *testing.T) {
		all, err := store.ListSplits(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, s := range all {
			names = append(names, s.Name)
		}
		if diff := cmp.Diff([]string{"beta-only", "by-difficulty", "by-source", "plain", "plain-seed-2"}, names); diff != "" {
			t.Errorf("ListSplits names (-want +got):\n%s", diff)
		}
	})
}
