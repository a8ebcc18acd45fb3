package bigmath_test

import (
	"errors"
	"fmt"
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

func TestFractionsBounds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		f                    bigmath.Fractions
		n, train, validation int64
	}{
		{bigmath.Fractions{Train: 0.8, Validation: 0.1, Test: 0.1}, 100, 80, 90},
		{bigmath.Fractions{Train: 0.7, Validation: 0.2, Test: 0.1}, 10, 7, 9},
		{bigmath.Fractions{Train: 0.5, Test: 0.5}, 5, 3, 3}, // 2.5 rounds away from zero
		{bigmath.Fractions{Train: 1}, 7, 7, 7},
		{bigmath.Fractions{Test: 1}, 7, 0, 0},
		{bigmath.Fractions{Train: 1.0 / 3, Validation: 1.0 / 3, Test: 1.0 / 3}, 3, 1, 2},
		{bigmath.Fractions{Train: 0.8, Validation: 0.1, Test: 0.1}, 0, 0, 0},
		{bigmath.Fractions{Train: 0.8, Validation: 0.1, Test: 0.1}, 1, 1, 1},
	}
	for _, tc := range tests {
		train, validation := tc.f.Bounds(tc.n)
		if train != tc.train || validation != tc.validation {
			t.Errorf("%+v.Bounds(%d) = %d, %d; want %d, %d", tc.f, tc.n, train, validation, tc.train, tc.validation)
		}
		counts := map[bigmath.Part]int64{}
		for r := range tc.n {
			counts[tc.f.PartOf(r, tc.n)]++
		}
		if counts[bigmath.PartTrain] != tc.train || counts[bigmath.PartValidation] != tc.validation-tc.train ||
			counts[bigmath.PartTest] != tc.n-tc.validation {
			t.Errorf("%+v.PartOf over %d ranks = %v", tc.f, tc.n, counts)
		}
	}
}
