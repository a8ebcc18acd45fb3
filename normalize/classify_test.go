package normalize

import (
	"testing"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		in   ClassifyInput
		want Reason
	}{
		// keep
		{"plain", ClassifyInput{Problem: "Compute $3+5$.", Answer: "8", HasAnswer: true}, Keep},
		{"word problem", ClassifyInput{Problem: "Natalia sold clips to 48 friends. How many clips did she sell?", Answer: "72", HasAnswer: true}, Keep},

		// proof
		{"prove that", ClassifyInput{Problem: "Prove that there are infinitely many primes."}, Proof},
		{"show that without answer", ClassifyInput{Problem: "Show that $n^2+n$ is even for every integer $n$.", HasAnswer: false}, Proof},
		{"prove and find with numeric answer is kept", ClassifyInput{Problem: "Prove that $f$ is increasing, and find the minimum value of $f(x)=x^2+3$ on $[0,1]$.", Answer: "3", HasAnswer: true}, Keep},
		{"prove with numeric answer but no question", ClassifyInput{Problem: "Prove that $\\sqrt{2}$ is irrational.", Answer: "0", HasAnswer: true}, Proof},
		{"improve is not prove", ClassifyInput{Problem: "A runner wants to improve her time of 50 s by 10%. What is her new time?", Answer: "45", HasAnswer: true}, Keep},
		{"answer is proof marker", ClassifyInput{Problem: "Let $a>0$. Then $a+1/a\\ge 2$.", Answer: "proof", HasAnswer: true}, Proof},
		{"olympiad determine all without answer", ClassifyInput{Problem: "Determine all integral solutions of $a^2+b^2+c^2=a^2b^2$."}, Proof},
		{"solution is an argument", ClassifyInput{Problem: "Let $P$ be a point inside triangle $ABC$. Consider the distances to the sides.", Solution: "Suppose otherwise. Then ... contradiction. $\\blacksquare$"}, Proof},

		// multiple choice
		{"options (A)-(E)", ClassifyInput{Problem: "What is $2+2$? $\\textbf{(A)}\\ 3 \\qquad \\textbf{(B)}\\ 4 \\qquad \\textbf{(C)}\\ 5 \\qquad \\textbf{(D)}\\ 6$", Answer: "B", HasAnswer: true}, MultipleChoice},
		{"options on lines", ClassifyInput{Problem: "Which of the following is prime?\nA. 4\nB. 6\nC. 7\nD. 9", Answer: "C", HasAnswer: true}, MultipleChoice},
		{"options with colon", ClassifyInput{Problem: "The value of $\\sin 30^\\circ$ is ( )\nA: $\\frac12$ B: $1$ C: $0$ D: $2$", Answer: "A", HasAnswer: true}, MultipleChoice},
		{"geometry points are not options", ClassifyInput{Problem: "Points $A$, $B$, $C$, $D$ lie on a circle in that order with $AB=BC=CD=1$. Find $AD$ if $ABCD$ is a square.", Answer: "1", HasAnswer: true}, Keep},
		{"points A. B. in prose", ClassifyInput{Problem: "Square ABCD has side 2. Point E is the midpoint of CD. Find AE.", Answer: "\\sqrt{5}", HasAnswer: true}, Keep},
		{"which of the following without options and numeric answer", ClassifyInput{Problem: "Which of the following is closest to $\\sqrt{65}-\\sqrt{63}$?", Answer: "0.13", HasAnswer: true}, Keep},
		{"which of the following with letter answer", ClassifyInput{Problem: "Which of the following numbers is the largest?", Answer: "(D)", HasAnswer: true}, MultipleChoice},
		{"asy labels are not options", ClassifyInput{Problem: "Find $x$. [asy] dot (A); dot (B); dot (C); label(\"$A$\",A,S); [/asy]", Answer: "3", HasAnswer: true}, Keep},
		{"team labels are not options", ClassifyInput{Problem: "Team A: 5 points, Team B: 3 points, Team C: 7 points. How many points in total?", Answer: "15", HasAnswer: true}, Keep},
		{"inline options after math", ClassifyInput{Problem: "The value is ( ) A: $1$ B: $2$ C: $3$ D: $4$", Answer: "B", HasAnswer: true}, MultipleChoice},
		{"ratio A:B is not an option", ClassifyInput{Problem: "If A:B = 2:3 and B:C = 4:5, find A:C.", Answer: "8:15", HasAnswer: true}, Keep},

		// multi-part
		{"(1) (2) parts", ClassifyInput{Problem: "Let $f(x)=x^2$. (1) Find $f(2)$; (2) Find the minimum of $f$.", Answer: "4", HasAnswer: true}, MultiPart},
		{"(I) (II) parts", ClassifyInput{Problem: "Given the sequence $a_n = 2n$. (I) Find $a_3$. (II) Find the sum of the first 10 terms.", Answer: "110", HasAnswer: true}, MultiPart},
		{"fullwidth (Ⅰ) (Ⅱ) parts", ClassifyInput{Problem: "已知. （Ⅰ）Find $a$; （Ⅱ）Find $b$.", Answer: "1", HasAnswer: true}, MultiPart},
		{"line-start numbered parts", ClassifyInput{Problem: "Let $x=3$.\n1. Find $x^2$.\n2. Find $x^3$.", Answer: "27", HasAnswer: true}, MultiPart},
		{"decimals are not parts", ClassifyInput{Problem: "What is the sum of 1.5 and 2.5?", Answer: "4", HasAnswer: true}, Keep},
		{"numbered conditions then one question", ClassifyInput{Problem: "A rectangle satisfies (1) its length is 5, (2) its width is 3. What is its area?", Answer: "15", HasAnswer: true}, Keep},
		{"function values are not labels", ClassifyInput{Problem: "If $f(1)=2$ and $f(2)=5$, what is $f(3)$ when $f$ is linear?", Answer: "8", HasAnswer: true}, Keep},
		{"answer with parts", ClassifyInput{Problem: "Solve the two equations $x+1=2$ and $y-1=2$.", Answer: "(1) 1; (2) 3", HasAnswer: true}, MultiPart},
		{"factored answer is not parts", ClassifyInput{Problem: "Factor $x^2+3x+2$.", Answer: "(x+1)(x+2)", HasAnswer: true}, Keep},
		{"circled parts", ClassifyInput{Problem: "①Find $a$; ②Find $b$.", Answer: "1", HasAnswer: true}, MultiPart},

		// yes/no and true/false
		{"yes answer", ClassifyInput{Problem: "Is 91 prime?", Answer: "No", HasAnswer: true}, YesNo},
		{"yes in text", ClassifyInput{Problem: "Can 10 be written as a sum of two primes?", Answer: "\\text{Yes}", HasAnswer: true}, YesNo},
		{"is-question with numeric answer is kept", ClassifyInput{Problem: "Is there a largest $n$ with $n^2<50$? If so, what is it?", Answer: "7", HasAnswer: true}, Keep},
		{"is-question without answer", ClassifyInput{Problem: "Let $n=7$. Is $2^n-1$ prime?"}, YesNo},
		{"true answer", ClassifyInput{Problem: "The statement $2>1$ holds.", Answer: "True", HasAnswer: true}, TrueFalse},
		{"true or false without answer", ClassifyInput{Problem: "True or false: every square is a rectangle."}, TrueFalse},
		{"variable t answer is kept", ClassifyInput{Problem: "Solve $x - t = 0$ for $x$.", Answer: "t", HasAnswer: true}, Keep},
		{"number is not yes", ClassifyInput{Problem: "How many nos were cast?", Answer: "12", HasAnswer: true}, Keep},

		// figures
		{"in the figure", ClassifyInput{Problem: "In the figure, find the area of the shaded region.", Answer: "12", HasAnswer: true}, NeedsFigure},
		{"image tag", ClassifyInput{Problem: "Find $x$. <img src=\"fig.png\">", Answer: "3", HasAnswer: true}, NeedsFigure},
		{"asy source is part of the text", ClassifyInput{Problem: "In the diagram, find $x$. [asy] draw((0,0)--(3,0)); label(\"$x$\",(1.5,0),S); [/asy]", Answer: "3", HasAnswer: true}, Keep},
		{"as shown without the figure", ClassifyInput{Problem: "Two tangent semicircles lie inside a quarter circle of radius 14, as shown. What is the radius of the smaller semicircle?", Answer: "\\frac{14}{3}", HasAnswer: true}, NeedsFigure},
		{"examples shown below", ClassifyInput{Problem: "Find the number of such paths that change direction exactly four times, as in the examples shown below.", Answer: "294", HasAnswer: true}, Keep},
		{"rows shown below are in the text", ClassifyInput{Problem: "Rows 1, 2 and 3 of an array are shown below.\n1\n1 1\n1 3 1\nWhat is the sum of row 10?", Answer: "5", HasAnswer: true}, Keep},
		{"table is in the text", ClassifyInput{Problem: "As shown in the table below, find the mean. \\begin{tabular}{cc} 1 & 2 \\end{tabular}", Answer: "1.5", HasAnswer: true}, Keep},
		{"picture in a word problem", ClassifyInput{Problem: "A 5-inch by 7-inch picture is framed. What is the area of the picture?", Answer: "35", HasAnswer: true}, Keep},

		// answers
		{"null answer", ClassifyInput{Problem: "What is $1+1$?", HasAnswer: false}, NoAnswer},
		{"empty answer", ClassifyInput{Problem: "What is $1+1$?", Answer: "  ", HasAnswer: true}, NoAnswer},
		{"prose answer", ClassifyInput{Problem: "Describe the set of solutions of $x^2=-1$.", Answer: "There are no real solutions because squares are nonnegative.", HasAnswer: true}, OpenEndedText},
		{"name answer is kept", ClassifyInput{Problem: "Who ran the fastest?", Answer: "\\text{Evelyn}", HasAnswer: true}, Keep},
		{"interval answer is not prose", ClassifyInput{Problem: "Find the domain of $1/(2y+1)$.", Answer: "\\left(-\\infty,-\\frac 12\\right)\\cup \\left(-\\frac 12,\\infty\\right)", HasAnswer: true}, Keep},
		{"matrix answer is not prose", ClassifyInput{Problem: "Find $v$.", Answer: "\\begin{pmatrix} -1/3 \\\\ 2/3 \\end{pmatrix}", HasAnswer: true}, Keep},

		// language
		{"chinese", ClassifyInput{Problem: "已知函数$f(x)=x^2$，求$f(2)$的值。", Answer: "4", HasAnswer: true}, NonEnglish},
		{"russian", ClassifyInput{Problem: "Найдите значение выражения $2+2$.", Answer: "4", HasAnswer: true}, NonEnglish},
		{"french", ClassifyInput{Problem: "Quelle est la valeur de $x$ dans les équations suivantes pour que le total soit nul?", Answer: "0", HasAnswer: true}, NonEnglish},
		{"greek letters are math", ClassifyInput{Problem: "If α + β = π and α = β, find α.", Answer: "\\frac{\\pi}{2}", HasAnswer: true}, Keep},
		{"one chinese name", ClassifyInput{Problem: "Xiao Ming (小明) has 3 apples and buys 5 more. How many apples does he have now?", Answer: "8", HasAnswer: true}, Keep},

		// links
		{"url", ClassifyInput{Problem: "Find $x$ from the graph at https://example.com/g.png.", Answer: "2", HasAnswer: true}, Hyperlink},
		{"href", ClassifyInput{Problem: "See \\href{x}{here}. Find $x$.", Answer: "2", HasAnswer: true}, Hyperlink},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Classify(tc.in)
			if got.Reason != tc.want {
				t.Errorf("Classify(%q, answer %q) = %s (%s), want %s", tc.in.Problem, tc.in.Answer, got.Reason, got.Evidence, tc.want)
			}
			if got.Keep() != (tc.want == Keep) {
				t.Errorf("Keep() = %v for %s", got.Keep(), got.Reason)
			}
			if got.Reason != Keep && got.Evidence == "" {
				t.Errorf("no evidence for %s", got.Reason)
			}
			// The classifier gives the same verdict on normalized text,
			// except where line breaks carry the structure.
			if tc.want != MultiPart && tc.want != MultipleChoice && tc.want != Keep {
				if n := Classify(ClassifyInput{Problem: Text(tc.in.Problem), Answer: tc.in.Answer, Solution: tc.in.Solution, HasAnswer: tc.in.HasAnswer}); n.Reason != got.Reason {
					t.Errorf("on Text(problem): %s, on raw: %s", n.Reason, got.Reason)
				}
			}
		})
	}
}

func TestReasonsAreDistinct(t *testing.T) {
	seen := map[Reason]bool{}
	for _, r := range Reasons() {
		if seen[r] {
			t.Errorf("duplicate reason %s", r)
		}
		seen[r] = true
	}
	if len(seen) != 13 {
		t.Errorf("%d reasons, want 13", len(seen))
	}
}

func FuzzClassify(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s, "1", true)
	}
	f.Add("(A) 1 (B) 2 (C) 3", "B", true)
	f.Add("(1) find x (2) find y", "", false)
	f.Fuzz(func(t *testing.T, problem, answer string, has bool) {
		v := Classify(ClassifyInput{Problem: problem, Answer: answer, Solution: answer, HasAnswer: has})
		valid := false
		for _, r := range Reasons() {
			if v.Reason == r {
				valid = true
			}
		}
		if !valid || v.Reason == UnverifiableAnswer {
			t.Errorf("Classify returned %q", v.Reason)
		}
	})
}
