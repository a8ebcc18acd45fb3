package verify

import (
	"context"
	"slices"
	"testing"

	"github.com/bigmath/bigmath/internal/testutil"
)

func TestGoldFromSolution(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name, problem, solution, want string
		status                        GoldStatus
	}{
		{"one box", "Compute 2+3.", `So the sum is $\boxed{5}$.`, "5", GoldFound},
		{"same box twice", "Compute 2+3.", `We get \boxed{5}. Hence \boxed{5}.`, "5", GoldFound},
		{"equal values", "Compute 1/2.", `It is \boxed{\frac12}, that is \boxed{0.5}.`, `\frac12`, GoldFound},
		{"find all collects", "Find all real $x$ with $x^2+x-2=0$.", `Factoring, $x=\boxed{-2}$. The other root is $x = \boxed{1}$.`, "-2, 1", GoldFound},
		{"all possible values", "Enter all possible values of $\\theta$, separated by commas.", `First \boxed{30^\circ}. Next \boxed{45^\circ}. Finally \boxed{105^\circ}.`, `30^\circ, 45^\circ, 105^\circ`, GoldFound},
		{"find all dedups", "Find all $x$.", `\boxed{1}. Again \boxed{2}. Check: \boxed{1}.`, "1, 2", GoldFound},
		{"also accepted is not the answer", "What is $x$?", `Thus $x = \boxed{-3}$. (The answer \boxed{3} is also accepted.)`, "-3", GoldFound},
		{"alternatively is not the answer", "Simplify.", "We get $\\boxed{2\\sqrt2}$.\nAlternatively $\\boxed{\\sqrt8}$ in another form.", `2\sqrt2`, GoldFound},
		{"different boxes unclear", "What is $x$?", `First $\boxed{3}$. Then the result is $\boxed{4}$.`, "", GoldUnclear},
		{"final group of a system", "Solve the system.", `Then $x=\boxed{1}$, $y=\boxed{2}$`, "x=1, y=2", GoldFound},
		{"one of several is unclear", "Find the coordinates of one of the foci.", `The foci are $\boxed{(1,0)}$ and $\boxed{(-1,0)}$.`, "", GoldUnclear},
		{"gsm8k line", "How many?", "She has 3+4 = <<3+4=7>>7.\n#### 7", "7", GoldFound},
		{"gsm8k thousands", "How much?", "He pays 1,080.\n#### 1,080", "1,080", GoldFound},
		{"no answer", "Prove it.", "This proves the claim.", "", GoldNone},
		{"empty box", "What is it?", `So \boxed{}.`, "", GoldNone},
		{"truncated box", "What is it?", `First \boxed{3}. Then \boxed{\frac{1}{`, "", GoldNone},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, st := GoldFromSolution(ctx, tc.problem, tc.solution)
			if got != tc.want || st != tc.status {
				t.Errorf("GoldFromSolution = %q, %s; want %q, %s", got, st, tc.want, tc.status)
			}
		})
	}
}

func TestStripChatEnd(t *testing.T) {
	testutil.CheckStrings(t, "StripChatEnd", StripChatEnd, [][2]string{
		{"x\\boxed{1}<|im_end|>\n<|endoftext|><|endoftext|>  ", "x\\boxed{1}"},
		{"\\boxed{2}<|eot_id|>", "\\boxed{2}"},
		{"a<|im_end|>b", "a<|im_end|>b"},
		{"<|im_end|>", ""},
		{"done</s>", "done"},
		{"Gemma <end_of_turn>\n<eos>", "Gemma"},
		{"no tokens \n", "no tokens"},
	})
}

// TestEndTokensEndExtraction checks that Extract stops at every token of
// EndTokens, and that the list is a copy.
func TestEndTokensEndExtraction(t *testing.T) {
	toks := EndTokens()
	if len(toks) == 0 {
		t.Fatal("no end tokens")
	}
	for _, tok := range toks {
		if got, ok := Extract(`\boxed{1}` + tok + `\boxed{2}`); !ok || got != "1" {
			t.Errorf("Extract with %s: %q, %v; want 1", tok, got, ok)
		}
		if got := StripChatEnd("y" + tok); got != "y" {
			t.Errorf("StripChatEnd(y%s) = %q", tok, got)
		}
	}
	toks[0] = "changed"
	if slices.Contains(EndTokens(), "changed") {
		t.Error("EndTokens returns a shared slice")
	}
}

// TestNonBareGolds grades golds that are not bare values: a gold with a box,
// math delimiters, a full stop or trailing words, or a whole solution, is
// read as the answer it states; a gold whose boxes disagree stays unusable.
func TestNonBareGolds(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name, gold, pred string
		correct          bool
		reason           Reason // "": any reason
	}{
		{"boxed in dollars", `$\boxed{5}$`, "5", true, ReasonEqual},
		{"dollars and full stop", `$\frac{1}{2}$.`, "0.5", true, ReasonEqual},
		{"full stop", `12.`, "12", true, ReasonEqual},
		{"marker sentence", `The answer is $7$.`, "7", true, ReasonEqual},
		{"solution with box", "We factor it. Therefore, $(A, B) = \\boxed{(-6, 10)}.$", "(-6,10)", true, ReasonEqual},
		{"solution with box, wrong pred", "We factor it. Therefore, $(A, B) = \\boxed{(-6, 10)}.$", "(10,-6)", false, ReasonNotEqual},
		{"repeated final box", `So \boxed{004} is right.` + "\n\n**Final Answer**\n" + `\boxed{004}`, "4", true, ReasonEqual},
		{"boxes joined into one answer", `\boxed{1} papers and \boxed{2} bins`, "1, 2", true, ReasonEqual},
		{"adjacent boxes", `$\boxed{1}\boxed{2}$`, "2, 1", true, ReasonEqual},
		{"box with and", `\[ \boxed{p = -1 \text{ and } p = \dfrac{15}{8}} \]`, "p=-1,p=\\frac{15}{8}", true, ReasonEqual},
		{"solution ending in a concluding sentence", "We add the parts.\nSo the total is $12$.", "12", true, ReasonEqual},
		{"boxes that disagree", `First \boxed{3}. Then, differently, \boxed{4}.`, "4", false, ReasonUnparsableGold},
		{"prose without an answer", `We could not decide this one at all today.`, "5", false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := Answer(ctx, tc.gold, tc.pred, Options{})
			if v.Correct != tc.correct || tc.reason != "" && v.Reason != tc.reason {
				t.Errorf("Answer(%q, %q) = %v (%s), want %v (%s)", tc.gold, tc.pred, v.Correct, v.Reason, tc.correct, tc.reason)
			}
		})
	}
}
