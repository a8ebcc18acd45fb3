package verify

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bigmath/bigmath/internal/testutil"
)

// extractCase is one row of the extraction table. ok=false rows expect no
// answer; want is then ignored.
type extractCase struct {
	name     string
	response string
	want     string
	ok       bool
}

var extractCases = []extractCase{
	// Boxes.
	{"boxed", `The sum is $2+3 = \boxed{5}$.`, "5", true},
	{"boxed at end", `so the answer is \boxed{42}`, "42", true},
	{"fbox", `Hence \fbox{7}.`, "7", true},
	{"boxed with space before brace", `\boxed {12}`, "12", true},
	{"boxed without braces", `The value is $\boxed 5$.`, "5", true},
	{"boxed without braces at end", `\boxed 5`, "5", true},
	{"boxed without braces before display close", `\[\boxed 9\]`, "9", true},
	{"boxed text", `The winner is $\boxed{\text{Evelyn}}$.`, `\text{Evelyn}`, true},
	{"boxed multiple choice", `$\boxed{\text{(C)}}.$`, `\text{(C)}`, true},
	{"last box wins", `First $\boxed{3}$, but that is wrong. Recomputing gives $\boxed{4}$.`, "4", true},
	{"boxed fraction", `$= \boxed{\frac{14}{3}}$`, `\frac{14}{3}`, true},
	{"boxed dollars inside", `\boxed{$5$}`, "5", true},
	{"boxed trailing period inside", `\boxed{5.}`, "5", true},
	{"boxed display math", "Thus:\n\\[\n\\boxed{[-4, 0]}\n\\]", "[-4, 0]", true},
	{"boxed in align", `\begin{align*} x &= \sqrt{117} = \boxed{3\sqrt{13}}. \end{align*}`, `3\sqrt{13}`, true},
	{"boxed far from the end", `\boxed{17}` + strings.Repeat(" Checking the work once more.", 100), "17", true}, // verl #7440: no fixed window
	{"double escaped backslashes", `the answer should be \\boxed{004}.\n\nSo \\boxed{004}`, "004", true},
	{"boxed command glued to letters is not a box", `\boxedsymbol{3} and \fboxsep{2}` + "\nThat is all.", "", false},
	{"sequence of boxes is not a list", `\boxed{1} then \boxed{2}`, "2", true},
	{"spacing at the end of a box", `\boxed{12\,}`, "12", true},
	{"boxed units", `area $\boxed{15\mbox{ cm}^2}.$`, `15\mbox{ cm}^2`, true},
	{"boxed with thin-space thousands", `is $\boxed{11,\! 111,\! 111,\! 100}$`, `11,\! 111,\! 111,\! 100`, true},

	// Nested and escaped braces.
	{"nested braces", `$\boxed{\frac{\sqrt{3}}{2}}$`, `\frac{\sqrt{3}}{2}`, true},
	{"escaped braces", `\boxed{\{1, 2\}}`, `\{1, 2\}`, true},
	{"escaped closing brace only", `\boxed{\left\{ x \right.}`, `\left\{ x \right.`, true},
	{"nested box belongs to outer", `\boxed{\boxed{8}}`, `\boxed{8}`, true},
	{"box in box then later box", `\boxed{a\boxed{1}} then \boxed{2}.`, "2", true},
	{"deep nesting", `\boxed{` + strings.Repeat("{", 10000) + "7" + strings.Repeat("}", 10000) + "}", strings.Repeat("{", 10000) + "7" + strings.Repeat("}", 10000), true},

	// Markers.
	{"the answer is", `We add them. The answer is 12.`, "12", true},
	{"final answer is minerva", `Final Answer: The final answer is $28 \%$. I hope it is correct.`, `28 \%`, true},
	{"final answer is plain", `So x=3. The final answer is 14400. I hope it is correct.`, "14400", true},
	{"answer is with math sentence", `The answer is $x = 1$ or $x = 2$.`, "x = 1 or x = 2", true},
	{"answer is colon", "The answer is: $\\frac{1}{2}$", `\frac{1}{2}`, true},
	{"answer is on next line", "The final answer is:\n\n$$\n\\frac{\\pi}{2}\n$$", `\frac{\pi}{2}`, true},
	{"answer would be", `Then the answer would be 9.`, "9", true},
	{"answer equals sign", `answer = 17`, "17", true},
	{"marker in capitals", `FINAL ANSWER: 6`, "6", true},
	{"answer is filler", `The answer is therefore 30.`, "30", true},
	{"prose final answer", `Final Answer: The largest $n$ is 34.`, "34", true},
	{"prose final answer with special token", "Final Answer: The maximum number of points that could be in the domain of $f(x)$ is 19. <|im_start|>user", "19", true},
	{"prose final answer without a value", `Final Answer: Jane started growing Sphere 3 hours ago.`, "Jane started growing Sphere 3 hours ago", true},
	{"answers is not a marker", `The answers are in the back of the book.`, "", false},
	{"answer the question is not a marker", "Answer the following question about 5 apples and 7 pears, then think.", "", false},
	{"last marker wins", "The answer is 4.\nWait, I mis-added. The answer is 5.", "5", true},
	{"decimal is not a sentence end", `The answer is 3.5.`, "3.5", true},
	{"factorial is kept", `The answer is $5!$`, "5!", true},
	{"currency dollar", `The answer is \$16.50.`, `\$16.50`, true},
	{"unmatched dollar is a currency sign", `The answer is $5 per apple.`, "5 per apple", true},
	{"answer fullwidth colon", `Answer：42`, "42", true},
	{"answer then inline math", "Answer $ \n 9 \n $", "9", true},
	{"answer then display math", "Answer \\[ \n 9 \n \\]", "9", true},
	{"escaped dollar inside math", `Answer $ \frac{1}{2} \$ = \frac{10}{9} $`, `\frac{1}{2} \$ = \frac{10}{9}`, true},
	{"inline math does not cross a blank line", "The answer is $5.\n\nWe paid $6 for it.", "5", true},

	// "Answer:" lines.
	{"answer colon", "Let me think.\n\nAnswer: 7", "7", true},
	{"answer colon math", "Answer: $13$", "13", true},                  // EasyR1 #382
	{"bold answer colon math", "**Answer:** $13$", "13", true},         // EasyR1 #382
	{"bold answer then colon", "**Answer**: $13$", "13", true},         // markdown variant
	{"dapo answer line", "... so 13 it is.\nAnswer: 13\n", "13", true}, // verl math_dapo format
	{"answer colon after box agrees", `\boxed{5}` + "\n\nAnswer: 5", "5", true},
	{"answer colon then explanation line", "Answer: 8\nThis is because 2^3 = 8.", "8", true},
	{"heading answer prm800k", "So the gcf is $320,\\!000$.\n\n# Answer\n\n320,000", "320,000", true},
	{"heading final answer bold box", "Checking again.\n\n**Final Answer**\n\\[\n\\boxed{189}\n\\]", "189", true},
	{"bold heading with answer on the line", "We compare the three.\n\n**Final Answer** Navin", "Navin", true},
	{"bold heading with math on the line", "We add.\n\n**Final Answer** $12$", "12", true},
	{"bold heading then is", "We add.\n**Final Answer** is 12", "12", true},
	{"heading final answer plain", "### Final Answer\n\n$\\frac{3}{56}$", `\frac{3}{56}`, true},

	// GSM8K "####".
	{"gsm8k", "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nNatalia sold 48+24 = <<48+24=72>>72 clips.\n#### 72", "72", true},
	{"gsm8k thousands", "He earns 1,080 dollars.\n#### 1,080", "1,080", true},
	{"gsm8k heading is not an answer", "#### Final Answer\n\\boxed{9}", "9", true},
	{"numbered markdown heading is not a gsm8k marker", "#### 3. Compute the sum\nWe add the two parts and then we stop here.", "", false},
	{"gsm8k with unit", "So he pays 1,080 dollars.\n#### 1,080 dollars", "1,080 dollars", true},
	{"gsm8k mid line is not a marker", "a ####5 b\nand more text after it", "", false},

	// Markdown bold.
	{"bold final answer", "Thus the number of residents who own all four of the things is **73**.\n\n--- \n\nFinal Answer: **73**", "73", true}, // Math-Verify #76
	{"bold sentence", "**The answer is 73.**", "73", true},
	{"bold answer is", "The answer is **73**.", "73", true},
	{"bold math", "Answer: **$13$**", "13", true},

	// Math delimiters.
	{"inline dollars", "The answer is $\\frac{1}{12}$.", `\frac{1}{12}`, true},
	{"display dollars", "The answer is $$\\sin(x)$$", `\sin(x)`, true},
	{"paren delimiters", "The final answer is \\((-6, 10)\\). I hope it is correct.", "(-6, 10)", true},
	{"bracket delimiters", "The answer is \\[ 2\\pi \\]", `2\pi`, true},
	{"quoted answer", "Final Answer: The final answer is \"$12 $ and $13 $\". I hope it is correct.", "12  and 13", true},

	// Precedence of boxes and markers.
	{"later final answer overrides intermediate box", `$0.04 \cdot 10,000 = \boxed{200}$ ... so Dr. Zaius has $10,455. Final Answer: The final answer is $10,455$. I hope it is correct.`, "10,455", true},
	{"marker before box: box wins", `The final answer is $\boxed{7}$.`, "7", true},
	{"box after marker wins", "The answer is 3. Let me double check... actually $\\boxed{4}$.", "4", true},
	{"non-math marker does not override box", `$\boxed{5}$. I am confident the answer is correct.`, "5", true},
	{"verification after box keeps the box", "$\\boxed{5}$\n\nLet me check the answer: 2+3 = 5.", "5", true},
	{"prose after box keeps the box", "$\\boxed{5}$. The answer is consistent with 2+3=5.", "5", true},
	{"answer line after box overrides", "$\\boxed{5}$\n\nAnswer: 6", "6", true},
	{"final answer colon after box overrides", "$\\boxed{5}$ so the Final **Answer**: 6", "6", true},
	{"weak marker without a box counts", "So we check the answer: 6", "6", true},
	{"final answer heading then box", "**Final Answer**\n\\boxed{840}", "840", true},
	{"box in think is not the answer", "<think>maybe \\boxed{3}</think>\n\nThe answer is $\\boxed{4}$.", "4", true},
	{"box only in think", "<think>so \\boxed{3}</think>\n\nI could not finish the problem.", "", false},

	// Multiple boxes.
	{"identical boxes", `So, \boxed{004} is the correct answer.` + "\n\n**Final Answer**\n" + `\boxed{004}`, "004", true},
	{"identical adjacent boxes", `\boxed{6} \boxed{6}`, "6", true},
	{"alternatives", `The answer is $\boxed{2}$ or $\boxed{3}$.`, "", false},
	{"alternatives text or", `$\boxed{2} \text{ or } \boxed{3}$`, "", false},
	{"alternatives lor", `$\boxed{2} \lor \boxed{3}$`, "", false},
	{"identical alternatives", `$\boxed{2}$ or $\boxed{2}$`, "2", true},
	{"list with and", `\boxed{1} and \boxed{2} and \boxed{3}`, "1, 2, 3", true},
	{"list with commas", `\boxed{1},\boxed{2},\boxed{3}`, "1, 2, 3", true},
	{"list with quad text and", `$$\boxed{(2, 2)} \quad \text{and} \quad \boxed{(6, 2)}$$`, "(2, 2), (6, 2)", true},
	{"list of labelled equations", `$$\boxed{k = 45} \quad \text{and} \quad \boxed{n = 2}$$`, "k = 45, n = 2", true},
	{"system with labels outside", `Therefore $x = \boxed{1}$ and $y=\boxed{2}$.`, "x=1, y=2", true},
	{"system with subscripted labels", `$a_3 = \boxed{2}$, $a_{37} = \boxed{19}$`, "a_3=2, a_{37}=19", true},
	{"mixed labels drop labels", `$x = \boxed{1}$ and $\boxed{2}$`, "1, 2", true},
	{"word before equals is not a label", `total = \boxed{5} and \boxed{6}`, "5, 6", true},
	{"list with units", `\boxed{1} papers and \boxed{2} bins`, "1, 2", true},
	{"separate sentences: later box wins", `\boxed{1} no no no no no \boxed{2}`, "2", true},
	{"sentence between boxes", `We get \boxed{1}. Then we get \boxed{2}.`, "2", true},
	{"empty box", `The answer is \boxed{}.`, "", false},         // verl-omni #644: empty is never an answer
	{"empty box with space", `\boxed{ }`, "", false},            // verl-omni #644
	{"empty and full box", `\boxed{} and \boxed{5}`, "5", true}, // the empty part is dropped
	{"alternatives equal in value still need the parser", `$\boxed{x+11}$ or $\boxed{11+x}$`, "", false},
	{"two forms joined by equals", `$AF=\boxed{\frac{25}{13}} = \boxed{1\frac{12}{13}}$ units.`, "", false},
	{"identical forms joined by equals", `$\boxed{3} = \boxed{3}$`, "3", true},
	{"answer word mid sentence before math is not a marker", "which is answer choice $\\boxed{\\text{C}}.$\n\nNote that a calculator gives the answer $33.98$ for the actual cost, which confirms it.", `\text{C}`, true},
	{"alternatives in one box stay", `\boxed{x = 1 \text{ or } x = 2}`, `x = 1 \text{ or } x = 2`, true},

	// Truncated responses.
	{"unclosed box", `The answer is \boxed{\frac{1`, "", false}, // verl #7440
	{"unclosed box after a closed one", `First \boxed{3}. Then \boxed{\frac{1`, "", false},
	{"box command at the end", `so the answer is \boxed`, "", false},
	{"marker at the end", "Let me compute. The answer is", "", false},
	{"heading at the end", "\\boxed{5}\n\n**Final Answer**\n", "", false},
	{"marker with unclosed display math", "The answer is $$\\frac{1}{", "", false},
	{"marker with unclosed bracket math", "The answer is \\[ 12", "", false},
	{"marker with unbalanced braces at end", "The answer is $\\frac{1", "", false},
	{"unclosed think", "<think>\nLet me see, 2+2 is 4 so \\boxed{4}", "", false},
	{"truncated mid reasoning", "Let me see. First, we compute 3+4 = 7. Next, we multiply by", "", false},

	// No answer.
	{"empty", "", "", false},
	{"spaces", " \n\t ", "", false},
	{"long reasoning without a final answer", "We know x + y = 10 and x - y = 4.\nAdding gives 2x = 14, so x = 7.\nThen y = 3.", "", false},
	{"no last number fallback", "There are 12 distinct arithmetic sequences that meet the three given conditions.\nI hope it is correct.", "", false},
	{"prose line", "I do not know how to solve this problem.", "", false},

	// Bare responses.
	{"bare number", "42", "42", true},
	{"bare latex", `$\frac{1}{2}$`, `\frac{1}{2}`, true},
	{"bare display", `$$1$$`, "1", true},
	{"bare sentence ending in math", `Therefore, $$3!$$`, "3!", true},
	{"bare sentence ending in inline math", `After solving, we get $1/2$`, "1/2", true},
	{"bare word", `Monday`, "Monday", true},
	{"bare bold", `**73**`, "73", true},
	{"bare two different spans", `$x=2$ so $y=3$`, "", false},
	{"bare span not at end", `We get $5$ apples if we wait`, "", false},
	{"bare with unit after math", `$28$ %`, "28 %", true},
	{"bare with unit word", `$125$ miles`, "125 miles", true},
	{"bare matrix over lines", "\\begin{pmatrix}\n -7 & 6 \\\\\n 11 & -9\n \\end{pmatrix}", "\\begin{pmatrix}\n -7 & 6 \\\\\n 11 & -9\n \\end{pmatrix}", true},
	{"bare display over lines", "$$\n\\frac{1}{2}\n$$", `\frac{1}{2}`, true},
	{"two blocks over lines", "$$1$$\n$$2$$", "", false},
	{"bare long number", strings.Repeat("9", 5000), strings.Repeat("9", 5000), true},

	// GSM8K "A:" lines (OpenAI grade-school-math model outputs).
	{"gsm8k A line", "He grew 5 arms + 3 legs = <<5+3=8>>8 limbs.\nA: 8", "8", true},
	{"gsm8k A line with dollar", "So 2*60 = 120 dollars.\nA: $120", "120", true},
	{"A line must be the last line", "A: 5 apples\nB: 6 apples\nWe compare the two options and then we stop.", "", false},
	{"A line that is empty", "We compute it.\nA:", "", false},
	{"A line after a box overrides it", "\\boxed{5}\nA: 6", "6", true},

	// Concluding sentences (no box, no marker).
	{"conclusion copula math", "The base is 4 and the height 3.\nSo the area is $12$ cm$^2$.", "12 cm^2", true},
	{"conclusion copula plain", "We add them up. Therefore, the probability that Alice wins the game is 2/3.", "2/3", true},
	{"conclusion one span", "We solve the inequality. Therefore $x \\geq 5$ is the solution.", `x \geq 5`, true},
	{"conclusion last span after copula", "So, the ordered pair $(x, y)$ that solves the system is $(7, 6)$.", "(7, 6)", true},
	{"conclusion after flattened text", "we get $y = 8.8 - 2.8 = 6$ So, the ordered pair $(x, y)$ is $(7, 6)$.", "(7, 6)", true},
	{"conclusion then polite closing", "Thus the total is $42$. I hope it is correct.", "42", true},
	{"conclusion with a clause", "Hence the frame must be 51,200 bits if the rate is 1 Gbps.", "51,200 bits", true},
	{"conclusion after a step label", "Step 5) We project.\nStep 6) Therefore, the coordinate vector of x is:\n     [7, 3.5]", "[7, 3.5]", true},
	{"conclusion numbered", "1. We add.\n2. Thus the sum is $9$.", "9", true},
	{"correct option sentence", "We compute the information.\n\nThe correct option is (c).", "(c)", true},
	{"correct option negated", "We compute it.\nThe correct option is not (c).", "", false},
	{"marker answer with a remark", "Therefore, the answer is 3.14 (approximately).", "3.14", true},
	{"conclusion with a remark", "We divide.\nThus the frame size is 512 (in bits).", "512", true},
	{"case split is not cut", "The answer is 5 if n is even and 6 if n is odd.", "5 if n is even and 6 if n is odd", true},
	{"number then a restatement", "Therefore, the answer is 720 ways the 6 people can be seated at the 2 tables.", "720 ways", true},
	{"number then a comparison stays", "The answer is 5 times larger than the first one.", "5 times larger than the first one", true},
	{"number with short unit stays", "The answer is 12 square feet.", "12 square feet", true},
	{"marker answer with a tuple stays", "The answer is (1, 2).", "(1, 2)", true},
	{"conclusion with negation", "We try it. So $x = 3$ is not a solution.", "", false},
	{"conclusion rejecting a root", "We check both roots.\nThus $x=-1$ is extraneous.", "", false},
	{"conclusion with competing spans", "Thus $x = 3$ and $y = 4$ work for $z$.", "", false},
	{"conclusion in prose words", "Therefore, there are 12 distinct arithmetic sequences that meet the conditions.", "", false},
	{"conclusion not last", "Therefore $x = 3$.\nLet us check another approach to this, which is long.", "", false},
	{"sentence without opener", "We find that the area is $12$.\nIt is $12$ then, as we said before the check.", "", false},
	{"marker answer with a clause", "Therefore, the answer is: the minimum frame size should be 51,200 bits if the data rate increases to 1 Gbps.", "51,200 bits", true},
	{"marker answer with an option", "So the answer is (c) $\\theta^{-1}$.", `(c) \theta^{-1}`, true},

	// Chat templates.
	{"im_end", "The answer is \\boxed{5}.<|im_end|>\n<|im_start|>user\nThe answer is \\boxed{6}", "5", true},
	{"openrlhf query with prompt", "<|im_start|>user\nIs the answer \\boxed{2}?<|im_end|>\n<|im_start|>assistant\nIt is \\boxed{3}.<|im_end|>", "3", true},
	{"llama3 query with prompt", "<|start_header_id|>user<|end_header_id|>\n\nIs it \\boxed{2}?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nIt is \\boxed{3}.<|eot_id|>", "3", true},
	{"deepseek query with prompt", "<｜User｜>Is it \\boxed{2}?<｜Assistant｜><think>hmm</think>It is \\boxed{3}.<｜end▁of▁sentence｜>", "3", true},
	{"endoftext", "Answer: 9<|endoftext|>garbage", "9", true},
	{"eos s", "Answer: 9</s>Answer: 10", "9", true},

	// Adversarial inputs: bounded work, no panic.
	{"many boxes", strings.Repeat(`\boxed{1} `, 20000), "1", true},
	{"many open braces", `\boxed{` + strings.Repeat("{", 100000), "", false},
	{"many close braces", strings.Repeat("}", 100000) + `\boxed{3}`, "3", true},
	{"many markers", strings.Repeat("answer answer: ", 20000) + "5", "5", true},
	{"many dollars", "The answer is " + strings.Repeat("$", 100001), "", false},
	{"many backslashes", `\boxed{` + strings.Repeat(`\`, 100001) + "}", "", false},
	{"megabyte of garbage", strings.Repeat("x+y=z ", 1<<18), "", false},
	{"megabyte then box", strings.Repeat("a", 1<<20) + `\boxed{2}`, "2", true},
	{"many unclosed parens", strings.Repeat(`\(`, 500000), "", false},
	{"many unclosed dollars on one line", "x " + strings.Repeat("$ a ", 200000), "", false},
	{"many hashes", strings.Repeat("#", 100000), strings.Repeat("#", 100000), true}, // a bare token: the parser rejects it
	{"box word", strings.Repeat("box ", 50000), "", false},
	{"invalid utf8", "The answer is \xff\xfe.", "\xff\xfe", true},
}

func TestExtract(t *testing.T) {
	t.Parallel()
	for _, tc := range extractCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, ok := extractFinal(tc.response)
			if ok != tc.ok || (ok && got != tc.want) {
				t.Errorf("Extract(%.200q) = %.200q, %v; want %.200q, %v", tc.response, got, ok, tc.want, tc.ok)
			}
		})
	}
}

// TestExtractFiles runs the real-world samples in testdata/extract: each
// NAME.txt response has NAME.want beside it holding the expected answer, or
// the single line "!no_answer".
func TestExtractFiles(t *testing.T) {
	t.Parallel()
	samples := testutil.ExtractSamples(t, filepath.Join("testdata", "extract"))
	if len(samples) == 0 {
		t.Fatal("no testdata/extract/*.txt samples")
	}
	for _, s := range samples {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			want := strings.TrimSuffix(s.Want, "\n")
			wantOK := want != "!no_answer"
			got, ok := Extract(s.Response)
			if ok != wantOK || (ok && got != want) {
				t.Errorf("Extract(%s) = %q, %v; want %q, %v", s.Path, got, ok, want, wantOK)
			}
		})
	}
}

// TestExtractNeverPanics checks that Extract turns a panic into no answer
// and that the internal entry point does not panic on the table.
func TestExtractCleanResult(t *testing.T) {
	t.Parallel()
	for _, tc := range extractCases {
		got, ok := extractFinal(tc.response)
		if !ok {
			if got != "" {
				t.Errorf("Extract(%.80q) = %.80q with ok=false; want empty", tc.response, got)
			}
			continue
		}
		if got == "" || got != strings.TrimSpace(got) {
			t.Errorf("Extract(%.80q) = %q: empty or not trimmed", tc.response, got)
		}
		if !subsequence(stripJoins(got), tc.response) {
			t.Errorf("Extract(%.80q) = %.80q: not taken from the response", tc.response, got)
		}
	}
}

// stripJoins removes the bytes Extract may insert: the ", " between the
// parts of a box group and the "=" of kept labels.
func stripJoins(s string) string {
	return strings.NewReplacer(",", "", " ", "", "=", "").Replace(s)
}

// subsequence reports whether a's bytes appear in order in b.
func subsequence(a, b string) bool {
	j := 0
	for i := 0; i < len(b) && j < len(a); i++ {
		if b[i] == a[j] {
			j++
		}
	}
	return j == len(a)
}

// benchExtract measures Extract on resp; a non-empty want is first checked
// to be what Extract gives (what names the response in the failure).
func benchExtract(b *testing.B, what, resp, want string) {
	b.Helper()
	if want != "" {
		if got, ok := Extract(resp); !ok || got != want {
			b.Fatalf("Extract(%s) = %q, %v", what, got, ok)
		}
	}
	b.SetBytes(int64(len(resp)))
	b.ReportAllocs()
	for b.Loop() {
		Extract(resp)
	}
}

func BenchmarkExtract(b *testing.B) {
	benchExtract(b, "realistic", realisticResponse(4<<10), `\frac{3}{56}`)
}

func BenchmarkExtractMarker(b *testing.B) {
	resp := realisticResponse(4<<10-80) + "\n\nFinal Answer: The final answer is $\\frac{3}{56}$. I hope it is correct."
	benchExtract(b, "realistic marker", resp, `\frac{3}{56}`)
}

func BenchmarkExtractHuge(b *testing.B) {
	resp := strings.Repeat("Adding $x+y=z$ to both sides, the answer follows. ", 1<<20/50) + `\boxed{2}`
	benchExtract(b, "huge", resp, "")
}

func BenchmarkExtractNested(b *testing.B) {
	resp := `\boxed{` + strings.Repeat("{", 10000) + "7" + strings.Repeat("}", 10000) + "}"
	benchExtract(b, "nested", resp, "")
}

// realisticResponse builds a chain of thought of about n bytes in the style
// of MATH solutions, with inline math, an align block, an intermediate
// "answer" word, and a final box.
func realisticResponse(n int) string {
	paras := []string{
		"Let $p(x)$ be the polynomial and let $q(x) = (x^2 - 1)p(x) - x$. Then $q(x)$ has degree 7, and $q(n) = 0$ for $n = 2, 3, 4, \\dots, 7$, so\n\\[q(x) = (ax + b)(x - 2)(x - 3) \\dotsm (x - 7)\\]for some constants $a$ and $b$.\n\n",
		"We know that $q(1) = (1^2 - 1)p(1) - 1 = -1.$ Setting $x = 1$ in the equation above, we get\n\\[q(1) = 720(a + b),\\]so $a + b = -\\frac{1}{720}.$ To check the answer we also need $q(-1)$.\n\n",
		"We also know that $q(-1) = ((-1)^2 - 1)p(-1) + 1 = 1.$ Setting $x = -1$ in the equation above, we get\n\\[q(-1) = 20160(-a + b),\\]so $-a + b = \\frac{1}{20160}.$ Solving for $a$ and $b$, we find $a = -\\frac{29}{40320}$ and $b = -\\frac{3}{4480}.$ Hence,\n\\begin{align*}\nq(x) &= \\left( -\\frac{29}{40320} x - \\frac{3}{4480} \\right) (x - 2)(x - 3) \\dotsm (x - 7) \\\\\n&= -\\frac{(29x + 27)(x - 2)(x - 3) \\dotsm (x - 7)}{40320}.\n\\end{align*}\n\n",
	}
	var sb strings.Builder
	for i := 0; sb.Len() < n-120; i++ {
		sb.WriteString(paras[i%len(paras)])
	}
	sb.WriteString("In particular, \\[q(8) = -\\frac{37}{8},\\]so \\[p(8) = \\frac{q(8) + 8}{8^2 - 1} = \\boxed{\\frac{3}{56}}.\\]")
	return sb.String()
}

func ExampleExtract() {
	for _, r := range []string{
		"Adding the two equations gives $2x = 8$, so $x = \\boxed{4}$.",
		"So 13 it is.\n\n**Answer:** $13$",
		"The answer is either $\\boxed{2}$ or $\\boxed{3}$.",
		"We get $x = 4$, and then we can check",
	} {
		fmt.Println(Extract(r))
	}
	// Output:
	// 4 true
	// 13 true
	//  false
	//  false
}
