package dedup

import (
	"slices"
	"strings"
	"testing"

	"github.com/bigmath/bigmath/normalize"
)

// explainCase is one pair written for these tests, with the decision and
// the edits (as strings; a prefix match for each) that explain it.
type explainCase struct {
	name   string
	a, b   string
	ansA   string
	ansB   string
	mode   Mode
	dup    bool
	edits  []string
	cutOff int
}

var explainCases = []explainCase{
	// formatting
	{name: "dfrac and spacing", a: `Compute $\dfrac{1}{2} + \dfrac{1}{3}$.`, b: `Compute $\frac{1}{2}+\frac{1}{3}$.`, dup: true, edits: []string{"latex_format"}},
	{name: "left right", a: `Find $x$ such that $\left(x+1\right)^2=9$ and $x>0$.`, b: `Find $x$ such that $(x+1)^2=9$ and $x>0$.`, dup: true},
	{name: "dollar placement", a: `Let $x = 3$ and $y = 4$. Find $x y$.`, b: `Let $x=3$ and $y=4$. Find $xy$.`, dup: true},
	{name: "aops empty groups", a: `Let $a^{}_{}b = 12$ where $a$ and $b$ are positive integers. Find $a+b$ when $a=3$.`, b: `Let $ab = 12$ where $a$ and $b$ are positive integers. Find $a+b$ when $a=3$.`, dup: true, edits: []string{"latex_format"}},
	{name: "tilde and text", a: `A \text{good~word} has $5$ letters. How many such words exist?`, b: `A \it{good\ word} has $5$ letters. How many such words exist?`, dup: true},
	{name: "misplaced dollars", a: `Let $g$ be a function with $g(1) = 3$, $g(2) = 7,$ and for all $x$, $g(x+2) = g(x) + 4$. Find $g(9)$.`, b: `Let $g$ be a function with $g(1) = 3,$g(2)=7,$and for all$x$,$g(x+2)=g(x)+4.$Find$g(9).$`, dup: true, edits: []string{"latex_format"}},
	{name: "over and frac", a: `Simplify ${{x^2-1}\over{x-1}}$ for $x \neq 1$.`, b: `Simplify $\frac{x^2-1}{x-1}$ for $x \neq 1$.`, dup: true},
	{name: "align environment", a: `Solve the system \begin{align*} x + y &= 7, \\ x - y &= 1. \end{align*} Find $xy$.`, b: `Solve the system $x + y = 7$, $x - y = 1$. Find $xy$.`, dup: true},
	{name: "operator as text", a: `Find $\tan(\arctan 3 + \arctan 5)$ exactly.`, b: `Find $\tan(\text{arctan} 3 + \text{arctan} 5)$ exactly.`, dup: true},
	{name: "format phrase", a: `Write $0.\overline{3}$ as a common fraction.`, b: `Write $0.\overline{3}$ as a common fraction in lowest terms.`, dup: true, edits: []string{"format_instruction"}},
	{name: "lead-in label", a: "Question: How many positive divisors does 360 have?", b: "How many positive divisors does 360 have?", dup: true, edits: []string{"lead_in"}},
	{name: "link caption", a: "Find the number of real roots of $x^5 - 5x + 1$. Graph https://example.org/plot/1", b: "Find the number of real roots of $x^5 - 5x + 1$.", dup: true, edits: []string{"figure"}},
	// stop words and synonyms
	{name: "synonym total altogether", a: "Tom has 3 red cards and 5 blue cards. How many cards does he have in total?", b: "Tom has 3 red cards and 5 blue cards. How many cards does he have altogether?", dup: true, edits: []string{"synonym:in total/altogether"}},
	{name: "synonym in all", a: "Tom has 3 red cards and 5 blue cards. How many cards does he have in all?", b: "Tom has 3 red cards and 5 blue cards. How many cards does he have altogether?", dup: true, edits: []string{"synonym:in all/altogether"}},
	{name: "find what is", a: "Find the greatest common divisor of 84 and 126.", b: "What is the greatest common divisor of 84 and 126?", dup: true, edits: []string{"synonym:find/what"}},
	{name: "largest greatest", a: "What is the largest prime factor of 1001?", b: "What is the greatest prime divisor of 1001?", dup: true, edits: []string{"synonym:largest/greatest", "synonym:prime factor/prime divisor"}},
	{name: "circumradii", a: "Triangles $ABC$ and $ABD$ share side $AB=6$. Find the sum of the circumradii of the two triangles when $CD=4$.", b: "Triangles $ABC$ and $ABD$ share side $AB=6$. Find the sum of the radii of the circles circumscribed about the two triangles when $CD=4$.", dup: true},
	{name: "stop words", a: "A box holds 12 pens. How many pens do 7 boxes hold?", b: "The box holds 12 pens. How many pens do the 7 boxes hold?", dup: true, edits: []string{"stop_words"}},
	// renaming
	{name: "rename with pronouns", a: "Natalie sold 48 clips in April, and then she sold half as many clips in May. How many clips did Natalie sell altogether in April and May?", b: "Maria sold 48 clips in April, and then she sold half as many clips in May. How many clips did Maria sell altogether in April and May?", dup: true, edits: []string{"rename:Natalie->Maria"}},
	{name: "rename and pronoun", a: "John has 5 apples. He gives 2 apples to his sister. How many apples does John have now?", b: "Emily has 5 apples. She gives 2 apples to her sister. How many apples does Emily have now?", dup: true, edits: []string{"rename:John->Emily"}},
	{name: "two renames", a: "Natalie has 3 times as many marbles as Owen. If Owen has 14 marbles, how many marbles do they have altogether?", b: "Maria has 3 times as many marbles as Tom. If Tom has 14 marbles, how many marbles do they have altogether?", dup: true, edits: []string{"rename:Natalie->Maria", "rename:Owen->Tom"}},
	{name: "rename of an unlisted name", a: "Josefa received $40$ dollars. She buys 3 pens at 5 dollars each. How much money does she have left?", b: "Amanda received $40$ dollars. She buys 3 pens at 5 dollars each. How much money does she have left?", dup: true, edits: []string{"rename:Josefa->Amanda"}},
	{name: "rename of two unlisted names", a: "Kwame has 12 stamps. Kwame gives 5 stamps to Tobiah, and Tobiah gives 2 back. How many stamps does Kwame have?", b: "Jorge has 12 stamps. Jorge gives 5 stamps to Tobiah, and Tobiah gives 2 back. How many stamps does Jorge have?", dup: true, edits: []string{"rename:Kwame->Jorge"}},
	{name: "cut off after a sentence", a: "A farmer has 12 cows and 8 goats. Each cow eats 3 bales of hay a week. How many bales do the cows eat in 4 weeks?", b: "A farmer has 12 cows and 8 goats. Each cow eats 3 bales of hay a week.", dup: true, edits: []string{"cut_off"}, cutOff: 2},
	{name: "km per hour", a: "A cyclist rides at 18 km/h for 3 hours. How far does she ride?", b: "A cyclist rides at 18 kilometers per hour for 3 hours. How far does she ride?", dup: true, edits: []string{"unit"}},
	// units and number words
	{name: "unit kilometers km", a: "A car travels 120 kilometers in 2 hours. What is its average speed in kilometers per hour?", b: "A car travels 120 km in 2 hours. What is its average speed in km per hour?", dup: true, edits: []string{"unit:kilometers/km"}},
	{name: "unit metres meters", a: "A rope is 15 metres long. It is cut into pieces of 3 metres. How many pieces are there?", b: "A rope is 15 meters long. It is cut into pieces of 3 meters. How many pieces are there?", dup: true, edits: []string{"unit:metres/meters"}},
	{name: "unit in math text", a: `A square has side $5\text{ cm}$. Find its area in square centimeters.`, b: `A square has side 5 centimeters. Find its area in square centimeters.`, dup: true},
	{name: "number words", a: "Three friends share twelve cookies equally. How many cookies does each friend get?", b: "3 friends share 12 cookies equally. How many cookies does each friend get?", dup: true, edits: []string{"number_word"}},
	{name: "twenty five", a: "A class has twenty-five students and 5 groups. How many students are in each group?", b: "A class has 25 students and 5 groups. How many students are in each group?", dup: true, edits: []string{"number_word"}},
	{name: "dollars", a: `A pen costs \$3 and a book costs \$12. How much do 2 pens and a book cost?`, b: `A pen costs 3 dollars and a book costs 12 dollars. How much do 2 pens and a book cost?`, dup: true},
	// cut-off, instructions, solution text
	{name: "cut off", a: "A bag has 7 red marbles and 5 blue marbles. Two marbles are drawn at random without replacement. What is the probability that both marbles are red?", b: "A bag has 7 red marbles and 5 blue marbles. Two marbles are drawn at random without replacement. What is the probab", dup: true, edits: []string{"cut_off"}, cutOff: 2},
	{name: "cut off first", a: "A bag has 7 red marbles and 5 blue marbles. Two marbles are drawn at random without", b: "A bag has 7 red marbles and 5 blue marbles. Two marbles are drawn at random without replacement. What is the probability that both marbles are red?", dup: true, edits: []string{"cut_off"}, cutOff: 1},
	{name: "format instruction", a: "A bag has 7 red marbles and 5 blue marbles. What is the probability that a marble drawn is red? Express your answer as a common fraction.", b: "A bag has 7 red marbles and 5 blue marbles. What is the probability that a marble drawn is red?", dup: true, edits: []string{"format_instruction"}},
	{name: "solution appended", a: "Find the remainder when $2^{100}$ is divided by $7$.", b: "Find the remainder when $2^{100}$ is divided by $7$. Solution: Since $2^3 = 8 \\equiv 1$, we get $2^{100} = 2 \\cdot (2^3)^{33} \\equiv 2$.", dup: true, edits: []string{"solution_appended"}},
	{name: "figure in one copy", a: "In the figure, $AB = 4$ and $BC = 3$. Find $AC$ if angle $B$ is right.", b: "In the figure, $AB = 4$ and $BC = 3$. Find $AC$ if angle $B$ is right. [asy] draw((0,0)--(4,0)--(4,3)--cycle); [/asy]", dup: true, edits: []string{"figure"}},
	// rewordings
	{name: "reworded", a: "Natalie has 3 times as many marbles as Owen. If Owen has 14 marbles, how many marbles do they have altogether?", b: "Owen owns 14 marbles and Natalie owns three times as many as Owen. What is the total number of marbles the two of them have?", dup: true, edits: []string{"reworded"}},
	{name: "reworded with golds", a: "A train leaves at 3 pm and travels 240 miles at 60 miles per hour. When does it arrive?", b: "Travelling at 60 miles per hour, a train covers 240 miles after leaving at 3 pm. At what time does it get to its destination?", ansA: "7", ansB: "7", dup: true, edits: []string{"reworded"}},
	{name: "reworded: a clause moved", a: `A line through $(2, 3)$ has slope $m$ and meets the $y$-axis at $b$. Express $m + b$ in terms of $m$.`, b: `A line through $(2, 3)$ has slope $m$ and meets the $y$-axis at $b$. In terms of $m$, what is the value of $m + b$?`, dup: true, edits: []string{"reworded"}},
	{name: "benchmark answer format", a: "Two cards are dealt from a standard deck of 52 cards. What is the probability that both cards are hearts? Express your answer as a common fraction.", b: "Two cards are dealt from a standard deck of 52 cards. The probability that both cards are hearts is $\\frac{m}{n}$, where $m$ and $n$ are relatively prime positive integers. Find $m+n$.", mode: Benchmark, dup: true, edits: []string{"answer_format"}},

	// forbidden differences
	{name: "colour", a: "A bag has 4 green and 6 blue balls. Two balls are drawn. What is the probability that both are green?", b: "A bag has 4 green and 6 blue balls. Two balls are drawn. What is the probability that both are blue?"},
	{name: "verb", a: "Pipe A fills a tank in 4 hours. The tank is filled by pipe B in 6 hours. How long do both pipes take together?", b: "Pipe A fills a tank in 4 hours. The tank is emptied by pipe B in 6 hours. How long do both pipes take together?"},
	{name: "object", a: "Tom buys 3 apples for 2 dollars each. How much does he spend on apples?", b: "Tom buys 3 pears for 2 dollars each. How much does he spend on pears?"},
	{name: "point name", a: `In triangle $ABC$, $D$ is on $AB$ with $\angle ADC = 40^\circ$. Find $\angle ACD$ if $\angle A = 60^\circ$.`, b: `In triangle $ABC$, $D$ is on $AB$ with $\angle BDC = 40^\circ$. Find $\angle ACD$ if $\angle A = 60^\circ$.`},
	{name: "relation", a: `Lines $\ell$ and $m$ satisfy $\ell \perp m$. Line $n$ passes through $P$ with $n \parallel m$. Find the angle between $\ell$ and $n$.`, b: `Lines $\ell$ and $m$ satisfy $\ell \parallel m$. Line $n$ passes through $P$ with $n \parallel m$. Find the angle between $\ell$ and $n$.`},
	{name: "operator", a: `Let $z$ be a complex number with $|z| = 2$. Find the maximum of $|z^3 + 3z + 2|$.`, b: `Let $z$ be a complex number with $|z| = 2$. Find the maximum of $|\overline{z}^3 + 3z + 2|$.`},
	{name: "number", a: "A bag has 7 red marbles and 5 blue marbles. What is the probability that a marble drawn is red?", b: "A bag has 8 red marbles and 5 blue marbles. What is the probability that a marble drawn is red?"},
	{name: "number word", a: "Three friends share twelve cookies equally. How many cookies does each friend get?", b: "Four friends share twelve cookies equally. How many cookies does each friend get?"},
	{name: "boys girls", a: "A class has 12 boys and 15 girls. How many ways can we pick 2 boys?", b: "A class has 12 boys and 15 girls. How many ways can we pick 2 girls?"},
	{name: "altitude bisector", a: "In triangle $ABC$, $AB=5$, $BC=6$, $CA=7$. Find the length of the altitude from $A$.", b: "In triangle $ABC$, $AB=5$, $BC=6$, $CA=7$. Find the length of the angle bisector from $A$."},
	{name: "gold answers differ", a: "Tom has 3 red cards and 5 blue cards. How many cards does he have in total?", b: "Tom has 3 red cards and 5 blue cards. How many cards does he have altogether?", ansA: "8", ansB: "9"},
	{name: "inconsistent rename", a: "Tom gives Ann 3 apples and Ann gives Tom 2 pears. How many fruits does Tom have if he had 4?", b: "Tom gives Ann 3 apples and Ann gives Bob 2 pears. How many fruits does Tom have if he had 4?"},
	{name: "pronoun without rename", a: "Tom and Ann have 5 apples each. Then he eats 2 apples. How many apples are left?", b: "Tom and Ann have 5 apples each. Then she eats 2 apples. How many apples are left?"},
	{name: "complete prefix is not cut off", a: "Find the sum of the roots of $x^2 - 5x + 6 = 0$.", b: "Find the sum of the roots of $x^2 - 5x + 6 = 0$. Then find the product of the roots."},
	{name: "different format instruction", a: "What is $1/8$ of 3? Express your answer as a decimal.", b: "What is $1/8$ of 3? Express your answer as a common fraction.", dup: true, edits: []string{"format_instruction"}},
	{name: "reworded but other word", a: "Natalie has 3 times as many red marbles as Owen. If Owen has 14 red marbles, how many red marbles do they have altogether?", b: "Owen owns 14 blue marbles and Natalie owns three times as many blue marbles as Owen. What is the total number of blue marbles the two of them have?"},
	{name: "capitalised colour is no name", a: "Red balls cost 3 dollars and blue balls cost 5 dollars. How much do 2 balls of each colour cost?", b: "Green balls cost 3 dollars and blue balls cost 5 dollars. How much do 2 balls of each colour cost?"},
	{name: "misplaced dollars, other variable", a: `Let $g(1) = 3$, $g(2) = 7,$ and for all $x$, $g(x+2) = g(x) + 4$. Find $g(9)$.`, b: `Let $g(1) = 3,$g(2)=7,$and for all$y$,$g(y+2)=g(x)+4.$Find$g(9).$`},
	{name: "math moved inside a segment", a: `The graph of $y = f(x)$ passes through $(1, 2)$ and $(3, 5)$. Which point must the graph of $y = -f(x)$ pass through?`, b: `The graph of $y = f(x)$ passes through $(1, 2)$ and $(3, 5)$. Which point must the graph of $y = f(-x)$ pass through?`},
	{name: "swapped coefficients", a: `Let $a$ and $b$ be positive reals with $a + 2b = 1$. Find the minimum of $\frac{2}{a} + \frac{1}{b}$.`, b: `Let $a$ and $b$ be positive reals with $a + 2b = 1$. Find the minimum of $\frac{1}{a} + \frac{2}{b}$.`},
	{name: "swapped coefficients with golds", a: `Let $a$ and $b$ be positive reals with $a + 2b = 1$. Find the minimum of $\frac{2}{a} + \frac{1}{b}$.`, b: `Let $a$ and $b$ be positive reals with $a + 2b = 1$. Find the minimum of $\frac{1}{a} + \frac{2}{b}$.`, ansA: "8", ansB: "8"},
	{name: "numbers swapped in a rewording", a: "A bag has 7 red marbles and 5 blue marbles. What is the probability that a marble drawn at random is red?", b: "There are 5 red marbles and 7 blue marbles in a bag. If a marble is drawn at random, what is the probability that it is red?"},
	{name: "numbers swapped in place", a: "A bag has 7 red marbles and 5 blue marbles. What is the probability that a marble drawn at random is red?", b: "A bag has 5 red marbles and 7 blue marbles. What is the probability that a marble drawn at random is red?"},
	{name: "capitalised colour twice", a: "Red marbles cost 3 cents. Red marbles are sold in bags of 10. How much does a bag cost?", b: "Blue marbles cost 3 cents. Blue marbles are sold in bags of 10. How much does a bag cost?"},
	{name: "a question is not a cut-off statement", a: "A farmer has 12 cows and 8 goats. How many animals does he have?", b: "A farmer has 12 cows and 8 goats. How many animals does he have? How many legs do they have?"},
	{name: "month swap", a: "Natalie sold 48 clips in April and half as many in May. How many clips did she sell in April?", b: "Natalie sold 48 clips in April and half as many in May. How many clips did she sell in May?"},
	{name: "benchmark other numbers", a: "Two cards are dealt from a standard deck of 52 cards. What is the probability that both cards are hearts?", b: "Two cards are dealt from a standard deck of 52 cards. The probability that both cards are spades is $\\frac{m}{n}$, where $m$ and $n$ are relatively prime positive integers. Find $m+n$.", mode: Benchmark},
}

func TestExplain(t *testing.T) {
	for _, tc := range explainCases {
		t.Run(tc.name, func(t *testing.T) {
			d := Explain(Doc{Text: normalize.Text(tc.a), Answer: tc.ansA}, Doc{Text: normalize.Text(tc.b), Answer: tc.ansB}, tc.mode)
			if d.Duplicate != tc.dup {
				t.Fatalf("duplicate = %v (%q, edits %v), want %v", d.Duplicate, d.Difference, d.EditStrings(), tc.dup)
			}
			if !d.Duplicate && d.Difference == "" {
				t.Error("no difference named")
			}
			got := d.EditStrings()
			for _, e := range tc.edits {
				if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, e) }) {
					t.Errorf("edits %v, want %q among them", got, e)
				}
			}
			if d.CutOff != tc.cutOff {
				t.Errorf("cut off %d, want %d", d.CutOff, tc.cutOff)
			}
			// symmetric decision
			r := Explain(Doc{Text: normalize.Text(tc.b), Answer: tc.ansB}, Doc{Text: normalize.Text(tc.a), Answer: tc.ansA}, tc.mode)
			if r.Duplicate != d.Duplicate && tc.mode == Corpus {
				t.Errorf("reversed pair: duplicate = %v (%q)", r.Duplicate, r.Difference)
			}
		})
	}
}

func TestOverlapExplained(t *testing.T) {
	bench := []string{
		"Natalie has 3 times as many marbles as Owen. If Owen has 14 marbles, how many marbles do they have altogether?",
		"Two cards are dealt from a standard deck of 52 cards. What is the probability that both cards are hearts? Express your answer as a common fraction.",
		"A rope is 15 metres long. It is cut into pieces of 3 metres. How many pieces are there?",
	}
	tests := []struct {
		name, text string
		want       []string // benchmark problem numbers "b0".. or nothing
		edit       string
	}{
		{"reworded copy", "Owen owns 14 marbles and Natalie owns three times as many as Owen. What is the total number of marbles the two of them have?", []string{"b"}, "reworded"},
		{"answer format rewrite", "Two cards are dealt from a standard deck of 52 cards. The probability that both cards are hearts is $\\frac{m}{n}$, where $m$ and $n$ are relatively prime positive integers. Find $m+n$.", []string{"b"}, "answer_format"},
		{"units spelled", "A rope is 15 meters long. It is cut into pieces of 3 meters. How many pieces are there?", []string{"b"}, "unit"},
		{"other numbers", "A rope is 16 metres long. It is cut into pieces of 4 metres. How many pieces are there?", nil, ""},
		{"other suit", "Two cards are dealt from a standard deck of 52 cards. What is the probability that both cards are spades? Express your answer as a common fraction.", nil, ""},
	}
	o, _ := NewOverlapIndex(OverlapOptions{})
	for _, b := range bench {
		o.Add("b", normalize.Text(b))
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ovs := o.Overlaps(normalize.Text(tc.text))
			if byFP := o.MatchFingerprint(normalize.Text(tc.text), NewFingerprint(normalize.Text(tc.text))); !slices.Equal(byFP, o.Match(normalize.Text(tc.text))) {
				t.Errorf("MatchFingerprint = %v, Match %v", byFP, o.Match(normalize.Text(tc.text)))
			}
			if got := o.Match(normalize.Text(tc.text)); !slices.Equal(got, tc.want) {
				t.Fatalf("Match = %v, want %v (%+v)", got, tc.want, ovs)
			}
			if tc.edit != "" && !slices.ContainsFunc(ovs[0].Edits, func(e Edit) bool { return e.Kind == tc.edit }) {
				t.Errorf("edits %v, want %s", ovs[0].Edits, tc.edit)
			}
		})
	}
}

// TestConfirm checks that confirming by fingerprints and texts decides as
// Explain does on every written pair, with a similarity for duplicates.
func TestConfirm(t *testing.T) {
	h := NewHasher()
	for _, tc := range explainCases {
		a, b := Doc{Text: normalize.Text(tc.a), Answer: tc.ansA}, Doc{Text: normalize.Text(tc.b), Answer: tc.ansB}
		sim, d := Confirm(h.Fingerprint(a.Text), a, h.Fingerprint(b.Text), b, tc.mode)
		if want := Explain(a, b, tc.mode); d.Duplicate != want.Duplicate {
			t.Errorf("%s: Confirm says %v (%q), Explain %v", tc.name, d.Duplicate, d.Difference, want.Duplicate)
		}
		if d.Duplicate != (sim > 0) {
			t.Errorf("%s: similarity %v for duplicate = %v", tc.name, sim, d.Duplicate)
		}
	}
}

func TestLinkEdits(t *testing.T) {
	d := Decision{Duplicate: true, Edits: []Edit{{Kind: EditSynonym, From: "total", To: "altogether"}, {Kind: EditCutOff}}, CutOff: 2}
	if got := d.LinkEdits("p1", "p2"); !slices.Equal(got, []string{"synonym:total/altogether", "cut_off:p2"}) {
		t.Errorf("LinkEdits = %v", got)
	}
}
