package bigmath_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/bigmath/bigmath"
)

func fptr(f float64) *float64 { return &f }

func TestSplitValidate(t *testing.T) {
	t.Parallel()
	ok := bigmath.Fractions{Train: 1}
	tests := []struct {
		name  string
		split bigmath.Split
		field string
	}{
		{"ok", bigmath.Split{Name: "a.b_c-1", Fractions: ok}, ""},
		{"sum of thirds", bigmath.Split{Name: "x", Fractions: bigmath.Fractions{Train: 0.7, Validation: 0.2, Test: 0.1}}, ""},
		{"empty name", bigmath.Split{Fractions: ok}, "name"},
		{"slash in name", bigmath.Split{Name: "a/b", Fractions: ok}, "name"},
		{"name too long", bigmath.Split{Name: fmt.Sprintf("%065d", 0), Fractions: ok}, "name"},
		{"negative fraction", bigmath.Split{Name: "x", Fractions: bigmath.Fractions{Train: 1.5, Test: -0.5}}, "fractions.train"},
		{"sum above 1", bigmath.Split{Name: "x", Fractions: bigmath.Fractions{Train: 0.9, Test: 0.2}}, "fractions"},
		{"all zero", bigmath.Split{Name: "x"}, "fractions"},
		{"stratify", bigmath.Split{Name: "x", Fractions: ok, Stratify: "level"}, "stratify"},
		{"filter status", bigmath.Split{Name: "x", Fractions: ok, Filter: bigmath.ProblemFilter{Status: "gone"}}, "filter.status"},
		{"filter min above max", bigmath.Split{Name: "x", Fractions: ok, Filter: bigmath.ProblemFilter{MinDifficulty: fptr(3), MaxDifficulty: fptr(2)}}, "filter.min_difficulty"},
		{"filter pass rate above 1", bigmath.Split{Name: "x", Fractions: ok, Filter: bigmath.ProblemFilter{MaxPassRate: fptr(1.5)}}, "filter.max_pass_rate"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.split.Validate()
			var ve *bigmath.ValidationError
			switch {
			case tc.field == "" && err != nil:
				t.Errorf("Validate(%+v) = %v, want nil", tc.split, err)
			case tc.field != "" && (!errors.As(err, &ve) || ve.Field != tc.field):
				t.Errorf("Validate(%+v) = %v, want a ValidationError on %s", tc.split, err, tc.field)
			}
		})
	}
}

func TestPartOfHash(t *testing.T) {
	t.Parallel()
	third := 1.0 / 3
	tests := []struct {
		f    bigmath.Fractions
		h    int64
		want bigmath.Part
	}{
		// h is read as unsigned: MinInt64 is the smallest, MaxInt64 the largest.
		{bigmath.Fractions{Train: 0.8, Validation: 0.1, Test: 0.1}, math.MinInt64, bigmath.PartTrain},
		{bigmath.Fractions{Train: 0.8, Validation: 0.1, Test: 0.1}, math.MaxInt64, bigmath.PartTest},
		{bigmath.Fractions{Train: 0.5, Test: 0.5}, -1, bigmath.PartTrain}, // just below one half
		{bigmath.Fractions{Train: 0.5, Test: 0.5}, 0, bigmath.PartTest},   // one half
		{bigmath.Fractions{Train: 1}, math.MaxInt64, bigmath.PartTrain},   // never rounds up to 1
		{bigmath.Fractions{Train: 0.9, Validation: 0.1}, math.MaxInt64, bigmath.PartValidation},
		{bigmath.Fractions{Test: 1}, math.MinInt64, bigmath.PartTest},
		// -2^62 maps to 2^62 (the sign bit flipped): a quarter, in the first third.
		{bigmath.Fractions{Train: third, Validation: third, Test: third}, math.MinInt64 / 2, bigmath.PartTrain},
		// 2^62-1 maps to just below three quarters: the last third.
		{bigmath.Fractions{Train: third, Validation: third, Test: third}, math.MaxInt64 / 2, bigmath.PartTest},
	}
	for _, tc := range tests {
		if got := tc.f.PartOfHash(tc.h); got != tc.want {
			t.Errorf("%+v.PartOfHash(%d) = %s, want %s", tc.f, tc.h, got, tc.want)
		}
	}
	// Shares over many hashes: within 1% of the fractions.
	f := bigmath.Fractions{Train: 0.7, Validation: 0.2, Test: 0.1}
	r := rand.New(rand.NewPCG(1, 2))
	var c bigmath.SplitCounts
	const n = 200000
	for range n {
		c.Add(f.PartOfHash(int64(r.Uint64())))
	}
	for _, x := range []struct {
		got  int64
		want float64
	}{{c.Train, f.Train}, {c.Validation, f.Validation}, {c.Test, f.Test}} {
		if math.Abs(float64(x.got)/n-x.want) > 0.01 {
			t.Errorf("shares %+v of %d, want %+v", c, n, f)
		}
	}
}
