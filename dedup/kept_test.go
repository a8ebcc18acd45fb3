package dedup

import (
	"slices"
	"testing"

	"github.com/bigmath/bigmath/normalize"
)

// TestKeptFingerprint: a kept fingerprint drops only the candidate keys,
// and Confirm decides every pair as with the full fingerprints.
func TestKeptFingerprint(t *testing.T) {
	texts := []string{
		"Natalie has 3 times as many marbles as Owen. If Owen has 14 marbles, how many marbles do they have altogether?",
		"Owen owns 14 marbles and Natalie owns three times as many as Owen. What is the total number of marbles the two of them have?",
		"Natalie has 3 times as many marbles as Owen. If Owen has 15 marbles, how many marbles do they have altogether?",
		"A tank is filled by pipe A in 3 hours and filled by pipe B in 6 hours. How long do both take?",
		"A tank is filled by pipe A in 3 hours and emptied by pipe B in 6 hours. How long do both take?",
		`[asy] draw((0,0)--(1,1)); label("5",(0,0)); [/asy] Find the area.`,
		"",
	}
	h := NewHasher()
	var full, kept []Fingerprint
	var docs []Doc
	for _, s := range texts {
		n := normalize.Text(s)
		fp := h.Fingerprint(n)
		k := fp.Kept()
		if k.Bands != nil || k.Blocks != nil {
			t.Errorf("Kept(%q) keeps its candidate keys", s)
		}
		if !slices.Equal(k.Shingles, fp.Shingles) || !slices.Equal(k.Aux, fp.Aux) || !slices.Equal(k.Numbers, fp.Numbers) ||
			(k.Shingles == nil) != (fp.Shingles == nil) || k.Exact != fp.Exact || k.Content != fp.Content || k.AuxNumbers != fp.AuxNumbers {
			t.Errorf("Kept(%q) = %+v, want the hash lists of %+v", s, k, fp)
		}
		full, kept, docs = append(full, fp), append(kept, k), append(docs, Doc{Text: n})
	}
	for i := range texts {
		for j := range texts {
			for _, mode := range []Mode{Corpus, Benchmark} {
				s1, d1 := Confirm(full[i], docs[i], full[j], docs[j], mode)
				s2, d2 := Confirm(kept[i], docs[i], full[j], docs[j], mode)
				if s1 != s2 || d1.Duplicate != d2.Duplicate {
					t.Errorf("Confirm(%d, %d, mode %d): full %v %v, kept %v %v", i, j, mode, s1, d1.Duplicate, s2, d2.Duplicate)
				}
			}
		}
	}
}
