package normalize

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bigmath/bigmath/internal/testutil"
)

func TestReformulate(t *testing.T) {
	type reformulateCase struct {
		Name, Problem, Answer string
		Stem, Gold            string   // when recovered
		Reason                Recovery // when not
	}
	cases := testutil.ReadJSONL[reformulateCase](t, filepath.Join("testdata", "reformulate.jsonl"))
	if len(cases) < 50 {
		t.Fatalf("%d cases in testdata/reformulate.jsonl, want at least 50", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			r := Reformulate(c.Problem, c.Answer)
			if c.Reason != "" {
				if r.Recovered() || r.Reason != c.Reason {
					t.Errorf("got %q [%s] stem %q gold %q, want %s", r.Reason, r.Evidence, r.Problem, r.Answer, c.Reason)
				}
				return
			}
			if !r.Recovered() {
				t.Fatalf("not recovered: %s [%s]", r.Reason, r.Evidence)
			}
			if r.Problem != c.Stem || r.Answer != c.Gold {
				t.Errorf("got stem %q gold %q, want %q %q", r.Problem, r.Answer, c.Stem, c.Gold)
			}
		})
	}
}

func FuzzReformulate(f *testing.F) {
	for _, s := range []string{
		"What is $1+1$? (A) 1 (B) 2 (C) 3 (D) 4",
		"$\\textbf{(A)}\\ 21\\qquad \\textbf{(B)}\\ 23\\qquad \\textbf{(C)}\\ 24$",
		"The value is ( ) A: $2$ B: $3$ C: $4$ D: $8$",
		"Q\nA. 6\nB. 8\nC. 9\nD. 12",
		"$\\mathrm{\\textbf{(A)} \\ }226\\qquad \\mathrm{\\textbf{(B)} \\ } 243 \\qquad \\mathrm{(C) \\frac{1}{6} }",
		"[asy] label(\"(A)\"); [/asy] (a) 1 (b) 2 (c) 3",
	} {
		f.Add(s, "B")
	}
	f.Fuzz(func(t *testing.T, problem, answer string) {
		r := Reformulate(problem, answer)
		if r.Recovered() {
			if r.Answer == "" {
				t.Fatalf("recovered with an empty gold: %q", problem)
			}
			if len(r.Problem) > len(problem)+8 {
				t.Fatalf("derived stem longer than the problem: %q -> %q", problem, r.Problem)
			}
			if utf8.ValidString(problem) && !utf8.ValidString(r.Problem) {
				t.Fatalf("invalid UTF-8 stem from valid input")
			}
			if r.Reason != "" {
				t.Fatalf("recovered with a reason %q", r.Reason)
			}
			if strings.Contains(r.Problem, "(A)") && strings.Contains(r.Problem, "(B)") && strings.Contains(r.Problem, "(C)") {
				t.Fatalf("stem keeps its options: %q", r.Problem)
			}
		} else if r.Reason == "" {
			t.Fatalf("neither recovered nor a reason: %+v", r)
		}
		// the same input gives the same result
		if r2 := Reformulate(problem, answer); r2 != r {
			t.Fatalf("not deterministic: %+v vs %+v", r, r2)
		}
	})
}
