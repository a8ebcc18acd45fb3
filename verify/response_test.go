package verify

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bigmath/bigmath/internal/testutil"
)

func TestResponse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name      string
		gold      string
		response  string
		reason    Reason
		extracted string // checked when the reason is not no_answer or unparsable_gold
	}{
		// Graded answers.
		{"boxed correct", "5", `So $2+3=\boxed{5}$.`, ReasonEqual, "5"},
		{"boxed wrong", "5", `So $2+3=\boxed{6}$.`, ReasonNotEqual, "6"},
		{"boxed fraction equal to decimal gold", `\frac{1}{2}`, `The probability is $\boxed{0.5}$.`, ReasonEqual, "0.5"},
		{"answer line with math", "13", "Reasoning...\n\nAnswer: $13$", ReasonEqual, "13"},      // EasyR1 #382
		{"bold answer line", "13", "Reasoning...\n\n**Answer:** $13$", ReasonEqual, "13"},       // EasyR1 #382
		{"bold final answer", "73", "It is **73**.\n\nFinal Answer: **73**", ReasonEqual, "73"}, // Math-Verify #76
		{"option letter with its content", "(c)", "So the answer is (c) $\\theta^{-1}$.", ReasonEqual, "(c)"},
		{"option letter capital", "(c)", "The answer is (C) $\\theta^{-1}$.", ReasonEqual, "(c)"},
		{"other option letter", "(c)", "So the answer is (b) $\\theta^{2}$.", ReasonNotEqual, `(b) \theta^{2}`},
		{"bare capital option gold", "C", "The answer is: C) 5 apples", ReasonEqual, "C"},
		{"lower-case gold is a variable", "c", "The answer is c) 5 apples", ReasonUnparsableAnswer, "c) 5 apples"},
		{"gsm8k A line", "8", "5 arms + 3 legs = <<5+3=8>>8 new limbs.\nA: 8", ReasonEqual, "8"},
		{"concluding sentence", "12", "The base is 4 and the height 6.\nSo the area is $12$ cm$^2$.", ReasonEqual, "12 cm^2"},
		{"gsm8k marker", "18", "9 * 2 = <<9*2=18>>18\n#### 18", ReasonEqual, "18"},
		{"minerva", `\left( 3, \frac{\pi}{2} \right)`, "Final Answer: The final answer is $\\left( 3, \\frac{\\pi}{2} \\right)$. I hope it is correct.", ReasonEqual, `\left( 3, \frac{\pi}{2} \right)`},
		{"later final answer wins over intermediate box", "10455", "$\\boxed{200}$ after six months.\nFinal Answer: The final answer is $10,455$. I hope it is correct.", ReasonEqual, "10,455"},
		{"box far from the end", "17", `\boxed{17}` + strings.Repeat(" Double-checking the arithmetic.", 200), ReasonEqual, "17"}, // verl #7440
		{"listing candidates earns nothing", "2", `\boxed{1}, \boxed{2}, \boxed{3}`, ReasonNotEqual, "1, 2, 3"},
		{"alternatives equal in value", "x+11", `$\boxed{x+11}$ or $\boxed{11+x}$`, ReasonEqual, "x+11"},
		{"forms joined by equals", `\frac{25}{13}`, `$AF=\boxed{\frac{25}{13}} = \boxed{1\frac{12}{13}}$ units.`, ReasonEqual, `\frac{25}{13}`},

		// No final answer.
		{"hedged alternatives", "2", `It is $\boxed{2}$ or $\boxed{3}$.`, ReasonNoAnswer, ""},
		{"truncated box", `\frac{7}{2}`, `so the sum is \boxed{\frac{7}{2`, ReasonNoAnswer, ""},                                               // verl #7440
		{"gold in text without commitment", "7", "We get x = 7 and then y = 3, so x + y = 10.\nLet me also check x - y.", ReasonNoAnswer, ""}, // no last-number fallback
		{"empty box", "5", `\boxed{}`, ReasonNoAnswer, ""},                                                                                    // verl-omni #644
		{"empty response", "5", "", ReasonNoAnswer, ""},
		{"unclosed think", "4", "<think>2+2 is \\boxed{4}", ReasonNoAnswer, ""},

		// The gold is judged first.
		{"broken gold without answer", `\frac{`, "I am not sure what to do here at all.", ReasonUnparsableGold, ""},
		{"broken gold with answer", `\frac{`, `\boxed{5}`, ReasonUnparsableGold, ""},
		{"empty gold and empty response", "", "", ReasonUnparsableGold, ""}, // verl-omni #644
		{"empty gold and empty box", "", `\boxed{}`, ReasonUnparsableGold, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v := Response(ctx, tc.gold, tc.response, Options{})
			if v.Reason != tc.reason {
				t.Fatalf("Response(%q, %.80q) = %s, want reason %s", tc.gold, tc.response, fmtVerdict(v), tc.reason)
			}
			wantCorrect := tc.reason == ReasonEqual
			if v.Correct != wantCorrect || (v.Reward == 1) != wantCorrect || (v.Reward != 0 && v.Reward != 1) {
				t.Errorf("Response(%q, %.80q) = %s: correct/reward inconsistent with %s", tc.gold, tc.response, fmtVerdict(v), tc.reason)
			}
			switch tc.reason {
			case ReasonNoAnswer:
				// The gold is still described.
				canon, kind, err := Canonical(ctx, tc.gold, Options{})
				if err != nil {
					t.Fatalf("Canonical(%q): %v", tc.gold, err)
				}
				if v.Kind != kind || v.GoldCanonical != canon || v.Extracted != "" || v.PredCanonical != "" {
					t.Errorf("Response(%q, %.80q) = %s, want kind %s gold %q and nothing extracted", tc.gold, tc.response, fmtVerdict(v), kind, canon)
				}
			case ReasonUnparsableGold:
				if v.GoldCanonical != "" || v.Kind != "" {
					t.Errorf("Response(%q, %.80q) = %s: a broken gold has no kind or canonical form", tc.gold, tc.response, fmtVerdict(v))
				}
			default:
				if v.Extracted != tc.extracted {
					t.Errorf("Response(%q, %.80q).Extracted = %q, want %q", tc.gold, tc.response, v.Extracted, tc.extracted)
				}
				// Same verdict as grading the extracted answer directly.
				a := Answer(ctx, tc.gold, tc.extracted, Options{})
				if a.Correct != v.Correct || a.Reason != v.Reason {
					t.Errorf("Answer(%q, %q) = %s, Response gave %s", tc.gold, tc.extracted, fmtVerdict(a), fmtVerdict(v))
				}
			}
		})
	}
}

// TestResponseNoInternalError runs Response over every extraction case and
// sample: no check may end in a recovered panic.
func TestResponseNoInternalError(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	responses := make([]string, 0, len(extractCases))
	for _, tc := range extractCases {
		responses = append(responses, tc.response)
	}
	for _, s := range testutil.ExtractSamples(t, filepath.Join("testdata", "extract")) {
		responses = append(responses, s.Response)
	}
	for _, gold := range []string{"5", `\frac{3}{56}`, "x=1, y=2", `\text{Evelyn}`, `\frac{`} {
		for _, r := range responses {
			if v := Response(ctx, gold, r, Options{}); v.Reason == ReasonInternalError {
				t.Errorf("Response(%q, %.80q) = %s", gold, r, fmtVerdict(v))
			}
		}
	}
}

func TestResponseCanceled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	v := Response(ctx, "5", `\boxed{5}`, Options{})
	if v.Reason == ReasonInternalError || (v.Correct && v.Reason != ReasonEqual) {
		t.Errorf("Response on a canceled context = %s", fmtVerdict(v))
	}
}

func fmtVerdict(v Verdict) string {
	return string(v.Reason) + " " + strings.Join([]string{
		"correct=" + map[bool]string{true: "true", false: "false"}[v.Correct],
		"extracted=" + v.Extracted, "kind=" + string(v.Kind),
		"gold=" + v.GoldCanonical, "pred=" + v.PredCanonical,
	}, " ")
}

func BenchmarkResponse(b *testing.B) {
	ctx := context.Background()
	resp := realisticResponse(4 << 10)
	if v := Response(ctx, `\frac{3}{56}`, resp, Options{}); !v.Correct {
		b.Fatalf("Response(realistic) = %s", fmtVerdict(v))
	}
	b.ReportAllocs()
	for b.Loop() {
		Response(ctx, `\frac{3}{56}`, resp, Options{})
	}
}

func ExampleResponse() {
	ctx := context.Background()
	v := Response(ctx, `\frac{1}{2}`, `The probability is $\boxed{0.5}$.`, Options{})
	fmt.Println(v.Correct, v.Reward, v.Extracted, v.Reason)
	v = Response(ctx, "7", "We get x = 7, so we continue with y", Options{})
	fmt.Println(v.Correct, v.Reward, v.Reason)
	// Output:
	// true 1 0.5 equal
	// false 0 no_answer
}
