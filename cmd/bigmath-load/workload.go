package main

import (
	"encoding/json"
	"fmt"
	"strings"
)

// sample is one gold answer with a final answer a model might give.
type sample struct {
	gold, answer string
}

// samples mix answer kinds and outcomes (equal, not equal, no answer) like
// a rollout does.
var samples = []sample{
	{"42", "42"},
	{"42", "41"},
	{"\\frac{3}{4}", "0.75"},
	{"\\frac{3}{4}", "\\frac{6}{8}"},
	{"2\\sqrt{3}", "\\sqrt{12}"},
	{"x^2 + 2x + 1", "(x+1)^2"},
	{"[0, 1)", "[0,1)"},
	{"(1, 2)", "(1,2)"},
	{"\\frac{\\pi}{2}", "\\pi/2"},
	{"2^{100}", "1267650600228229401496703205376"},
	{"-7", "-7"},
	{"1011", "1101"},
	{"\\text{east}", "\\text{East}"},
	{"12", ""}, // no final answer
	{"3.5", "\\frac{7}{2}"},
	{"10\\%", "10"},
}

// workload builds request bodies: responses of about responseBytes bytes of
// reasoning followed by a boxed final answer.
type workload struct {
	items []map[string]any
}

func newWorkload(responseBytes int) *workload {
	filler := []string{
		"We first rewrite the condition as $x^2 - 5x + 6 = 0$, which factors as $(x-2)(x-3) = 0$. ",
		"Substituting $y = 2x + 1$ into the second equation gives $3(2x+1) - x = 8$, so $5x = 5$. ",
		"By the AM-GM inequality, $\\frac{a+b}{2} \\ge \\sqrt{ab}$ with equality when $a = b$. ",
		"Let me double-check the arithmetic: $17 \\cdot 23 = 391$ and $391 - 250 = 141$. ",
		"The sum of the first $n$ odd numbers is $n^2$, so the total is $\\sum_{k=1}^{n}(2k-1) = n^2$. ",
	}
	w := &workload{}
	for i := 0; i < 256; i++ {
		s := samples[i%len(samples)]
		var b strings.Builder
		for j := 0; b.Len() < responseBytes; j++ {
			b.WriteString(filler[(i+j)%len(filler)])
		}
		if s.answer == "" {
			b.WriteString("I am not sure how to finish this.")
		} else {
			fmt.Fprintf(&b, "Therefore, the final answer is $\\boxed{%s}$.", s.answer)
		}
		w.items = append(w.items, map[string]any{"id": i, "gold": s.gold, "response": b.String()})
	}
	return w
}

// batchBodies returns a few different batch bodies of size items each.
func (w *workload) batchBodies(size int) [][]byte {
	var out [][]byte
	for k := 0; k < 8; k++ {
		items := make([]map[string]any, size)
		for i := range items {
			items[i] = w.items[(k*131+i)%len(w.items)]
		}
		b, _ := json.Marshal(map[string]any{"items": items})
		out = append(out, b)
	}
	return out
}

// singleBodies returns one /v1/reward body per sample.
func (w *workload) singleBodies() [][]byte {
	out := make([][]byte, len(w.items))
	for i, it := range w.items {
		out[i], _ = json.Marshal(it)
	}
	return out
}
