package bigmath_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/bigmath/bigmath"
)

func TestProblemIDStableAndDistinct(t *testing.T) {
	t.Parallel()
	a := bigmath.ProblemID("gsm8k-train", "12")
	if b := bigmath.ProblemID("gsm8k-train", "12"); a != b {
		t.Fatalf("ProblemID not deterministic: %q vs %q", a, b)
	}
	tests := []struct{ source, key string }{
		{"gsm8k-train", "13"},
		{"gsm8k-test", "12"},
		{"gsm8k-train1", "2"}, // the separator keeps source and key apart
	}
	for _, tc := range tests {
		if got := bigmath.ProblemID(tc.source, tc.key); got == a {
			t.Errorf("ProblemID(%q, %q) = %q collides with (gsm8k-train, 12)", tc.source, tc.key, got)
		}
	}
	if len(a) != 22 {
		t.Errorf("ProblemID length = %d, want 22 (%q)", len(a), a)
	}
}

func TestValidationErrorAs(t *testing.T) {
	t.Parallel()
	err := fmt.Errorf("decode: %w", &bigmath.ValidationError{Field: "limit", Reason: "must be at most 1000"})
	var ve *bigmath.ValidationError
	if !errors.As(err, &ve) || ve.Field != "limit" {
		t.Fatalf("errors.As did not find the ValidationError in %v", err)
	}
	if got, want := ve.Error(), "limit: must be at most 1000"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestSourceRoleValid(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		role bigmath.SourceRole
		want bool
	}{{"corpus", true}, {"benchmark", true}, {"train", false}, {"", false}} {
		if got := tc.role.Valid(); got != tc.want {
			t.Errorf("SourceRole(%q).Valid() = %v, want %v", tc.role, got, tc.want)
		}
	}
}
