package bigmath_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"

	"github.com/bigmath/bigmath"
)

// TestSearchWords checks the terms of texts (SearchTerms) and the words of
// queries (SearchWords): a case is a function, its input and the strings
// it should give.
func TestSearchWords(t *testing.T) {
	terms, words := bigmath.SearchTerms, bigmath.SearchWords
	tests := []struct {
		name string
		f    func(string) []string
		in   string
		want []string
	}{
		{"terms: words lower-cased, sorted, distinct", terms, "Find x. FIND y!", []string{"+find", "find", "x", "y"}},
		{"terms: digits and letters make one word", terms, "x2 + 3x = 10", []string{"10", "3x", "x2"}},
		{"terms: LaTeX commands are words", terms, `$\frac{1}{2}$ of $\frac{3}{4}$`, []string{"+frac", "1", "2", "3", "4", "frac", "of"}},
		{"terms: underscores and hyphens split", terms, "x_1 well-known", []string{"1", "known", "well", "x"}},
		{"terms: non-ASCII letters", terms, "Ένα ΈΝΑ 如图所示 naïve", []string{"+ένα", "naïve", "ένα", "如图所示"}},
		{"terms: empty", terms, " ,.;", []string{}},
		{"terms: a word too long to search is left out", terms, strings.Repeat("a", 201) + " b", []string{"b"}},
		{"words: in query order", words, "prime number", []string{"prime", "number"}},
		{"words: case and operators", words, "Prime & PRIME | number!", []string{"prime", "number"}},
		{"words: SQL is text", words, "'; DROP TABLE problems; --", []string{"drop", "table", "problems"}},
		{"words: no repeat mark", words, "+prime", []string{"prime"}},
		{"words: blank", words, "  ", []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.f(tc.in)
			if got == nil {
				got = []string{}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%q (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

// FuzzSearchTerms checks the terms of any text: sorted and distinct, each
// a word of the text (letters and digits, lower-cased) or RepeatMark and a
// word that is also a term; and a query made of the text matches it.
func FuzzSearchTerms(f *testing.F) {
	for _, s := range []string{"Find x. FIND y!", `$\frac{1}{2}$`, "如图 a a", "ǅ ǆ İ", "\xff\xfe a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		terms := bigmath.SearchTerms(text)
		if !slices.IsSorted(terms) || len(slices.Compact(slices.Clone(terms))) != len(terms) {
			t.Fatalf("terms %q are not sorted and distinct", terms)
		}
		for _, term := range terms {
			w, marked := strings.CutPrefix(term, bigmath.RepeatMark)
			if w == "" || strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) >= 0 {
				t.Fatalf("term %q of %q is not a word", term, text)
			}
			if marked {
				if _, ok := slices.BinarySearch(terms, w); !ok {
					t.Fatalf("term %q without %q", term, w)
				}
			}
		}
		for _, w := range bigmath.SearchWords(text) {
			if _, ok := slices.BinarySearch(terms, w); !ok && len(w) <= 200 {
				t.Fatalf("query word %q of %q is not a term of it (%q)", w, text, terms)
			}
		}
	})
}

// BenchmarkSearchTerms times the terms of a problem of a typical size.
func BenchmarkSearchTerms(b *testing.B) {
	text := `Natalie has 3 times as many marbles as Owen. If Owen has 14 marbles, how many marbles do they have altogether? Express your answer as $\frac{a}{b}$ where $a$ and $b$ are coprime.`
	b.ReportAllocs()
	for b.Loop() {
		bigmath.SearchTerms(text)
	}
}

// TestSearchTermsBounded checks that the terms of a huge text of distinct
// words, each twice, stay within what a tsvector holds.
func TestSearchTermsBounded(t *testing.T) {
	var b strings.Builder
	for i := range 300000 {
		fmt.Fprintf(&b, "w%d w%d ", i, i)
	}
	terms := bigmath.SearchTerms(b.String())
	size := 0
	for _, term := range terms {
		size += len(term) + 4
	}
	if size > 512<<10 || len(terms) < 10000 {
		t.Errorf("%d terms of %d bytes with their entries; want many, within 512 KiB", len(terms), size)
	}
}
