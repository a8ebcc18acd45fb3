package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/internal/testutil"
	"github.com/bigmath/bigmath/postgres"
	"github.com/bigmath/bigmath/postgres/pgtest"
)

func TestSplits(t *testing.T) {
	t.Parallel()
	pool := pgtest.New(t)
	store := postgres.NewStore(pool)
	ctx := context.Background()
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
		err := store.ExportSplit(ctx, name, "", func(r *bigmath.SplitRow) error {
			got[r.Problem.ID] = r.Part
			return nil
		})
		if err != nil {
			t.Fatalf("ExportSplit(%s): %v", name, err)
		}
		return got
	}
	tests := []struct {
		split bigmath.Split
		want  bigmath.SplitCounts
	}{
		{bigmath.Split{Name: "plain", Seed: 1, Fractions: bigmath.Fractions{Train: 0.8, Validation: 0.1, Test: 0.1}},
			bigmath.SplitCounts{Train: 120, Validation: 15, Test: 15}},
		// per source: alpha 100 -> 70/20/10, beta 50 -> 35/10/5
		{bigmath.Split{Name: "by-source", Seed: 7, Fractions: bigmath.Fractions{Train: 0.7, Validation: 0.2, Test: 0.1}, Stratify: "source"},
			bigmath.SplitCounts{Train: 105, Validation: 30, Test: 15}},
		// ten deciles of 10 -> 5/5/0 each, and 50 without difficulty -> 25/25/0
		{bigmath.Split{Name: "by-difficulty", Seed: 7, Fractions: bigmath.Fractions{Train: 0.5, Validation: 0.5}, Stratify: "difficulty"},
			bigmath.SplitCounts{Train: 75, Validation: 75}},
		{bigmath.Split{Name: "beta-only", Filter: bigmath.ProblemFilter{Sources: []string{"beta"}}, Fractions: bigmath.Fractions{Train: 1}},
			bigmath.SplitCounts{Train: 50}},
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
			if got != tc.want {
				t.Errorf("SplitCounts(%s) = %+v, want %+v", tc.split.Name, got, tc.want)
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

	t.Run("strata hold their fractions", func(t *testing.T) {
		got := parts("by-source")
		per := map[string]map[bigmath.Part]int{"a": {}, "b": {}}
		for id, p := range got {
			per[id[:1]][p]++
		}
		want := map[string]map[bigmath.Part]int{
			"a": {bigmath.PartTrain: 70, bigmath.PartValidation: 20, bigmath.PartTest: 10},
			"b": {bigmath.PartTrain: 35, bigmath.PartValidation: 10, bigmath.PartTest: 5},
		}
		if diff := cmp.Diff(want, per); diff != "" {
			t.Errorf("parts per source (-want +got):\n%s", diff)
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
		err := store.ExportSplit(ctx, "plain", bigmath.PartTest, func(r *bigmath.SplitRow) error {
			n++
			if r.Part != bigmath.PartTest || all[r.Problem.ID] != bigmath.PartTest {
				t.Errorf("row %s in part %s, exported as test", r.Problem.ID, all[r.Problem.ID])
			}
			if r.Problem.SourceName == "" || r.Problem.ProblemNorm == "" || r.Problem.Answer.Raw != "42" {
				t.Errorf("row %+v lacks its fields", r.Problem)
			}
			return nil
		})
		if err != nil || n != 15 {
			t.Errorf("ExportSplit(plain, test) = %v with %d rows, want 15", err, n)
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
				err := store.ExportSplit(ctx, tc.split.Name, part, func(r *bigmath.SplitRow) error {
					got++
					if r.Part != part || all[r.Problem.ID] != part {
						t.Errorf("split %s: %s exported in part %s, in %s in the full export", tc.split.Name, r.Problem.ID, part, all[r.Problem.ID])
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
		err := store.ExportSplit(ctx, "plain", "", func(*bigmath.SplitRow) error { n++; return stop })
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
		if err := store.ExportSplit(ctx, "nope", "", func(*bigmath.SplitRow) error { return nil }); !errors.Is(err, bigmath.ErrNotFound) {
			t.Errorf("ExportSplit(nope) = %v, want ErrNotFound", err)
		}
		var ve *bigmath.ValidationError
		if err := store.ExportSplit(ctx, "plain", "dev", func(*bigmath.SplitRow) error { return nil }); !errors.As(err, &ve) || ve.Field != "part" {
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
