package audit

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/bigmath/bigmath/normalize"
	"github.com/bigmath/bigmath/verify"
)

// Acceptance thresholds of issue 11 on the multiple-choice label sets.
const (
	minMCPrecision = 0.97
	minMCRecall    = 0.70
)

// mcCase is one labelled multiple-choice problem, shared or written.
type mcCase struct {
	name, problem, answer string
	label, expected       string
	reason                string
}

// mcCases reads testdata/mc.tsv (texts from ../shared) and
// testdata/mc_written.jsonl.
func mcCases(t *testing.T) []mcCase {
	t.Helper()
	labels := testdata(t, ReadMCLabels, "mc.tsv")
	written := testdata(t, ReadMCWritten, "mc_written.jsonl")
	idx := index(sharedRows(t))
	var out []mcCase
	for _, l := range labels {
		row, ok := idx[l.Ref]
		if !ok {
			t.Fatalf("line %d: %s %s is not in ../shared", l.Line, l.Ref.File, l.Ref.ID)
		}
		out = append(out, mcCase{fmt.Sprintf("mc.tsv line %d %s %s", l.Line, l.Ref.File, l.Ref.ID),
			row.Problem, row.Answer, l.Label, l.Expected, l.Reason})
	}
	for _, w := range written {
		out = append(out, mcCase{"written " + w.ID + " (" + w.Layout + ")", w.Problem, w.Answer, w.Label, w.ExpectedAnswer, w.Reason})
	}
	return out
}

// TestMCReformulate measures normalize.Reformulate on every labelled
// multiple-choice problem (go test -v -run TestMC ./internal/audit/). A
// recovered problem is right when its gold equals the label's expected
// answer (by the verifier) and the derived stem is no longer a
// multiple-choice problem to normalize.Classify; a recovered problem
// labelled not recoverable, or with a wrong gold, or a stem that still
// offers options, is an error. It fails below 97% precision or 70% recall of
// the recoverable rows (issue 11).
func TestMCReformulate(t *testing.T) {
	cases := mcCases(t)
	right, wrong, recoverable, missed := 0, 0, 0, 0
	reasonAgree, notRec := 0, 0
	confusion := map[string]int{}
	var errs, misses []string
	for _, c := range cases {
		r := normalize.Reformulate(c.problem, c.answer)
		if c.label == "recoverable" {
			recoverable++
		} else {
			notRec++
			if string(r.Reason) == c.reason {
				reasonAgree++
			}
			confusion[c.reason+" -> "+reasonOr(r)]++
		}
		switch {
		case !r.Recovered() && c.label == "recoverable":
			missed++
			misses = append(misses, fmt.Sprintf("%s: %s [%s]", c.name, r.Reason, r.Evidence))
		case !r.Recovered():
		case c.label != "recoverable":
			wrong++
			errs = append(errs, fmt.Sprintf("%s: recovered, label %s (%s): %q -> %q", c.name, c.label, c.reason, tail(r.Problem, 80), r.Answer))
		case !equalGold(c.expected, r.Answer):
			wrong++
			errs = append(errs, fmt.Sprintf("%s: gold %q, expected %q", c.name, r.Answer, c.expected))
		case stillChoice(r):
			wrong++
			errs = append(errs, fmt.Sprintf("%s: derived stem still offers options: %q", c.name, tail(r.Problem, 120)))
		default:
			right++
		}
	}
	precision := float64(right) / float64(max(right+wrong, 1))
	recall := float64(right) / float64(max(recoverable, 1))
	t.Logf("multiple-choice rows: %d (recoverable %d, not recoverable %d)", len(cases), recoverable, notRec)
	t.Logf("recovered %d: right %d, wrong %d; precision %.1f%%, recall %.1f%% (%d of %d recoverable)",
		right+wrong, right, wrong, 100*precision, 100*recall, right, recoverable)
	t.Logf("not recoverable rows given the label's reason: %d of %d", reasonAgree, notRec)
	keys := make([]string, 0, len(confusion))
	for k := range confusion {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("  label -> reason %-50s %d", k, confusion[k])
	}
	for _, e := range errs {
		t.Log("ERROR " + e)
	}
	for _, m := range misses {
		t.Log("missed " + m)
	}
	if precision < minMCPrecision {
		t.Errorf("precision %.3f, want at least %.2f", precision, minMCPrecision)
	}
	if recall < minMCRecall {
		t.Errorf("recall %.3f, want at least %.2f", recall, minMCRecall)
	}
}

func reasonOr(r normalize.Reformulation) string {
	if r.Recovered() {
		return "RECOVERED"
	}
	return string(r.Reason)
}

func tail(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	return "..." + s[len(s)-n:]
}

// equalGold reports whether the derived gold equals the labelled value.
func equalGold(expected, got string) bool {
	v := verify.Answer(context.Background(), expected, got, verify.Options{})
	return v.Correct
}

// stillChoice reports whether the derived problem is still a
// multiple-choice problem to the classifier.
func stillChoice(r normalize.Reformulation) bool {
	v := normalize.Classify(normalize.ClassifyInput{Problem: r.Problem, Answer: r.Answer, HasAnswer: true})
	return v.Reason == normalize.MultipleChoice
}
