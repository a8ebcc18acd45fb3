package verify

import (
	"context"
	"testing"
	"time"
)

// fuzzSeeds adds every conformance gold and prediction (bare answers) and
// the policy table rows as seeds.
func fuzzSeeds(f *testing.F, add func(gold, pred string)) {
	for _, file := range confFiles {
		for _, c := range loadCases(f, file) {
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

// fuzzLimit is the wall time one check may take under the fuzzer: the
// 50 ms deadline plus slack for a loaded machine and the fuzzer itself.
const fuzzLimit = 250 * time.Millisecond

// slowTwice runs check and fails when it takes longer than fuzzLimit twice
// in a row (a single slow run is the scheduler of a loaded machine).
func slowTwice(t *testing.T, check func(), format string, args ...any) {
	t.Helper()
	for range 2 {
		start := time.Now()
		check()
		if time.Since(start) <= fuzzLimit {
			return
		}
	}
	t.Fatalf(format+" took longer than %v twice", append(args, fuzzLimit)...)
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
