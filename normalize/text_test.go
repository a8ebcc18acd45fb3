package normalize

import (
	"fmt"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/bigmath/bigmath/internal/testutil"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		// white space
		{"collapse", "  a \n\n b\t c  ", "a b c"},
		{"newline before sentence", "equations:\n\\[x=1\\]\nThen", "equations: $x=1$ Then"},
		// delimiters
		{"inline paren", `\(x+1\)`, "$x+1$"},
		{"display bracket", `\[x^2\]`, "$x^2$"},
		{"double dollar", `$$x$$`, "$x$"},
		{"space inside delimiters", `$ x + 1 $`, "$x + 1$"},
		{"adjacent math merges", `\(a\)\(b\)`, "$a$b$"},
		{"escaped dollar is currency", `costs \$5 and $x$`, `costs \$5 and $x$`},
		{"equation env", "\\begin{equation*}\na=b\n\\end{equation*}", "$a=b$"},
		{"line break command kept", `a\\[2pt] b`, `a\\[2pt] b`},
		// commands
		{"dfrac", `\dfrac{1}{2}`, `\frac{1}{2}`},
		{"tfrac", `\tfrac12`, `\frac{1}{2}`},
		{"frac unbraced command", `\frac\pi 2`, `\frac{\pi}{2}`},
		{"frac spaced", `\frac 1 {x}`, `\frac{1}{x}`},
		{"nested frac", `\dfrac{\tfrac{1}{2}}{3}`, `\frac{\frac{1}{2}}{3}`},
		{"binom", `\dbinom{n}{k}`, `\binom{n}{k}`},
		{"sqrt unbraced", `\sqrt2`, `\sqrt{2}`},
		{"sqrt index kept", `\sqrt[3]{2}`, `\sqrt[3]{2}`},
		{"left right", `\left( \frac{1}{2} \right)`, `( \frac{1}{2} )`},
		{"left dot", `\left.\frac{x}{2}\right|_0`, `\frac{x}{2}|_0`},
		{"leftarrow kept", `a \leftarrow b`, `a \leftarrow b`},
		{"big", `\Big( x \Big)`, `( x )`},
		{"spacing", `x\,y\;z\quad w\!v`, `x y z wv`},
		{"hspace", `a\hspace{1cm}b`, `a b`},
		{"displaystyle", `$\displaystyle\sum x$`, `$\sum x$`},
		{"single char exponent", `x^{2}+y_{1}`, `x^2+y_1`},
		{"longer exponent kept", `x^{10}`, `x^{10}`},
		// Unicode
		{"superscript", "x² + y³", "x^2 + y^3"},
		{"superscript run", "10⁻³", "10^{-3}"},
		{"subscript", "a₁₀", "a_{10}"},
		{"vulgar fraction", "½ cup", `\frac{1}{2} cup`},
		{"fullwidth", "（Ⅰ）求ＡＢ，", "(I)求AB,"},
		{"reals kept", "x ∈ ℝ", "x ∈ ℝ"},
		{"circled kept", "①②", "①②"},
		{"minus sign", "5 − 3", "5 - 3"},
		{"nbsp and zero width", "a\u00a0b\u200bc", "a bc"},
		{"json form feed", "\x0crac{1}{2}", `\frac{1}{2}`},
		{"json tab times", "3\times 4", `3\times 4`},
		{"newline is never a command", "a\neq b", "a eq b"},
		{"real tab kept as space", "a\tb", "a b"},
		// HTML
		{"entities", "a &lt; b &amp;&amp; c&gt;d", "a < b && c>d"},
		{"numeric entity", "it&#39;s", "it's"},
		{"tags", "a<br>b<p>c</p>", "a b c"},
		{"sup tag", "x<sup>2</sup>", "x^2"},
		{"comparison kept", "if a<b and c>d", "if a<b and c>d"},
		{"unknown tag kept", "<foo>", "<foo>"},
		// GSM8K
		{"calculator note", "48/2 = <<48/2=24>>24 clips", "48/2 = 24 clips"},
		// numbers are content
		{"digits untouched", "compute 3+5", "compute 3+5"},
		{"thousands untouched", "6,000,000", "6,000,000"},
		{"thin space thousands", `$10\,000$ and $2\, x$`, `$10000$ and $2 x$`},
		{"braced comma", `$10{,}000$`, `$10,000$`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Text(tc.in); got != tc.want {
				t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if got := Text(Text(tc.in)); got != Text(tc.in) {
				t.Errorf("Text not idempotent on %q: %q then %q", tc.in, Text(tc.in), got)
			}
		})
	}
}

func TestDisplay(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"line breaks kept, one per run", "Options:\n\n  A. 1 \n B. 2", "Options:\nA. 1\nB. 2"},
		{"spaces collapse", "a   b\t c", "a b c"},
		{"asy comments keep their line", "[asy]\n// axes\ndraw((0,0)--(1,0));\n[/asy]", "[asy]\n// axes\ndraw((0,0)--(1,0));\n[/asy]"},
		{"display math inline", "Let\n\\[x = \\dfrac12\\]\nthen", "Let\n$x = \\frac{1}{2}$\nthen"},
		{"line break just inside math dropped", "$\n x \n$", "$x$"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Display(tc.in)
			if got != tc.want {
				t.Errorf("Display(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if Display(got) != got {
				t.Errorf("Display not idempotent on %q", tc.in)
			}
			if Text(got) != Text(tc.in) {
				t.Errorf("Text(Display(%q)) = %q, Text = %q", tc.in, Text(got), Text(tc.in))
			}
		})
	}
}

func TestTextKeepsDifferentProblemsDifferent(t *testing.T) {
	pairs := [][2]string{
		{"compute 3+5", "compute 4+7"},
		{"$x^2$", "$x^3$"},
		{"Find 1.5 + 2.5", "Find 15 + 25"},
		{`\frac{1}{2}`, `\frac{2}{1}`},
		{"x² ", "x2"},
		{"a - b", "a + b"},
	}
	for _, p := range pairs {
		if Text(p[0]) == Text(p[1]) {
			t.Errorf("Text(%q) == Text(%q) == %q", p[0], p[1], Text(p[0]))
		}
	}
}

func TestTextMakesFormattingVariantsEqual(t *testing.T) {
	pairs := [][2]string{
		{`\(\dfrac{1}{2}\)`, `$\frac{1}{2}$`},
		{`\[x\]`, `$$x$$`},
		{`$\left(x\right)$`, `$(x)$`},
		{"a  \n b", "a b"},
		{`\frac12`, `\frac{1}{2}`},
	}
	for _, p := range pairs {
		if Text(p[0]) != Text(p[1]) {
			t.Errorf("Text(%q) = %q != Text(%q) = %q", p[0], Text(p[0]), p[1], Text(p[1]))
		}
	}
}

// TestTextAIME2024Copies checks how many of the AIME 2024 problems that
// differ between aime24/ and deepscaler/test/aime.json become identical.
func TestTextAIME2024Copies(t *testing.T) {
	dir := datasetsDir(t)
	a := readJSONLFile(t, filepath.Join(dir, "aime24", "test.jsonl"))
	b := readJSONArray(t, filepath.Join(dir, "deepscaler", "test", "aime.json"))
	rawSame, normSame := 0, 0
	raws := map[string]bool{}
	norms := map[string]bool{}
	for _, r := range b {
		p, _ := str(r, "problem")
		raws[p] = true
		norms[Text(p)] = true
	}
	for _, r := range a {
		p, _ := str(r, "problem")
		if raws[p] {
			rawSame++
		}
		if norms[Text(p)] {
			normSame++
		}
	}
	t.Logf("AIME 2024: %d of %d identical raw, %d of %d identical after Text", rawSame, len(a), normSame, len(a))
	// The rest differ in content: three deepscaler copies append [asy]
	// figure code, one appends a link, one has a different word; dedup
	// catches them.
	if normSame < 25 {
		t.Errorf("only %d of 30 identical after Text, want >= 25", normSame)
	}
	if normSame <= rawSame {
		t.Errorf("Text made no formatting variant identical (raw %d, normalized %d)", rawSame, normSame)
	}
}

func TestStripCalculatorNotesGSM8K(t *testing.T) {
	dir := datasetsDir(t)
	for i, r := range readJSONLFile(t, filepath.Join(dir, "gsm8k", "train.jsonl")) {
		sol, _ := str(r, "answer")
		if s := StripCalculatorNotes(sol); containsCalcNote(s) {
			t.Errorf("row %d: calculator note left: %.80q", i+1, s)
		}
	}
}

func containsCalcNote(s string) bool {
	for i := range len(s) {
		if calcNoteLen(s, i) > 0 {
			return true
		}
	}
	return false
}

func TestStripCalculatorNotes(t *testing.T) {
	testutil.CheckStrings(t, "StripCalculatorNotes", StripCalculatorNotes, [][2]string{
		{"48+24 = <<48+24=72>>72", "48+24 = 72"},
		{"a << b", "a << b"},
		{"<<no equals>>", "<<no equals>>"},
		{"<<1+1=2>><<2*2=4>>4", "4"},
	})
}

func TestAnswer(t *testing.T) {
	testutil.CheckStrings(t, "Answer", Answer, [][2]string{
		{`$\dfrac{1}{2}$.`, `\frac{1}{2}`},
		{` 72 `, `72`},
		{`\left( 3, \frac{\pi}{2} \right)`, `( 3, \frac{\pi}{2} )`},
		{`$a$ and $b$`, `$a$ and $b$`},
	})
}

func FuzzText(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s)
	}
	f.Add("\\(a\\)\\(b\\)$$ $ &amp;lt; <sup>{2}</sup> x^{ 2 } \\frac \\frac12 3")
	f.Fuzz(func(t *testing.T, s string) {
		once := Text(s)
		if twice := Text(once); twice != once {
			t.Errorf("not idempotent:\n in:    %q\n once:  %q\n twice: %q", s, once, twice)
		}
		disp := Display(s)
		if again := Display(disp); again != disp {
			t.Errorf("Display not idempotent:\n in:    %q\n once:  %q\n twice: %q", s, disp, again)
		}
		if Text(disp) != once {
			t.Errorf("Text(Display(s)) != Text(s):\n in:   %q\n disp: %q\n %q != %q", s, disp, Text(disp), once)
		}
		if utf8.ValidString(s) && !utf8.ValidString(once) {
			t.Errorf("Text(%q) = %q is not valid UTF-8", s, once)
		}
	})
}

func ExampleText() {
	fmt.Println(Text(`Find \(\dfrac{1}{2} + x²\)  if  \[x = \left( 3 \right)\].`))
	fmt.Println(Text("Natalia sold 48/2 = <<48/2=24>>24 clips &amp; more."))
	// Output:
	// Find $\frac{1}{2} + x^2$ if $x = ( 3 )$.
	// Natalia sold 48/2 = 24 clips & more.
}

func FuzzAnswer(f *testing.F) {
	for _, s := range []string{`$\dfrac{1}{2}$.`, "72", `\text{(C)}`, "$$", "$ $.", `\$5.`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		once := Answer(s)
		if twice := Answer(once); twice != once {
			t.Errorf("Answer not idempotent: %q -> %q -> %q", s, once, twice)
		}
	})
}
