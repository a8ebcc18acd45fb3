package verify

import (
	"context"
	"strings"
	"testing"
	"time"
)

// fuzzSeeds adds every conformance gold and prediction (bare answers, when
// ../shared is present) and the policy table rows as seeds.
func fuzzSeeds(f *testing.F, add func(gold, pred string)) {
	for _, file := range confFiles {
		for _, c := range confSeeds(f, file) {
			g, _, _ := answerOf(c.Gold)
			p, _, _ := answerOf(c.Pred)
			add(g, p)
		}
	}
	for _, rows := range answerTables {
		for _, r := range rows {
			add(r.gold, r.pred)
		}
	}
}

// fuzzLimit is the CPU time one check may take under the fuzzer: the
// 50 ms deadline plus slack for the fuzzer's own instrumentation. CPU time
// of the checking thread is measured (threadCPU), not wall time, so a
// loaded machine does not fail the test; wall time is still bounded by the
// deadline inside the package.
const fuzzLimit = 100 * time.Millisecond

// slowTwice runs check and fails when it uses more than fuzzLimit of CPU
// twice in a row.
func slowTwice(t *testing.T, check func(), format string, args ...any) {
	t.Helper()
	var d time.Duration
	for range 2 {
		if d = threadCPU(check); d <= fuzzLimit {
			return
		}
	}
	t.Fatalf(format+" used %v of CPU twice (limit %v)", append(args, d, fuzzLimit)...)
}

// FuzzParse parses arbitrary text: no panic, bounded time, and a parsed
// answer has a canonical form that parses again.
func FuzzParse(f *testing.F) {
	fuzzSeeds(f, func(g, p string) { f.Add(g); f.Add(p) })
	f.Fuzz(func(t *testing.T, s string) {
		var c string
		var err error
		slowTwice(t, func() { c, _, err = Canonical(context.Background(), s, Options{}) }, "Canonical(%q)", s)
		if err != nil {
			var e *Error
			if asErr(err, &e) && e.Reason == ReasonInternalError {
				t.Fatalf("Canonical(%q): %v", s, err)
			}
			return
		}
		if c == "" {
			t.Fatalf("Canonical(%q) is empty", s)
		}
	})
}

// FuzzAnswer compares arbitrary pairs: no internal error, bounded time, a
// consistent verdict, and every parsed answer equals itself.
func FuzzAnswer(f *testing.F) {
	fuzzSeeds(f, func(g, p string) { f.Add(g, p) })
	f.Fuzz(func(t *testing.T, gold, pred string) {
		var v Verdict
		slowTwice(t, func() { v = Answer(context.Background(), gold, pred, Options{}) }, "Answer(%q, %q)", gold, pred)
		if v.Reason == ReasonInternalError {
			t.Fatalf("Answer(%q, %q): internal error", gold, pred)
		}
		if v.Correct != (v.Reason == ReasonEqual) || v.Correct != (v.Reward == 1) {
			t.Fatalf("Answer(%q, %q): inconsistent %+v", gold, pred, v)
		}
		self := Answer(context.Background(), gold, gold, Options{})
		if self.Reason == ReasonNotEqual {
			t.Fatalf("Answer(%q, itself) = not_equal", gold)
		}
	})
}

// FuzzShifted checks soundness on arbitrary numbers and expressions: a
// value plus one is never equal to the value.
func FuzzShifted(f *testing.F) {
	fuzzSeeds(f, func(g, p string) { f.Add(g); f.Add(p) })
	f.Fuzz(func(t *testing.T, s string) {
		if strings.Contains(s, "inf") || strings.Contains(s, "∞") {
			return // ∞ + 1 is ∞
		}
		_, kind, err := Canonical(context.Background(), s, Options{})
		if err != nil {
			return
		}
		switch kind {
		case KindInteger, KindRational, KindReal, KindComplex, KindExpression:
		default:
			return
		}
		shifted := "(" + s + ")+1"
		var v Verdict
		slowTwice(t, func() { v = Answer(context.Background(), s, shifted, Options{}) }, "Answer(%q, %q)", s, shifted)
		if v.Correct {
			t.Fatalf("Answer(%q, %q) = equal", s, shifted)
		}
	})
}
