package audit

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/bigmath/bigmath/normalize"
)

// Acceptance thresholds of issue 10 on the audit set.
const (
	minKeepDrop        = 0.97
	minReasonPrecision = 0.95
)

// TestClassifyAudit runs normalize.Classify over the labelled problems of
// testdata/problems.tsv, read from ../shared at test time, and reports
// keep/drop accuracy, reason accuracy and per-reason precision and recall
// (go test -v -run TestClassifyAudit ./internal/audit/). It fails below the
// thresholds of issue 10: keep/drop right for 97%, every drop reason's
// precision at least 95%.
func TestClassifyAudit(t *testing.T) {
	labels := problemLabels(t)
	idx := index(sharedRows(t))

	type counts struct{ tp, fp, fn int }
	per := map[string]*counts{}
	get := func(r string) *counts {
		if per[r] == nil {
			per[r] = &counts{}
		}
		return per[r]
	}
	keepDropRight, reasonRight := 0, 0
	var wrong []string
	for _, l := range labels {
		row, ok := idx[l.Ref]
		if !ok {
			t.Fatalf("line %d: %s %s is not in ../shared", l.Line, l.Ref.File, l.Ref.ID)
		}
		v := normalize.Classify(normalize.ClassifyInput{
			Problem:   row.Problem,
			Answer:    row.Answer,
			Solution:  row.Solution,
			HasAnswer: strings.TrimSpace(row.Answer) != "",
		})
		got := string(v.Reason)
		if (got == "keep") == (l.Label == "keep") {
			keepDropRight++
		}
		if got == l.Label {
			reasonRight++
			get(got).tp++
			continue
		}
		get(got).fp++
		get(l.Label).fn++
		wrong = append(wrong, fmt.Sprintf("line %d %s %s: got %s [%s], label %s (%s)",
			l.Line, l.Ref.File, l.Ref.ID, got, v.Evidence, l.Label, l.Note))
	}
	n := float64(len(labels))
	keepDrop := float64(keepDropRight) / n
	t.Logf("audit set: %d problems; keep/drop right %.1f%% (%d), reason right %.1f%% (%d)",
		len(labels), 100*keepDrop, keepDropRight, 100*float64(reasonRight)/n, reasonRight)

	reasons := make([]string, 0, len(per))
	for r := range per {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-16s %6s %6s %9s %6s\n", "reason", "label", "called", "precision", "recall")
	for _, r := range reasons {
		c := per[r]
		fmt.Fprintf(&b, "%-16s %6d %6d %9s %6s\n", r, c.tp+c.fn, c.tp+c.fp, ratio(c.tp, c.tp+c.fp), ratio(c.tp, c.tp+c.fn))
	}
	t.Log(b.String())
	for _, w := range wrong {
		t.Log(w)
	}

	if keepDrop < minKeepDrop {
		t.Errorf("keep/drop right %.3f, want at least %.2f", keepDrop, minKeepDrop)
	}
	for _, r := range reasons {
		c := per[r]
		if r == "keep" || c.tp+c.fp == 0 {
			continue
		}
		if p := float64(c.tp) / float64(c.tp+c.fp); p < minReasonPrecision {
			t.Errorf("%s precision %.3f (%d of %d), want at least %.2f", r, p, c.tp, c.tp+c.fp, minReasonPrecision)
		}
	}
}

func ratio(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(b))
}

// TestClassifyMultipleChoiceAudit checks multiple-choice detection on every
// labelled multiple-choice row: the shared rows of testdata/mc.tsv (read from
// ../shared) and the problems written for testdata/mc_written.jsonl. Every
// one of them is a multiple-choice problem, recoverable or not, so
// normalize.Classify must call it multiple_choice (recall; issue 10 item 2;
// recovering them is issue 11). It fails below 95%.
func TestClassifyMultipleChoiceAudit(t *testing.T) {
	check := func(t *testing.T, name string, ins []normalize.ClassifyInput, ids []string) {
		t.Helper()
		got := map[string]int{}
		var missed []string
		for k, in := range ins {
			v := normalize.Classify(in)
			got[string(v.Reason)]++
			if v.Reason != normalize.MultipleChoice {
				missed = append(missed, fmt.Sprintf("%s: %s [%s]", ids[k], v.Reason, v.Evidence))
			}
		}
		recall := float64(got["multiple_choice"]) / float64(len(ins))
		t.Logf("%s: %d multiple-choice problems, called multiple_choice %d (%.1f%%); verdicts %v",
			name, len(ins), got["multiple_choice"], 100*recall, got)
		for _, m := range missed {
			t.Log("missed " + m)
		}
		if recall < 0.95 {
			t.Errorf("%s: multiple-choice recall %.3f, want at least 0.95", name, recall)
		}
	}
	t.Run("written", func(t *testing.T) {
		rows := testdata(t, ReadMCWritten, "mc_written.jsonl")
		var ins []normalize.ClassifyInput
		var ids []string
		for _, r := range rows {
			ins = append(ins, normalize.ClassifyInput{Problem: r.Problem, Answer: r.Answer, HasAnswer: r.Answer != ""})
			ids = append(ids, r.ID+" ("+r.Layout+")")
		}
		check(t, "mc_written.jsonl", ins, ids)
	})
	t.Run("shared", func(t *testing.T) {
		labels := testdata(t, ReadMCLabels, "mc.tsv")
		idx := index(sharedRows(t))
		var ins []normalize.ClassifyInput
		var ids []string
		for _, l := range labels {
			row, ok := idx[l.Ref]
			if !ok {
				t.Fatalf("line %d: %s %s is not in ../shared", l.Line, l.Ref.File, l.Ref.ID)
			}
			ins = append(ins, normalize.ClassifyInput{Problem: row.Problem, Answer: row.Answer, Solution: row.Solution,
				HasAnswer: strings.TrimSpace(row.Answer) != ""})
			ids = append(ids, fmt.Sprintf("line %d %s %s (%s)", l.Line, l.Ref.File, l.Ref.ID, l.Note))
		}
		check(t, "mc.tsv", ins, ids)

		// mc.tsv lists every multiple-choice row of ../shared: a row called
		// multiple_choice that it lacks is a false detection.
		labelled := map[Ref]bool{}
		for _, l := range labels {
			labelled[l.Ref] = true
		}
		called, extra := 0, 0
		for ref, row := range idx {
			v := normalize.Classify(normalize.ClassifyInput{Problem: row.Problem, Answer: row.Answer, Solution: row.Solution,
				HasAnswer: strings.TrimSpace(row.Answer) != ""})
			if v.Reason != normalize.MultipleChoice {
				continue
			}
			called++
			if !labelled[ref] {
				extra++
				t.Logf("called multiple_choice, not in mc.tsv: %s %s [%s]", ref.File, ref.ID, v.Evidence)
			}
		}
		precision := float64(called-extra) / float64(max(called, 1))
		t.Logf("all of ../shared: %d rows called multiple_choice, %d of them in mc.tsv (precision %.1f%%)", called, called-extra, 100*precision)
		if precision < 0.95 {
			t.Errorf("multiple-choice precision %.3f over ../shared, want at least 0.95", precision)
		}
	})
}
