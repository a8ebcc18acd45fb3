package dedup

import (
	"fmt"
	"testing"
)

// TestHasherConfirm checks that a Hasher's Confirm, which reads the texts
// through the fingerprints it is given and keeps its stems from call to
// call, decides every pair as the package's Confirm does.
func TestHasherConfirm(t *testing.T) {
	t.Parallel()
	docs := []Doc{
		{Text: "Natalie sold clips to 48 of her friends in April. How many clips did she sell?", Answer: "48"},
		{Text: "Maria sold clips to 48 of her friends in April. How many clips did she sell in total?", Answer: "48"},
		{Text: "Natalie sold clips to 49 of her friends in April. How many clips did she sell?", Answer: "49"},
		{Text: "A train travels 60 km in 2 hours. What is its average speed in kilometers per hour?", Answer: "30"},
		{Text: "A train travels 60 kilometers in 2 hours. Find its average speed in kilometers per hour.", Answer: "30"},
		{Text: "A train travels 60 km in 2 hours. What is its average speed", Answer: ""},
		{Text: "Find $x$ if $2x+3=11$. Express your answer as a common fraction.", Answer: "4"},
		{Text: "Find $y$ if $2y+3=11$.", Answer: "4"},
		{Text: "In the figure [asy]draw((0,0)--(1,1));[/asy] the segment has length 5. Find its square.", Answer: "25"},
		{Text: "In the figure [asy]draw((0,0)--(2,1));[/asy] the segment has length 5. Find its square.", Answer: "25"},
	}
	var h Hasher
	fh := NewHasher()
	for _, mode := range []Mode{Corpus, Benchmark} {
		for i, a := range docs {
			for j, b := range docs {
				fa, fb := fh.Fingerprint(a.Text), fh.Fingerprint(b.Text)
				simW, dW := Confirm(fa.Kept(), a, fb, b, mode)
				sim, d := h.Confirm(fa.Kept(), a, fb, b, mode)
				if sim != simW || fmt.Sprint(d) != fmt.Sprint(dW) {
					t.Errorf("mode %v, docs %d and %d: Hasher.Confirm %v %+v, Confirm %v %+v", mode, i, j, sim, d, simW, dW)
				}
				if a.Text != b.Text && !numbersCompatible(fa.Numbers, fb.Numbers) && mode == Corpus {
					continue // decided by the numbers, before any reading
				}
				if want := Explain(a, b, mode); fmt.Sprint(d) != fmt.Sprint(want) {
					t.Errorf("mode %v, docs %d and %d: Confirm %+v, Explain %+v", mode, i, j, d, want)
				}
			}
		}
	}
}
