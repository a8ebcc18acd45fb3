package verify

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bigmath/bigmath/verify/internal/extract"
)

// FuzzExtract checks properties of extraction on arbitrary text: it never
// panics, it is deterministic, an answer is non-empty, trimmed and made of
// the response's own bytes in order (only the ", " and "=" of a joined box
// group are added), no answer means an empty string, and the scan stays
// linear (a hang detector with a bound far above the linear cost, not a
// speed test: BenchmarkExtract measures speed; a run over a second is retried
// so that a loaded machine does not fail it).
func FuzzExtract(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "extract", "*.txt"))
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	for _, tc := range extractCases {
		if len(tc.response) <= 4<<10 {
			f.Add(tc.response)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := extractFinal(s)
		if d := fastestRun(s); d > time.Second {
			t.Errorf("Extract took %v on %d bytes, three times in a row", d, len(s))
		}
		got2, ok2 := extractFinal(s)
		if got != got2 || ok != ok2 {
			t.Fatalf("Extract(%q) not deterministic: %q, %v then %q, %v", s, got, ok, got2, ok2)
		}
		if !ok {
			if got != "" {
				t.Fatalf("Extract(%q) = %q with ok=false", s, got)
			}
		} else {
			if got == "" || got != strings.TrimSpace(got) {
				t.Fatalf("Extract(%q) = %q: empty or untrimmed", s, got)
			}
			if !subsequence(stripJoins(got), s) {
				t.Fatalf("Extract(%q) = %q: not taken from the response", s, got)
			}
		}
		_, alts := extract.Final(s)
		if len(alts) == 1 {
			t.Fatalf("extract.Final(%q) returned a single alternative %q", s, alts[0])
		}
		for _, a := range alts {
			if a == "" || !subsequence(a, s) {
				t.Fatalf("extract.Final(%q): alternative %q empty or not from the response", s, a)
			}
		}
	})
}

// fastestRun times extract on s and returns the fastest of up to three
// runs, retrying only while runs exceed a second: a scan that is not linear
// is slow every time, a loaded machine only now and then.
func fastestRun(s string) time.Duration {
	best := time.Duration(1<<63 - 1)
	for range 3 {
		start := time.Now()
		extractFinal(s)
		best = min(best, time.Since(start))
		if best <= time.Second {
			break
		}
	}
	return best
}
