package normalize

import (
	"testing"
)

// TestClassifyLayouts covers each layout of issue 10 with problems written
// for this test (none is taken from a dataset).
func TestClassifyLayouts(t *testing.T) {
	type tc struct {
		name    string
		problem string
		answer  string
		want    Reason
	}
	has := func(c tc) ClassifyInput {
		return ClassifyInput{Problem: c.problem, Answer: c.answer, HasAnswer: true}
	}
	tests := []tc{
		// multi-part, every form
		{"(1)(2)", "Let $g(x)=3x-1$. (1) Find $g(4)$. (2) Solve $g(x)=8$.", "11", MultiPart},
		{"(I)(II)", "The sequence has $b_1=2$, $b_{n+1}=2b_n$.\n(I) Find the general term.\n(II) Find the sum of the first $8$ terms.", "510", MultiPart},
		{"roman numerals without parentheses", "Given $h(x)=x^3$.\nⅠ. Find $h'(1)$.\nⅡ. Find the tangent line at $x=1$.", "y=3x-2", MultiPart},
		{"fullwidth roman", "Let $h(x)=x^3$. （Ⅰ）Find $h(2)$; （Ⅱ）Find $h(3)$.", "8", MultiPart},
		{"chinese parts are non-English first", "已知函数 $h(x)=x^3$。（Ⅰ）求 $h(2)$；（Ⅱ）求 $h(3)$。", "8", NonEnglish},
		{"(a)(b)", "A box holds 4 red and 6 blue balls. (a) What is the chance of red? (b) What is the chance of two blue in a row?", "\\frac{2}{5}", MultiPart},
		{"a) b) on lines", "A car travels 120 km in 2 hours.\na) What is its speed?\nb) How far does it go in 5 hours?", "60", MultiPart},
		{"Part 1 Part 2", "Part 1: Compute $7\\cdot 8$. Part 2: Compute $56/7$.", "56", MultiPart},
		{"circled", "设函数 f. ① find $f(0)$ ② find $f(1)$", "1", MultiPart},
		{"parenthesized digits", "⑴ Find the mean of 2, 4, 6. ⑵ Find the median of 1, 5, 9.", "4", MultiPart},
		{"semicolon on one line", "Let $f(x)=\\sin 2x$. Find the period of $f$; find the maximum of $f$ on $[0,\\pi]$.", "\\pi", MultiPart},
		{"gold lists parts", "Answer the questions about the triangle with sides 3, 4, 5.", "(a) 6 (b) 12", MultiPart},
		{"gold with Part labels", "A rectangle is 3 by 4.", "Part 1: 12, Part 2: 14", MultiPart},
		{"semicolon with a format instruction is one question", "Find the probability of two heads in three tosses; express your answer as a common fraction.", "\\frac{3}{8}", Keep},
		{"conditions then one question", "An integer $n$ satisfies:\n1. $n$ is odd.\n2. $n$ is a multiple of 7.\nWhat is the least such $n$ above 20?", "21", Keep},
		{"listed questions coded as one sum", "Answer each of the following questions with 1 for yes and 0 for no, and add the numbers.\n1. Is 7 prime?\n2. Is 9 prime?\n3. Is 11 prime?", "2", Keep},

		// figures
		{"in the diagram", "In the diagram, what is the value of $x$?", "40", NeedsFigure},
		{"the figure below", "The figure below is made of unit squares. What is its perimeter?", "12", NeedsFigure},
		{"shown", "Four congruent circles are placed in a square as shown. The square has side 8. What is the radius?", "2", NeedsFigure},
		{"as shown after the data", "Triangle $ABC$ has sides 5, 12 and 13, as shown. What is its area?", "30", Keep},
		{"as shown without data", "A strip of paper is folded as shown. What is the angle of the fold?", "30", NeedsFigure},
		{"chinese figure", "如图, find the area of the triangle.", "6", NeedsFigure},
		{"asy present", "In the diagram, find $x$.\n[asy]\ndraw((0,0)--(4,0)--(4,3)--cycle);\nlabel(\"$x$\",(2,0),S);\n[/asy]", "4", Keep},
		{"tikz present", "The figure below shows a path. \\begin{tikzpicture}\\draw (0,0)--(1,1);\\end{tikzpicture} Find its length.", "\\sqrt{2}", Keep},
		{"see figure with data stated", "Segments $PQ$ and $RS$ meet at $T$ (see the figure), with $PT=2$, $TQ=6$, $RT=3$. Find $TS$.", "4", Keep},
		{"sample shown below", "A sample lock is shown below. Each lock has 10 buttons and opens with a set of 4 of them. How many sets are there?", "210", Keep},
		{"diagram was not given", "A square of side 6 has a circle inscribed in it. Find the area outside the circle.\nNote: the diagram was not given in the original contest.", "36-9\\pi", Keep},
		{"graph shown in red", "The graph of $y=g(x)$ is shown in red below. How many solutions does $g(x)=1$ have?", "3", NeedsFigure},
		{"figure skating is not a figure", "In figure skating, a judge gives scores 5, 6 and 7. What is the mean score?", "6", Keep},
		{"the first figure skater", "The first figure skater scored 8 and the second 6. What is the total?", "14", Keep},
		{"numbers shown on dice are not a figure", "Two dice are rolled. What is the probability that the numbers shown add to 4?", "\\frac{1}{12}", Keep},
		{"movies shown are not a figure", "A cinema has 3 screens and 4 films are shown on each screen per day. How many films are shown per day?", "12", Keep},
		{"pattern shown above is in the text", "The sequence $$2, 5, 8, 11, \\ldots$$ goes on. The first four terms are shown above. What is the 10th term?", "29", Keep},

		// multiple choice, every layout
		{"AMC textbf qquad", "What is $3^2$? $\\textbf{(A) }6\\qquad\\textbf{(B) }8\\qquad\\textbf{(C) }9\\qquad\\textbf{(D) }12$", "9", MultipleChoice},
		{"mathrm labels", "Compute $2^5$. $\\mathrm{(A)}\\ 10 \\qquad \\mathrm{(B)}\\ 25 \\qquad \\mathrm{(C)}\\ 32 \\qquad \\mathrm{(D)}\\ 64$", "32", MultipleChoice},
		{"A. on lines", "Which number is even?\nA. 3\nB. 5\nC. 8\nD. 9", "C", MultipleChoice},
		{"cn_k12 inline A:", "The solution set of $x^2<1$ is ( ) A: $(-1,1)$ B: $(0,1)$ C: $(-\\infty,1)$ D: $\\emptyset$", "A", MultipleChoice},
		{"options on one line after values", "The sum $1+2+3$ equals A: 5 B: 6 C: 7 D: 8", "B", MultipleChoice},
		{"options A) B) inline", "Pick the prime: A) 4 B) 6 C) 7 D) 8", "C", MultipleChoice},
		{"text A. labels", "Which is largest? $\\text A.\\ 0.3 \\quad \\text B.\\ 0.33 \\quad \\text C.\\ 0.303 \\quad \\text D.\\ 0.033$", "0.33", MultipleChoice},
		{"lower-case options after the question", "Which set is the domain of $\\sqrt{x}$?\n(a) $x\\ge 0$\n(b) $x>0$\n(c) all real $x$", "(a)", MultipleChoice},
		{"lower-case options with a value answer", "What is the least prime above 20?\n(a) 21\n(b) 23\n(c) 25\n(d) 27", "23", MultipleChoice},
		{"options inside asy", "Which vector is parallel to $(1,2)$?\n[asy]\nlabel(\"(A) $(2,4)$\", (0,0));\nlabel(\"(B) $(2,1)$\", (3,0));\nlabel(\"(C) $(1,-2)$\", (6,0));\n[/asy]", "\\text{A}", MultipleChoice},
		{"graphs in asy, answer a letter", "Which is the graph of $y=|x|$?\n[asy]\nlabel(\"A\",(0,-6)); label(\"B\",(12,-6)); label(\"C\",(24,-6));\n[/asy]", "B", MultipleChoice},
		{"enter the letter", "The graph of $y=f(x)$ is given. Enter the letter of the graph of $y=f(x+1)$.", "C", MultipleChoice},
		{"letter codes", "What kind of curve is $x^2+y^2=4$? Enter \"C\" for circle, \"P\" for parabola, \"E\" for ellipse.", "C", MultipleChoice},
		{"unlabelled option lines", "Which of the following is the largest?\n\n$2^{10}$\n$10^3$\n$3^6$\n$5^4$", "2^{10}", MultipleChoice},
		{"unlabelled inline list", "Which of the following numbers is closest to 1: $0.9$, $1.2$, $0.95$, $1.04$?", "1.04", MultipleChoice},
		{"answer is a list of labels", "Which of the following are true for every real $x$? List the letters.", "A, C", MultipleChoice},
		{"which of the following, options removed, value answer", "Which of the following is closest to $\\sqrt{50}$?", "7", Keep},
		{"how many of the following with a count", "How many of the following numbers are prime: $2$, $9$, $11$, $15$?", "2", Keep},
		{"one-line lower-case options, gold a label", "Evaluate $2^3-1$. (a) 5 (b) 6 (c) 7 (d) 8", "c", MultipleChoice},
		{"count of true statements in a lettered list", "How many of the following statements are true?\n(a) $4$ is even.\n(b) $9$ is prime.\n(c) $15$ is odd.\n(d) $1$ is prime.", "2", Keep},
		{"named candidates in the question", "A runner goes around a track divided into quarters. In which quarter, $A$, $B$, $C$ or $D$, does she stop after 7 laps and a half?", "C", MultipleChoice},
		{"letters as the options", "Which of these letters have a vertical line of symmetry: $\\textsf{A}$, $\\textsf{B}$, $\\textsf{F}$, $\\textsf{T}$?", "AT", MultipleChoice},
		{"correct letter cue", "One of these graphs shows the depth of the water. Which one is it? Provide the correct letter.", "B", MultipleChoice},
		{"upper-case labelled conditions are not options", "How many 3-digit numbers satisfy the following conditions: (A) the first digit is 2 or 3, (B) the last digit is odd, and (C) no digit repeats?", "64", Keep},
		{"team labels are names", "Team A: 5 wins. Team B: 3 wins. Team C: 4 wins. Team D: 2 wins. How many wins in all?", "14", Keep},
		{"lettered conditions are not options", "Find the least integer that satisfies the following conditions?\na) It leaves remainder 1 when divided by 2 and by 3.\nb) It leaves remainder 2 when divided by 5 and by 7.\nc) It is larger than the product of the first two primes.", "37", Keep},

		// placeholder golds
		{"gold N/A", "What is $7\\cdot 6$?", "N/A", NoAnswer},
		{"gold none", "What is $7\\cdot 6$?", "None", NoAnswer},
		{"gold question mark", "What is $7\\cdot 6$?", "?", NoAnswer},
		{"gold see solution", "What is $7\\cdot 6$?", "See solution.", NoAnswer},
		{"gold dash", "What is $7\\cdot 6$?", "—", NoAnswer},
		{"gold empty box", "What is $7\\cdot 6$?", "\\boxed{}", NoAnswer},
		{"gold text N/A", "What is $7\\cdot 6$?", "$\\text{N/A}$", NoAnswer},
		{"gold zero is an answer", "What is $7-7$?", "0", Keep},
		{"gold no is yes_no", "Is 51 prime?", "no", YesNo},

		// hints and solutions appended
		{"Hint heading", "Find the number of divisors of $720$.\nHint\nWrite $720$ as a product of prime powers.", "30", HintAppended},
		{"Solution heading", "What is the remainder of $2^{10}$ divided by $7$?\nSolution 1\nSince $2^3\\equiv 1$, $2^{10}\\equiv 2$.", "2", HintAppended},
		{"inline hint", "Find $\\sum_{k=1}^{10} k^2$. Hint: use the formula for sums of squares.", "385", HintAppended},
		{"boxed answer appended", "Find $a+b$ if $a=3$ and $b=4$. We add them: $3+4=7$, so $\\boxed{7}$.", "7", HintAppended},
		{"note on solving", "Find $x$ if $x^2=49$ and $x>0$.\nnote: this is the kind of problem that can be solved by inspection.", "7", HintAppended},
		{"diagram heading with solution set-up", "Find the area of the kite with diagonals 6 and 8.\nDiagram\nLet the diagonals meet at $O$. Then the area is half the product.", "24", HintAppended},
		{"plan names on lines are not headings", "A gym offers two plans.\nPlan A\n$20$ a month and $2$ a visit.\nPlan B\n$35$ a month.\nHow many visits make the plans cost the same?", "15", Keep},
		{"a heading word before the question is no heading", "Remarks on a game\nTwo players take turns removing 1 or 2 stones from 10. How many stones must the first player take first to win?", "1", Keep},
		{"definition note is kept", "Find the least $n$ with $\\lfloor n/3\\rfloor=5$.\nNote: $\\lfloor x\\rfloor$ is the greatest integer not above $x$.", "15", Keep},
		{"signature is kept", "Find the remainder when $3^{100}$ is divided by $5$.\n ~ someone", "1", Keep},
		{"box as notation is kept", "Let $\\boxed{n}$ denote the sum of the digits of $n$. Find $\\boxed{\\boxed{99}}$.", "9", Keep},

		// language
		{"french", "Trouver la valeur de $x$ telle que la somme des deux nombres soit égale à dix.", "5", NonEnglish},
		{"spanish", "Encuentra el número de maneras de elegir dos cartas de una baraja con cuarenta cartas.", "780", NonEnglish},
		{"german", "Wie viele Lösungen hat die Gleichung $x^2=4$ in den ganzen Zahlen, wenn man nur positive Werte zählt?", "1", NonEnglish},
		{"portuguese", "Quantos números inteiros positivos menores que cem são divisíveis por sete e por três ao mesmo tempo?", "4", NonEnglish},
		{"italian", "Quanti sono i numeri interi positivi minori di cento che sono divisibili sia per sette che per tre?", "4", NonEnglish},
		{"russian", "Сколько существует двузначных чисел, сумма цифр которых равна девяти?", "9", NonEnglish},
		{"japanese", "次の方程式を解きなさい。$x^2-5x+6=0$ の解の和を求めよ。", "5", NonEnglish},
		{"korean", "다음 식의 값을 구하시오. $3+4\\times 2$", "11", NonEnglish},
		{"short french", "Résoudre l'équation $x^2=4$.", "2", NonEnglish},
		{"short spanish", "Calcula el valor de $x$ si $3x=9$.", "3", NonEnglish},
		{"short german", "Berechnen Sie $3\\cdot 4$.", "12", NonEnglish},
		{"short portuguese", "Resolva a equação $x+1=3$.", "2", NonEnglish},
		{"short polish", "Oblicz wartość wyrażenia $2^{10}$.", "1024", NonEnglish},
		{"short vietnamese", "Tìm giá trị của $x$ biết $2x=6$.", "3", NonEnglish},
		{"short english the identifier misreads", "Compute the determinant.", "0", Keep},
		{"english with accents", "Using the Möbius function, find the sum of $\\mu(n)$ for $n$ from 1 to 10, as Erdős might.", "-1", Keep},
		{"english, few function words", "Evaluate $\\int_0^1 x^2\\,dx$.", "\\frac13", Keep},
		{"english imperative list", "Simplify, factor, expand: $(x+1)^2-(x-1)^2$.", "4x", Keep},
		{"english with a chinese name", "Li Lei (李雷) buys 3 pens at 2 yuan each. How much does he pay?", "6", Keep},
	}
	for _, c := range tests {
		t.Run(c.name, func(t *testing.T) {
			got := Classify(has(c))
			if got.Reason != c.want {
				t.Errorf("Classify(%q, answer %q) = %s (%s), want %s", c.problem, c.answer, got.Reason, got.Evidence, c.want)
			}
		})
	}
}

func TestIsPlaceholderGold(t *testing.T) {
	for _, a := range []string{"N/A", "n/a", "NA", "none", "None.", "?", "??", "see solution", "See the solution",
		"—", "-", "\\boxed{}", "$\\boxed{ }$", "\\text{None}", "TBD", "…", "  "} {
		if !isPlaceholderGold(a) {
			t.Errorf("isPlaceholderGold(%q) = false", a)
		}
	}
	for _, a := range []string{"0", "no", "\\emptyset", "-1", "\\text{none of them}", "N", "A", "x", "\\boxed{3}", "1/2"} {
		if isPlaceholderGold(a) {
			t.Errorf("isPlaceholderGold(%q) = true", a)
		}
	}
}

// FuzzClassifyRules feeds the rule parsers directly: option text rewriting,
// gold unwrapping, answer parts, letter codes, hints and figures must return
// on any input.
func FuzzClassifyRules(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s, "(1) 2; (2) 3")
	}
	f.Add(`\textbf{(A)}\qquad\text A.\hspace{1cm}\\`, `\boxed{\text{N/A}}`)
	f.Add(`Enter "C" for circle, "P" for`, "Part 1: 2, Part 2: 3")
	f.Add("In the diagram, $A$ and $B$.\nDiagram\nLet $x$. Find $AB$.", "—")
	f.Fuzz(func(t *testing.T, problem, answer string) {
		optionText(problem)
		unwrapGold(answer)
		isPlaceholderGold(answer)
		answerHasParts(answer)
		isOptionAnswer(answer)
		isBracketedLabel(answer)
		p := newProse(problem)
		letterCodes(p.text)
		namedCandidates(problem, answer, true)
		isLetterList(answer)
		hintAppended(p)
		needsFigure(problem, p)
		multiPart(p, answer)
		multipleChoice(p, answer, answer != "")
		nonEnglish(p)
	})
}
