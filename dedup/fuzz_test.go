package dedup

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/bigmath/bigmath/normalize"
)

// pairs returns the pairs of explainCases (ours), as seeds.
func pairs(testing.TB) [][2]string {
	var out [][2]string
	for _, c := range explainCases {
		out = append(out, [2]string{c.a, c.b})
	}
	return out
}

func FuzzFingerprint(f *testing.F) {
	for _, p := range pairs(f) {
		f.Add(p[0], p[1])
	}
	f.Add("compute 3+5", "compute 4+7")
	f.Add("[asy] label(\"1\") [/asy] x", "http://x.y 6,000,000 1.5")
	h := NewHasher()
	f.Fuzz(func(t *testing.T, a, b string) {
		fa := h.Fingerprint(a)
		if again := NewFingerprint(a); !slices.Equal(again.Shingles, fa.Shingles) || !slices.Equal(again.Bands, fa.Bands) ||
			again.Content != fa.Content || again.Exact != fa.Exact {
			t.Fatalf("fingerprint of %q not deterministic", a)
		}
		if !slices.IsSorted(fa.Shingles) || len(slices.Compact(slices.Clone(fa.Shingles))) != len(fa.Shingles) {
			t.Errorf("shingles of %q not sorted and unique", a)
		}
		if len(fa.Aux) > auxSample {
			t.Errorf("aux sample of %d", len(fa.Aux))
		}
		if (len(fa.Shingles) == 0) != (fa.Bands == nil) || fa.Bands != nil && len(fa.Bands) != NumBands {
			t.Errorf("%d shingles, %d bands", len(fa.Shingles), len(fa.Bands))
		}
		fb := h.Fingerprint(b)
		j := Jaccard(fa.Shingles, fb.Shingles)
		if j < 0 || j > 1 || j != Jaccard(fb.Shingles, fa.Shingles) {
			t.Errorf("Jaccard %v not symmetric in [0,1]", j)
		}
		// An index never calls a pair with different content a duplicate,
		// and always finds an identical text.
		ix := mustIndex(t, Options{})
		ix.AddFingerprint(0, 0, fa)
		m, err := ix.AddFingerprint(1, 0, fb)
		if err != nil {
			t.Fatal(err)
		}
		if m.Duplicate && !m.Exact && !numbersCompatible(fa.Numbers, fb.Numbers) {
			t.Errorf("duplicate with incompatible numbers: %q %q", a, b)
		}
		if a == b && !m.Exact {
			t.Errorf("identical text %q not an exact duplicate", a)
		}
	})
}

// FuzzExplain checks the explained comparison on any pair: it never
// panics, a text is a duplicate of itself, the decision does not depend on
// the order of a corpus pair, and a duplicate's numbers are compatible.
func FuzzExplain(f *testing.F) {
	for _, c := range explainCases {
		f.Add(c.a, c.b, c.ansA, c.ansB)
	}
	f.Add("$x^{}_{}", `\text{`, "", "")
	f.Fuzz(func(t *testing.T, a, b, ansA, ansB string) {
		if d := Explain(Doc{Text: a}, Doc{Text: a}, Corpus); !d.Duplicate {
			t.Errorf("%q is not a duplicate of itself", a)
		}
		d := Explain(Doc{Text: a, Answer: ansA}, Doc{Text: b, Answer: ansB}, Corpus)
		r := Explain(Doc{Text: b, Answer: ansB}, Doc{Text: a, Answer: ansA}, Corpus)
		if d.Duplicate != r.Duplicate {
			t.Errorf("Explain(%q, %q) = %v, reversed %v (%q / %q)", a, b, d.Duplicate, r.Duplicate, d.Difference, r.Difference)
		}
		if d.Duplicate && ansA != "" && ansB != "" && ansA != ansB {
			t.Errorf("duplicate with different answers")
		}
		if !d.Duplicate && d.Difference == "" {
			t.Errorf("no difference named for %q, %q", a, b)
		}
		if d.Duplicate && a != b {
			fa, fb := NewFingerprint(a), NewFingerprint(b)
			if !numbersCompatible(fa.Numbers, fb.Numbers) && !slices.ContainsFunc(d.Edits, func(e Edit) bool { return e.Kind == EditSolution || e.Kind == EditCutOff }) {
				t.Errorf("duplicate %v with incompatible numbers: %q %q", d.EditStrings(), a, b)
			}
		}
		Explain(Doc{Text: a}, Doc{Text: b}, Benchmark)
	})
}

func FuzzOverlap(f *testing.F) {
	for _, p := range pairs(f) {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, bench, text string) {
		o, _ := NewOverlapIndex(OverlapOptions{})
		o.Add("b", bench)
		got := o.Match(text)
		if len(got) > 1 || len(got) == 1 && got[0] != "b" {
			t.Errorf("Match = %v", got)
		}
		if self := o.Match(bench); o.Len() == 1 && len(self) != 1 {
			t.Errorf("a benchmark problem does not overlap itself: %q", bench)
		}
	})
}

func ExampleIndex() {
	ix, _ := NewIndex(Options{})
	for i, p := range []string{
		`Compute $\dfrac{1}{2}+\dfrac{1}{3}$.`,
		`Compute \(\frac{1}{2} + \frac{1}{3}\).`,
		`Compute $\dfrac{1}{2}+\dfrac{1}{4}$.`,
	} {
		m, _ := ix.Add(int64(i), normalize.Text(p))
		fmt.Println(i, m.ClusterID, m.Duplicate, m.Exact)
	}
	// Output:
	// 0 0 false false
	// 1 0 true false
	// 2 2 false false
}

func ExampleOverlapIndex() {
	o, _ := NewOverlapIndex(OverlapOptions{})
	o.Add("math500", normalize.Text(`How many vertical asymptotes does the graph of $y=\frac{2}{x^2+x-6}$ have?`))
	fmt.Println(o.Match(normalize.Text(`How many vertical asymptotes does the graph of \(y=\dfrac{2}{x^2+x-6}\) have?`)))
	fmt.Println(o.Match(normalize.Text(`How many vertical asymptotes does the graph of $y=\frac{3}{x^2+x-12}$ have?`)))
	// Output:
	// [math500]
	// []
}

func TestEncodingRoundTrip(t *testing.T) {
	h := NewHasher()
	for _, p := range pairs(t) {
		for _, s := range p {
			fp := h.Fingerprint(normalize.Text(s))
			b := fp.AppendBinary(nil)
			if want := 34 + 4*(len(fp.Shingles)+len(fp.Aux)); len(b) > want {
				t.Errorf("encoding of %d bytes, want at most %d", len(b), want)
			}
			got, err := h.Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			if !equalFingerprints(got, fp) {
				t.Errorf("round trip changed the fingerprint of %.60q", s)
			}
		}
	}
	for _, bad := range [][]byte{nil, {2}, make([]byte, 24), append(NewFingerprint("x y z").AppendBinary(nil), 0)} {
		if _, err := h.Decode(bad); !errors.Is(err, ErrBadEncoding) {
			t.Errorf("Decode(%x) = %v, want ErrBadEncoding", bad, err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	h := NewHasher()
	for _, p := range pairs(f) {
		f.Add(h.Fingerprint(p[0]).AppendBinary(nil))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fp, err := h.Decode(b)
		if err != nil {
			if !errors.Is(err, ErrBadEncoding) {
				t.Errorf("error %v does not wrap ErrBadEncoding", err)
			}
			return
		}
		again, err := h.Decode(fp.AppendBinary(nil))
		if err != nil || !equalFingerprints(again, fp) {
			t.Errorf("re-encoding a decoded fingerprint: %v", err)
		}
	})
}

// equalFingerprints reports whether two fingerprints hold the same values
// (nil and empty slices are equal).
func equalFingerprints(a, b Fingerprint) bool {
	return a.Exact == b.Exact && a.Content == b.Content && a.AuxNumbers == b.AuxNumbers &&
		slices.Equal(a.Shingles, b.Shingles) && slices.Equal(a.Aux, b.Aux) && slices.Equal(a.Bands, b.Bands)
}
