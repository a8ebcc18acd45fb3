package audit

import (
	"context"
	"testing"

	"github.com/bigmath/bigmath/dedup"
	"github.com/bigmath/bigmath/normalize"
	"github.com/bigmath/bigmath/verify"
)

// minPairAccuracy is issue 10's acceptance threshold on the audit pairs.
const minPairAccuracy = 0.95

// TestDedupAudit runs the explained dedup over the labelled pairs of
// testdata/pairs.tsv, read from ../shared at test time: each pair goes
// into a fresh dedup.Index (candidate keys, number test, Explain), once
// with the rows' gold answers (verify.Canonical) and once text only, and
// the test prints pair accuracy, true and false merges and the hard
// negatives merged (go test -v -run TestDedupAudit ./internal/audit/). It
// fails below 95% pair accuracy with golds, and on any merged hard negative
// (a pair that differs in one word, number, operator or name).
func TestDedupAudit(t *testing.T) {
	pairs := testdata(t, ReadPairLabels, "pairs.tsv")
	idx := index(sharedRows(t))
	canon := func(a string) string {
		if a == "" {
			return ""
		}
		c, _, err := verify.Canonical(context.Background(), a, verify.Options{})
		if err != nil {
			return ""
		}
		return c
	}
	for _, withGold := range []bool{true, false} {
		var right, trueMerges, falseMerges, missed, hardMerged, dups int
		for _, p := range pairs {
			a, okA := idx[p.A]
			b, okB := idx[p.B]
			if !okA || !okB {
				t.Fatalf("line %d: a row is not in ../shared", p.Line)
			}
			da, db := dedup.Doc{Text: normalize.Text(a.Problem)}, dedup.Doc{Text: normalize.Text(b.Problem)}
			if withGold {
				da.Answer, db.Answer = canon(a.Answer), canon(b.Answer)
			}
			ix, err := dedup.NewIndex(dedup.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ix.AddDoc(0, 0, da); err != nil {
				t.Fatal(err)
			}
			m, err := ix.AddDoc(1, 0, db)
			if err != nil {
				t.Fatal(err)
			}
			want := p.Label == "dup"
			if want {
				dups++
			}
			switch {
			case m.Duplicate == want:
				right++
				if want {
					trueMerges++
				}
			case m.Duplicate:
				falseMerges++
				if p.Hard {
					hardMerged++
				}
				t.Logf("gold=%v line %d: merged a distinct pair (%v): %s", withGold, p.Line, m.EditStrings(), p.Note)
			default:
				missed++
				if withGold {
					t.Logf("line %d: missed a duplicate (%s): %q", p.Line, p.Note, dedup.Explain(da, db, dedup.Corpus).Difference)
				}
			}
		}
		acc := float64(right) / float64(len(pairs))
		t.Logf("gold answers %v: pair accuracy %d/%d = %.1f%%; true merges %d of %d duplicates, false merges %d (hard negatives %d), missed %d",
			withGold, right, len(pairs), 100*acc, trueMerges, dups, falseMerges, hardMerged, missed)
		if withGold && acc < minPairAccuracy {
			t.Errorf("pair accuracy with golds %.3f, want at least %.2f", acc, minPairAccuracy)
		}
		if hardMerged > 0 {
			t.Errorf("gold answers %v: %d hard negatives merged, want none", withGold, hardMerged)
		}
	}
}
