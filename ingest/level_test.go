package ingest_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/bigmath/bigmath/ingest"
)

func TestLevelDifficulty(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"Level 1", 1, true},
		{"Level 5", 5, true},
		{"level 3", 3, true},
		{"  Level  2 ", 2, true},
		{"Level 10", 10, true},
		{"Level ?", 0, false},
		{"Level 5a", 0, false},
		{"Level -1", 0, false},
		{"Level 1.5", 0, false},
		{"Level", 0, false},
		{"Level 1000", 0, false},
		{"Grade 5", 0, false},
		{"5", 0, false},
		{"", 0, false},
	}
	for _, tc := range tests {
		got, ok := ingest.LevelDifficulty(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("LevelDifficulty(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func FuzzLevelDifficulty(f *testing.F) {
	for _, s := range []string{"Level 1", "Level ?", "level  42", "Level 999", "Level \u00a05", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := ingest.LevelDifficulty(s)
		if !ok {
			if d != 0 {
				t.Fatalf("LevelDifficulty(%q) = %v without ok", s, d)
			}
			return
		}
		if d < 0 || d > 100 || d != float64(int(d)) {
			t.Fatalf("LevelDifficulty(%q) = %v: not a whole number in [0, 100]", s, d)
		}
		// The number is the one written after the word.
		if !strings.HasSuffix(strings.TrimSpace(s), strconv.Itoa(int(d))) {
			t.Fatalf("LevelDifficulty(%q) = %v", s, d)
		}
	})
}
