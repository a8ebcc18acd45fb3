package verify

import (
	"context"
	"slices"
	"testing"
	"time"
)

// benchPairs returns the conformance mix: every labelled and policy pair
// of the shared files as bare answers (extraction applied where needed).
func benchPairs(b *testing.B) [][2]string {
	b.Helper()
	var pairs [][2]string
	for _, file := range confFiles {
		for _, c := range loadCases(b, file) {
			g, _, ok1 := answerOf(c.Gold)
			p, _, ok2 := answerOf(c.Pred)
			if ok1 && ok2 {
				pairs = append(pairs, [2]string{g, p})
			}
		}
	}
	return pairs
}

// runLatency runs Answer over pairs round-robin and reports checks/s,
// p50 and p99 latency per check.
func runLatency(b *testing.B, pairs [][2]string) {
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	cpu := processCPU(func() {
		for i := 0; i < b.N; i++ {
			pr := pairs[i%len(pairs)]
			t0 := time.Now()
			v := Answer(ctx, pr[0], pr[1], Options{})
			lat = append(lat, time.Since(t0))
			if v.Reason == ReasonInternalError {
				b.Fatalf("internal error on %q vs %q", pr[0], pr[1])
			}
		}
	})
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "checks/s")
	// CPU time of the whole process (GC included): the per-core rate on a
	// shared, loaded machine where wall time measures the neighbours
	if cpu > 0 {
		b.ReportMetric(float64(b.N)/cpu.Seconds(), "checks/cpu-s")
	}
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds()), "max-µs")
}

// BenchmarkAnswerConformance measures the conformance mix (420 pairs of
// every answer form, including the stress cases).
func BenchmarkAnswerConformance(b *testing.B) {
	runLatency(b, benchPairs(b))
}

// BenchmarkAnswerDatasetGolds measures real gold answers (math500 and the
// MATH test set) checked against themselves: the RL distribution.
func BenchmarkAnswerDatasetGolds(b *testing.B) {
	var pairs [][2]string
	for _, gs := range datasetGolds(b) {
		for _, g := range gs {
			pairs = append(pairs, [2]string{g, g + " "})
		}
	}
	if len(pairs) == 0 {
		b.Skip("no datasets")
	}
	runLatency(b, pairs)
}

// BenchmarkAnswerInteger measures the plain-integer fast path.
func BenchmarkAnswerInteger(b *testing.B) {
	runLatency(b, [][2]string{{"42", "42"}, {"123456789", "123456788"}, {"-5", "-5"}, {"1000", "1,000"}})
}

// BenchmarkCanonical measures Canonical over the conformance golds.
func BenchmarkCanonical(b *testing.B) {
	pairs := benchPairs(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, _, _ = Canonical(ctx, pairs[i%len(pairs)][0], Options{})
	}
}

// BenchmarkAnswerExpressions measures expressions compared at random
// points: rational functions (exact, integer points) and functions (balls
// at small rationals).
func BenchmarkAnswerExpressions(b *testing.B) {
	runLatency(b, [][2]string{
		{"x", "x+(20x-596)(5x+935)(96x-814)(41x-959)"},
		{"(x+1)^{200}", "(1+x)^{200}"},
		{"3xy(x-2y)", "3x^2y-6xy^2"},
		{"\\frac{1}{2}(\\exp{a*t}+\\exp{-a*t})", "\\cosh(at)"},
		{"2\\cos(\\pi t+\\pi/3)", "-2\\cos(\\pi t-\\frac{2\\pi}{3})"},
		{"\\sqrt{x^2}", "|x|"},
	})
}
