package verify

import (
	"bufio"
	"context"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// confCase is one line of a shared conformance file (testdata/*_cases.jsonl).
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

func loadCases(t testing.TB, name string) []confCase {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	defer f.Close()
	var out []confCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	line := 0
	for sc.Scan() {
		line++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var c confCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("%s:%d: %v", name, line, err)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	return out
}

// disagreements reads the ids listed in testdata/DISAGREEMENTS.md
// (lines "- `id`: argument").
func disagreements(t testing.TB) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "DISAGREEMENTS.md"))
	if err != nil {
		t.Fatalf("read DISAGREEMENTS.md: %v", err)
	}
	re := regexp.MustCompile("(?m)^- `([^`]+)`: (.+)$")
	out := map[string]string{}
	for _, m := range re.FindAllStringSubmatch(string(b), -1) {
		out[m[1]] = m[2]
	}
	return out
}

// policyVerdicts reads the documented verdicts of the expected=null cases
// (lines "- policy `id`: true|false — reason").
func policyVerdicts(t testing.TB) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "DISAGREEMENTS.md"))
	if err != nil {
		t.Fatalf("read DISAGREEMENTS.md: %v", err)
	}
	re := regexp.MustCompile("(?m)^- policy `([^`]+)`: (true|false) ")
	out := map[string]bool{}
	for _, m := range re.FindAllStringSubmatch(string(b), -1) {
		out[m[1]] = m[2] == "true"
	}
	return out
}

// unsupportedConfig returns why a case's config asks for a mode bigmath
// does not offer, or "".
func unsupportedConfig(c confCase) string {
	if c.Config == nil {
		return ""
	}
	if mt, ok := c.Config["match_types"].([]any); ok {
		latex := false
		for _, m := range mt {
			if m == "latex" {
				latex = true
			}
		}
		_, direct := c.Config["precision"] // precision pairs restated from direct grader calls
		if !latex && !direct {
			return "Math-Verify plain-expression extraction mode (match_types without latex: decimal commas, numbers anywhere in prose) is not offered"
		}
		if needsExtraction(c.Pred) || needsExtraction(c.Gold) {
			return "Math-Verify LaTeX-only extraction mode (match_types) decides which math span of the prose counts; our extraction has its own rules, tested in extract_test.go"
		}
	}
	if _, ok := c.Config["extraction"]; ok {
		return "multiple-choice letter extraction from prose is not offered"
	}
	if v, ok := c.Config["allow_set_relation_comp"].(bool); ok && v {
		return "Math-Verify's allow_set_relation_comp flag (interval gold accepts an inequality prediction) is not offered: our asymmetry is fixed"
	}
	if v, ok := c.Config["strict"].(bool); ok && !v {
		return "non-strict variable renaming (f(x) = f(y)) is not offered: variable names matter"
	}
	return ""
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

// precisionDigits maps Math-Verify's precision config (decimal places) to
// Options.SignificantDigits at the magnitude of the gold's first number:
// sig = places + floor(log10|x|) + 1.
func precisionDigits(t testing.TB, gold string, places int) int {
	st := newState(context.Background(), Options{})
	n, err := st.parseAnswer(gold)
	if err != nil {
		return places
	}
	var first *node
	var walk func(n *node)
	walk = func(n *node) {
		if first != nil || n == nil {
			return
		}
		if isScalar(n) && !hasVars(n) {
			first = n
			return
		}
		for _, a := range n.args {
			walk(a)
		}
	}
	walk(n)
	if first == nil {
		return places
	}
	b, err := (&bev{s: st, prec: 128}).eval(first)
	if err != nil {
		return places
	}
	f, _ := new(big.Float).Abs(b.re.m).Float64()
	e := 0
	for f >= 10 {
		f /= 10
		e++
	}
	for f > 0 && f < 1 {
		f *= 10
		e--
	}
	return places + e + 1
}

type confTally struct{ pass, skip, disagree, fail, null int }

func TestConformance(t *testing.T) {
	dis := disagreements(t)
	policy := policyVerdicts(t)
	seen := map[string]bool{}
	for _, file := range confFiles {
		cases := loadCases(t, file)
		var tally confTally
		t.Run(strings.TrimSuffix(file, ".jsonl"), func(t *testing.T) {
			for _, c := range cases {
				t.Run(c.ID, func(t *testing.T) {
					seen[c.ID] = true
					if why := unsupportedConfig(c); why != "" {
						tally.skip++
						t.Skip(why)
					}
					opts := Options{Timeout: time.Second}
					if p, ok := c.Config["precision"].(float64); ok {
						opts.SignificantDigits = precisionDigits(t, c.Gold, int(p))
					}
					gold, _, gok := answerOf(c.Gold)
					pred, extracted, pok := answerOf(c.Pred)
					var v Verdict
					switch {
					case !gok:
						v = Verdict{Reason: ReasonUnparsableGold}
					case !pok:
						v = Verdict{Reason: ReasonNoAnswer}
					default:
						v = Answer(context.Background(), gold, pred, opts)
					}
					if v.Reason == ReasonInternalError {
						t.Fatalf("internal error: gold %q pred %q", gold, pred)
					}
					if c.Expected == nil {
						tally.null++
						want, documented := policy[c.ID]
						if !documented {
							t.Errorf("policy case not documented in DISAGREEMENTS.md: gold %q pred %q -> %v (%s)", gold, pred, v.Correct, v.Reason)
						} else if v.Correct != want {
							t.Errorf("policy case: gold %q pred %q -> %v (%s), documented %v", gold, pred, v.Correct, v.Reason, want)
						}
						return
					}
					want := *c.Expected
					if v.Correct == want {
						tally.pass++
						if _, listed := dis[c.ID]; listed {
							t.Errorf("listed in DISAGREEMENTS.md but now agrees")
						}
						return
					}
					if !want {
						tally.fail++
						t.Fatalf("FALSE POSITIVE: gold %q pred %q accepted (%s)", gold, pred, v.Reason)
					}
					if arg, listed := dis[c.ID]; listed {
						tally.disagree++
						t.Logf("disagreement: %s", arg)
						return
					}
					tally.fail++
					t.Errorf("gold %q pred %q (extracted=%v): got %v (%s, gold %q pred %q), want %v",
						gold, pred, extracted, v.Correct, v.Reason, v.GoldCanonical, v.PredCanonical, want)
				})
			}
		})
		t.Logf("%s: pass %d, skip %d, disagree %d, fail %d, policy(null) %d", file, tally.pass, tally.skip, tally.disagree, tally.fail, tally.null)
	}
	var stale []string
	for id := range dis {
		if !seen[id] {
			stale = append(stale, id)
		}
	}
	sort.Strings(stale)
	if len(stale) > 0 {
		t.Errorf("DISAGREEMENTS.md lists unknown ids: %v", stale)
	}
}
