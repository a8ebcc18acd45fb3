package normalize

import (
	"testing"
)

// seeds returns fuzz seeds: problems and solutions written for these tests
// in the layouts of the sources (GSM8K calculator notes, MATH boxes and
// [asy] code, AMC options, cn_k12 parts and options, AoPS hints), so that the
// fuzzers start from realistic structure. Nothing here is copied from
// ../shared.
func seeds(testing.TB) []string {
	return []string{
		"Tom has 12 pencils and buys 3 packs of 4 more. How many pencils does he have?",
		"He buys 3*4=<<3*4=12>>12 pencils.\nIn all he has 12+12=<<12+12=24>>24.\n#### 24",
		`Let $f(x)=\dfrac{x^2-1}{x+1}$. Compute $f(3)$.`,
		`We have $f(3)=\frac{8}{4}=2$, so the answer is $\boxed{2}$.`,
		"In the diagram, $AB=5$ and $BC=12$. Find $AC$.\n[asy]\ndraw((0,0)--(5,0)--(5,12)--cycle);\nlabel(\"$A$\",(0,0),SW); // corner\n[/asy]",
		`What is $\frac12+\frac13$? $\textbf{(A)}\ \frac25 \qquad \textbf{(B)}\ \frac56 \qquad \textbf{(C)}\ 1 \qquad \textbf{(D)}\ \frac16$`,
		"已知函数 $f(x)=x^2-2x$，（Ⅰ）求 $f(x)$ 的单调区间；（Ⅱ）求 $f(x)$ 在 $[0,3]$ 上的最大值。",
		"The value of $\\sin 30^\\circ$ is ( )\nA: $\\frac{1}{2}$ B: $1$ C: $0$ D: $2$",
		"Find the least $n$ such that $n^2>50$.\nHint\nTry $n=7$ and $n=8$.",
		"Given the sequence $a_n=2n+1$.\n(1) Find $a_5$;\n(2) Find the sum of the first $10$ terms.",
		`\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix} has determinant \boxed{-2} and trace 5&amp;6 <br> x²`,
		"Quelle est la valeur de $x$ si $2x+3=7$ ?",
		"A sample of the lock is shown below. How many combinations have 5 buttons?",
	}
}
