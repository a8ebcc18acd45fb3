package verify

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bigmath/bigmath/internal/testutil"
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
	for _, s := range testutil.ExtractSamples(f, filepath.Join("testdata", "extract")) {
		f.Add(s.Response)
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

// FuzzGoldFromSolution checks the gold mode of extraction on arbitrary
// problems and solutions: it never panics, it is deterministic, a found gold
// is non-empty and every other status has an empty answer, a solution
// without "box" and "####" has no gold, and StripChatEnd only removes bytes
// from the end.
func FuzzGoldFromSolution(f *testing.F) {
	f.Add("Find all $x$.", `So $x=\boxed{1}$ or $x = \boxed{2}$.`)
	f.Add("What is $x$?", `Thus $x = \boxed{-3}$. (\boxed{3} is also accepted.)`)
	f.Add("How many?", "3+4 = <<3+4=7>>7\n#### 7")
	f.Add("One of the foci.", `\boxed{(1,0)} and \boxed{(-1,0)}`)
	f.Add("", `\boxed{\frac{1}{`)
	f.Add("", `x\boxed{1}<|im_end|>`+"\n<|endoftext|>")
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, problem, solution string) {
		a, st := GoldFromSolution(ctx, problem, solution)
		a2, st2 := GoldFromSolution(ctx, problem, solution)
		// Value comparisons between different boxes have a deadline; on a
		// loaded machine one call may run out of time where the other did
		// not. Without two boxes there is no comparison, and the result
		// must be the same.
		if (a != a2 || st != st2) && strings.Count(solution, "box") < 2 {
			t.Fatalf("GoldFromSolution not deterministic: %q %s then %q %s", a, st, a2, st2)
		}
		switch st {
		case GoldFound:
			if a == "" {
				t.Fatalf("GoldFromSolution(%q) found an empty gold", solution)
			}
		case GoldNone, GoldUnclear:
			if a != "" {
				t.Fatalf("GoldFromSolution(%q) = %q with status %s", solution, a, st)
			}
		default:
			t.Fatalf("GoldFromSolution(%q): unknown status %q", solution, st)
		}
		if !strings.Contains(solution, "box") && !strings.Contains(solution, "####") && st != GoldNone {
			t.Fatalf("GoldFromSolution(%q) = %q, %s without a box or ####", solution, a, st)
		}
		if s := StripChatEnd(solution); !strings.HasPrefix(solution, s) {
			t.Fatalf("StripChatEnd(%q) = %q: not a prefix", solution, s)
		}
	})
}
