package normalize

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestReformulate(t *testing.T) {
	cases := []struct {
		name, problem, answer string
		stem, gold            string   // when recovered
		reason                Recovery // when not
	}{
		{name: "textbf inline, value key",
			problem: "How many triangles are there?\n$\\textbf{(A)}\\ 21\\qquad \\textbf{(B)}\\ 23\\qquad \\textbf{(C)}\\ 24\\qquad \\textbf{(D)}\\ 30\\qquad \\textbf{(E)}\\ 50$",
			answer:  "23", stem: "How many triangles are there?", gold: "23"},
		{name: "mathrm around textbf, letter key",
			problem: "Find the count.\n$\\mathrm{\\textbf{(A)} \\ }226\\qquad \\mathrm{\\textbf{(B)} \\ } 243 \\qquad \\mathrm{\\textbf{(C)} \\ } 270$",
			answer:  "A", stem: "Find the count.", gold: "226"},
		{name: "mathrm label with value inside",
			problem: "The ratio is\n$\\mathrm{(A) \\frac{1}{12} } \\qquad \\mathrm{(B) \\frac{1}{8} } \\qquad \\mathrm{(C) \\frac{1}{6} }$",
			answer:  "\\frac{1}{6}", stem: "The ratio is", gold: "\\frac{1}{6}"},
		{name: "plain parenthesised inline",
			problem: "What is the sum?\n(A) $-2^{50}$ (B) $-2^{49}$ (C) 0 (D) $2^{49}$", answer: "(B)",
			stem: "What is the sum?", gold: "-2^{49}"},
		{name: "cn_k12 inline with blank",
			problem: "The value of $\\log_2 8$ is (\u3000\u3000) A: $2$ B: $3$ C: $4$ D: $8$", answer: "B",
			stem: "The value of $\\log_2 8$ is", gold: "3"},
		{name: "cn_k12 lines with boxed key",
			problem: "If $2^x=8$, then $x=$ ( )\nA: $1$\nB: $2$\nC: $3$\nD: $4$", answer: "$\\boxed{C}$",
			stem: "If $2^x=8$, then $x=$", gold: "3"},
		{name: "cn_k12 full-width labels",
			problem: "If $f(x)=x^2$, then $f'(1)=$ (\u3000\u3000)\nA\uff0e$1$\u3000B\uff0e$2$\u3000C\uff0e$3$\u3000D\uff0e$4$", answer: "B",
			stem: "If $f(x)=x^2$, then $f'(1)=$", gold: "2"},
		{name: "ideographic comma labels",
			problem: "The value of $2^3$ is (\u3000\u3000) A\u3001$6$ B\u3001$8$ C\u3001$9$ D\u3001$12$", answer: "B",
			stem: "The value of $2^3$ is", gold: "8"},
		{name: "mmlu lines",
			problem: "How many divisors does 36 have?\nA. 6\nB. 8\nC. 9\nD. 12", answer: "C",
			stem: "How many divisors does 36 have?", gold: "9"},
		{name: "lower-case labels, lower-case key",
			problem: "Evaluate $3!$. (a) 5 (b) 6 (c) 7 (d) 8", answer: "b", stem: "Evaluate $3!$.", gold: "6"},
		{name: "key given as label and text",
			problem: "Compute $2+2$.\nA. 3\nB. 4\nC. 5\nD. 6", answer: "B: 4", stem: "Compute $2+2$.", gold: "4"},
		{name: "rewrite which is equal to",
			problem: "Which of the following is equal to $\\frac12+\\frac13$? (A) $\\frac25$ (B) $\\frac56$ (C) $1$ (D) $\\frac16$",
			answer:  "B", stem: "What is $\\frac12+\\frac13$?", gold: "\\frac56"},
		{name: "common unit dropped",
			problem: "A car covers 150 km in 2.5 hours. What is its speed?\nA. 50 km/h\nB. 60 km/h\nC. 65 km/h\nD. 75 km/h",
			answer:  "B", stem: "A car covers 150 km in 2.5 hours. What is its speed?", gold: "60"},
		{name: "instruction after the options is dropped",
			problem: "Compute $3\\cdot 4$.\n(A) 7\n(B) 12\n(C) 34\n\nEnter the letter of the correct option.", answer: "B",
			stem: "Compute $3\\cdot 4$.", gold: "12"},
		{name: "none of these present, key a value",
			problem: "What is $2^4$?\n$\\textbf{(A)}\\ 8\\qquad \\textbf{(B)}\\ 16\\qquad \\textbf{(C)}\\ 32\\qquad \\textbf{(D)}\\ \\text{none of these}$",
			answer:  "16", stem: "What is $2^4$?", gold: "16"},
		{name: "figure labels are not options",
			problem: "[asy] label(\"A\",(0,0)); label(\"B\",(1,0)); label(\"C\",(2,0)); [/asy]\nFind $AB$.\n(A) 1 (B) 2 (C) 3", answer: "B",
			stem: "[asy] label(\"A\",(0,0)); label(\"B\",(1,0)); label(\"C\",(2,0)); [/asy]\nFind $AB$.", gold: "2"},
		{name: "set answer, cn_k12 lines",
			problem: "Given $A=\\{1,2\\}$ and $B=\\{2,3\\}$, then $A\\cap B=$ (\u3000\u3000)\nA: $\\{2\\}$\nB: $\\{1,2,3\\}$\nC: $\\{1\\}$\nD: $\\varnothing$",
			answer:  "A", stem: "Given $A=\\{1,2\\}$ and $B=\\{2,3\\}$, then $A\\cap B=$", gold: "\\{2\\}"},
		{name: "interval answer",
			problem: "The solution set of $x^2<4$ is ( )\nA: $(-2,2)$\nB: $(-\\infty,2)$\nC: $(2,+\\infty)$\nD: $(0,2)$",
			answer:  "A", stem: "The solution set of $x^2<4$ is", gold: "(-2,2)"},
		{name: "key as textbf label with its value",
			problem: "What is $2^5$? $\\textbf{(A) }16\\qquad\\textbf{(B) }32\\qquad\\textbf{(C) }64\\qquad\\textbf{(D) }128$",
			answer:  "$\\textbf{(B)}\\ 32$", stem: "What is $2^5$?", gold: "32"},
		{name: "instruction sentence dropped",
			problem: "Solve for $x$: $x+2=5$. Choose the correct answer.\nA. 1\nB. 2\nC. 3\nD. 4", answer: "C",
			stem: "Solve for $x$: $x+2=5$.", gold: "3"},

		{name: "statements listed in the stem and counted",
			problem: "Given the following propositions: \u2460 $1>0$; \u2461 $2<1$; \u2462 $3=3$. The number of true propositions is ( ) A: 0 B: 1 C: 2 D: 3",
			answer:  "C", stem: "Given the following propositions: \u2460 $1>0$; \u2461 $2<1$; \u2462 $3=3$. The number of true propositions is", gold: "2"},
		{name: "figure after the options joins the stem",
			problem: "Find $AB$.\n(A) 1 (B) 2 (C) 3\n[asy] draw((0,0)--(2,0)); [/asy]", answer: "B",
			stem: "Find $AB$.\n[asy] draw((0,0)--(2,0)); [/asy]", gold: "2"},
		{name: "blank with a period",
			problem: "The value of $3^2$ is ( ).\nA. 6\nB. 9\nC. 27\nD. 81", answer: "B", stem: "The value of $3^2$ is", gold: "9"},
		{name: "key given as an expression value",
			problem: "In terms of $a$, $b$, $c$, the longest side is\n(A) $a$ (B) $b+1$ (C) $c^2$ (D) $2a$", answer: "c^2", stem: "In terms of $a$, $b$, $c$, the longest side is", gold: "c^2"},
		{name: "the following introduces the options", problem: "If $a>b$, then the following that must hold is ( )\nA: $1$\nB: $2$\nC: $3$\nD: $4$", answer: "B", reason: StemNeedsOptions},
		{name: "options are equations", problem: "The solution of $2x=4$ is ( ) A: $x=1$ B: $x=2$ C: $x=3$ D: $x=4$", answer: "B", reason: OptionsAreStatements},
		{name: "how many of the following", problem: "How many of the following are prime: 2, 4, 5, 9?\nA. 1\nB. 2\nC. 3\nD. 4", answer: "B", reason: StemNeedsOptions},
		{name: "options with words", problem: "The roots of $x^2-5x+6=0$ are\nA. 1 and 6\nB. 2 and 3\nC. -2 and -3\nD. 5 and 6", answer: "B", reason: OptionNotAValue},
		{name: "no options", problem: "Which type of conic is $x^2=y$? Enter \"C\" for circle, \"P\" for parabola.", answer: "P", reason: NoOptionsBlock},
		{name: "which of the following", problem: "Which of the following is prime? A. 4 B. 6 C. 7 D. 9", answer: "C", reason: StemNeedsOptions},
		{name: "among the following", problem: "Among the following numbers, the largest is ( ) A: 1 B: 2 C: 3 D: 4", answer: "D", reason: StemNeedsOptions},
		{name: "closest to", problem: "The value of $\\sqrt{10}$ is closest to\n(A) 2 (B) 3 (C) 4 (D) 5", answer: "B", reason: StemNeedsOptions},
		{name: "NOT", problem: "The number that is NOT prime is A. 2 B. 3 C. 4 D. 5", answer: "C", reason: StemNeedsOptions},
		{name: "starts with which", problem: "Which is the largest?\n(A) $2^{10}$\n(B) $10^3$\n(C) $3^6$", answer: "A", reason: StemNeedsOptions},
		{name: "multi-select key", problem: "Find the roots.\nA. 1\nB. 2\nC. 3\nD. 6", answer: "BC", reason: MultiSelect},
		{name: "select all", problem: "Select all roots of $x^2=1$.\nA. 1\nB. -1\nC. 0", answer: "A", reason: MultiSelect},
		{name: "none of the above keyed", problem: "Compute $\\sqrt{-4}$ over the reals.\nA. 2\nB. -2\nC. 4\nD. None of the above", answer: "D", reason: AllNoneOfAbove},
		{name: "key names no option", problem: "$7\\times 8=$ A. 54 B. 56 C. 58 D. 64", answer: "E", reason: KeyMatchesNoOption},
		{name: "key value in no option", problem: "$9^2=$ (A) 18 (B) 72 (C) 81 (D) 99", answer: "80", reason: KeyMatchesNoOption},
		{name: "no key", problem: "$9^2=$ (A) 18 (B) 72 (C) 81 (D) 99", answer: "", reason: KeyMatchesNoOption},
		{name: "options are relations", problem: "Given $a=2$, $b=3$, $c=1$, then ( ) A: $a>b>c$ B: $b>a>c$ C: $c>a>b$ D: $a>c>b$", answer: "B", reason: OptionsAreStatements},
		{name: "options are sentences", problem: "About $f(x)=|x|$:\nA. It is odd.\nB. It is even.\nC. It has no minimum at all.\nD. It is increasing everywhere.", answer: "B", reason: OptionsAreStatements},
		{name: "keyed option is a word", problem: "The graph of $y=x^2$ is a A) line B) parabola C) circle D) hyperbola", answer: "B", reason: OptionNotAValue},
		{name: "keyed option is a name", problem: "The coefficient that cannot be zero is\n$\\textbf{(A)}\\ a \\qquad \\textbf{(B)}\\ b \\qquad \\textbf{(C)}\\ c$", answer: "C", reason: OptionNotAValue},
		{name: "keyed option is a figure multiple", problem: "The area of $N_1N_2N_3$ is:\n$\\text{(A) } \\frac{1}{10}\\triangle ABC \\qquad \\text{(B) } \\frac{1}{7}\\triangle ABC \\qquad \\text{(C) } \\text{none of these}$", answer: "B", reason: OptionNotAValue},
		{name: "a possible value", problem: "A possible value of $x$ with $x^2=9$ is A. $-3$ B. $0$ C. $1$ D. $9$", answer: "A", reason: QuestionChanges},
		{name: "one of several answers", problem: "One of the factors of $x^4+4$ is:\n$\\textbf{(A)}\\ x^2+2\\qquad\\textbf{(B)}\\ x+1\\qquad\\textbf{(C)}\\ x^2-2x+2\\qquad\\textbf{(D)}\\ x^2-4$", answer: "C", reason: QuestionChanges},
		{name: "most nearly", problem: "The value of $\\sqrt{50}$ is most nearly\n(A) 6 (B) 7 (C) 8 (D) 9", answer: "B", reason: StemNeedsOptions},
		{name: "two problems run together", problem: "Consider all triangles. There are\nPoints $A,B$ lie on a circle. Then $AB=$\n$\\text{(A) } 1\\quad \\text{(B) } 2\\quad \\text{(C) } 3$", answer: "B", reason: StemBroken},
		{name: "prose after the options", problem: "Compute $1+1$.\n(A) 1\n(B) 2\n(C) 3\nNow a second problem starts here.", answer: "B", reason: StemBroken},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Reformulate(c.problem, c.answer)
			if c.reason != "" {
				if r.Recovered() || r.Reason != c.reason {
					t.Errorf("got %q [%s] stem %q gold %q, want %s", r.Reason, r.Evidence, r.Problem, r.Answer, c.reason)
				}
				return
			}
			if !r.Recovered() {
				t.Fatalf("not recovered: %s [%s]", r.Reason, r.Evidence)
			}
			if r.Problem != c.stem || r.Answer != c.gold {
				t.Errorf("got stem %q gold %q, want %q %q", r.Problem, r.Answer, c.stem, c.gold)
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
