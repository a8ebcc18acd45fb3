package verify

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/bigmath/bigmath/internal/sharedtest"
	"github.com/bigmath/bigmath/internal/testutil"
)

// confCase is one line of a shared conformance file
// (../shared/conformance/*_cases.jsonl, read at test time).
type confCase struct {
	ID       string         `json:"id"`
	Category string         `json:"category"`
	Gold     string         `json:"gold"`
	Pred     string         `json:"pred"`
	Expected *bool          `json:"expected"`
	Config   map[string]any `json:"config"`
	Disputed bool           `json:"disputed"`
	Note     string         `json:"note"`
}

var confFiles = []string{"math_verify_cases.jsonl", "peer_cases.jsonl", "answer_forms_cases.jsonl", "stress_cases.jsonl"}

// checkAccuracy logs how many of the labelled cases a run got right and
// fails the test below 97% agreement.
func checkAccuracy(t *testing.T, what string, right, labelled, falsePos int) {
	t.Helper()
	acc := float64(right) / float64(labelled)
	t.Logf("%s: %d/%d right (%.1f%%), %d false positives", what, right, labelled, 100*acc, falsePos)
	if acc < 0.97 {
		t.Errorf("accuracy %.1f%% is below 97%%", 100*acc)
	}
}

func loadCases(t testing.TB, name string) []confCase {
	t.Helper()
	return testutil.ReadJSONL[confCase](t, sharedtest.Conformance(t, name))
}

// confSeeds returns the cases of a shared conformance file for use as
// fuzz seeds, or nil when ../shared is absent (a fuzz target then runs on
// its own corpus instead of being skipped).
func confSeeds(tb testing.TB, name string) []confCase {
	tb.Helper()
	if sharedtest.Root() == "" {
		return nil
	}
	return loadCases(tb, name)
}

// disagreementLines returns the submatches of re in every line of
// testdata/DISAGREEMENTS.md it matches.
func disagreementLines(t testing.TB, re *regexp.Regexp) [][]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "DISAGREEMENTS.md"))
	if err != nil {
		t.Fatalf("read DISAGREEMENTS.md: %v", err)
	}
	return re.FindAllStringSubmatch(string(b), -1)
}

// disagreements reads the ids listed in testdata/DISAGREEMENTS.md
// (lines "- `id`: argument").
func disagreements(t testing.TB) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, m := range disagreementLines(t, regexp.MustCompile("(?m)^- `([^`]+)`: (.+)$")) {
		out[m[1]] = m[2]
	}
	return out
}

// policyVerdicts reads the documented verdicts of the expected=null cases
// (lines "- policy `id`: true|false — reason").
func policyVerdicts(t testing.TB) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, m := range disagreementLines(t, regexp.MustCompile("(?m)^- policy `([^`]+)`: (true|false) ")) {
		out[m[1]] = m[2] == "true"
	}
	return out
}

// needsExtraction reports whether a conformance string is a response (prose
// or several math spans) rather than a bare answer in delimiters.
func needsExtraction(s string) bool {
	t := stripWrappers(s)
	if strings.Contains(t, `\boxed`) || strings.Contains(t, `\(`) || strings.Contains(t, `\[`) {
		return true
	}
	// words outside $...$ spans (other than "and"/"or") are prose
	if strings.Contains(t, "$") {
		parts := strings.Split(t, "$")
		for i := 0; i < len(parts); i += 2 {
			for _, w := range strings.Fields(parts[i]) {
				w = strings.ToLower(strings.Trim(w, ".,:;!?"))
				if len(w) >= 2 && isLetter(w[0]) && isLetter(w[1]) && w != "and" && w != "or" {
					return true
				}
			}
		}
	}
	// prose: several consecutive plain words outside \text{}
	words := 0
	for _, w := range strings.Fields(t) {
		w = strings.Trim(w, ".,:;!?")
		plain := len(w) >= 2
		for i := 0; i < len(w); i++ {
			if !isLetter(w[i]) && w[i] != '\'' {
				plain = false
			}
		}
		if plain && !strings.HasPrefix(w, `\`) && !funcWords[strings.ToLower(w)] {
			words++
			if words >= 3 {
				return true
			}
		} else {
			words = 0
		}
	}
	return false
}

// answerOf returns the bare answer of a conformance string and whether the
// extraction step was used.
func answerOf(s string) (string, bool, bool) {
	if !needsExtraction(s) {
		return stripWrappers(s), false, true
	}
	a, ok := Extract(s)
	return a, true, ok
}

// isResponse reports whether a conformance prediction is fed to Response (a
// model response to extract from) rather than to Answer (an extracted
// answer): it holds a math delimiter ($, \(, \[), a \boxed or the word
// "answer".
func isResponse(pred string) bool {
	if strings.Contains(pred, "$") || strings.Contains(pred, `\boxed`) || strings.Contains(pred, `\(`) || strings.Contains(pred, `\[`) {
		return true
	}
	l := strings.ToLower(pred)
	for from := 0; ; {
		i := strings.Index(l[from:], "answer")
		if i < 0 {
			return false
		}
		i += from
		if (i == 0 || !isLetter(l[i-1])) && (i+6 >= len(l) || !isLetter(l[i+6])) {
			return true
		}
		from = i + 6
	}
}

// judgeCase grades one conformance case as a reward route would: the gold
// as given, the prediction through Response or Answer (see isResponse).
func judgeCase(c confCase) Verdict {
	ctx := context.Background()
	opts := Options{Timeout: time.Second}
	if isResponse(c.Pred) {
		return Response(ctx, c.Gold, c.Pred, opts)
	}
	return Answer(ctx, c.Gold, c.Pred, opts)
}

// TestConformance grades the cases of the four shared conformance files
// that have no config field (configs select Math-Verify modes we do not
// offer). At least 97% of the labelled cases must agree with their label,
// no expected=false case may be accepted, every other disagreement must be
// argued in testdata/DISAGREEMENTS.md, and every policy case (expected
// null) must get its documented verdict.
func TestConformance(t *testing.T) {
	dis := disagreements(t)
	policy := policyVerdicts(t)
	seen := map[string]bool{}
	right, labelled, falsePos := 0, 0, 0
	for _, file := range confFiles {
		cases := loadCases(t, file)
		fileRight, fileLabelled := 0, 0
		t.Run(strings.TrimSuffix(file, ".jsonl"), func(t *testing.T) {
			for _, c := range cases {
				if c.Config != nil {
					continue
				}
				seen[c.ID] = true
				v := judgeCase(c)
				if v.Reason == ReasonInternalError {
					t.Errorf("%s: internal error: gold %q pred %q", c.ID, c.Gold, c.Pred)
				}
				if c.Expected == nil {
					want, documented := policy[c.ID]
					switch {
					case !documented:
						t.Errorf("%s: policy case not documented in DISAGREEMENTS.md: gold %q pred %q -> %v (%s)", c.ID, c.Gold, c.Pred, v.Correct, v.Reason)
					case v.Correct != want:
						t.Errorf("%s: policy case: gold %q pred %q -> %v (%s), documented %v", c.ID, c.Gold, c.Pred, v.Correct, v.Reason, want)
					}
					continue
				}
				labelled++
				fileLabelled++
				want := *c.Expected
				_, listed := dis[c.ID]
				switch {
				case v.Correct == want:
					right++
					fileRight++
					if listed {
						t.Errorf("%s: listed in DISAGREEMENTS.md but now agrees", c.ID)
					}
				case !want:
					falsePos++
					t.Errorf("FALSE POSITIVE %s: gold %q pred %q accepted (extracted %q)", c.ID, c.Gold, c.Pred, v.Extracted)
				case listed:
					t.Logf("%s: disagreement: %s", c.ID, dis[c.ID])
				default:
					t.Errorf("%s: gold %q pred %q: got %v (%s, extracted %q, gold %q pred %q), want %v",
						c.ID, c.Gold, c.Pred, v.Correct, v.Reason, v.Extracted, v.GoldCanonical, v.PredCanonical, want)
				}
			}
		})
		t.Logf("%s: %d/%d labelled cases right", file, fileRight, fileLabelled)
	}
	if labelled == 0 {
		t.Fatal("no labelled conformance cases")
	}
	checkAccuracy(t, "conformance (no config)", right, labelled, falsePos)
	var stale []string
	for id := range dis {
		if !seen[id] {
			stale = append(stale, id)
		}
	}
	sort.Strings(stale)
	if len(stale) > 0 {
		t.Errorf("DISAGREEMENTS.md lists unknown or config ids: %v", stale)
	}
}
