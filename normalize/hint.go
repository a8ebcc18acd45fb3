package normalize

import (
	"strings"
	"unicode"
)

// headingWords mark an AoPS wiki section heading ("Hint", "Solution 2",
// "Explanation of the Question", "Quickest Method of Solving").
var headingWords = wordSet("hint hints solution solutions solving explanation remark remarks walkthrough answer")

// solverTalk are phrases that speak to the solver about solving; after the
// statement's question they are a hint or commentary, not the problem.
var solverTalk = []string{"hint:", "hints:", "solution:", "can be solved", "be solved easily",
	"solved by", "solving this", "to solve this", "you are asked", "the problem asks",
	"the question asks", "type of problem", "kind of problem", "is your friend", "piece of cake",
	"makes you think", "the trick is", "most solutions", "solutions use", "other solutions", "the techniques",
	"this technique"}

// hintAppended reports solver help appended after the statement (see
// HintAppended).
func hintAppended(p prose) (string, bool) {
	raw := p.raw
	if strings.Contains(raw, "[asy]") {
		raw = withoutFigureCode(raw)
	}
	// A section heading on a line of its own, after the question.
	if strings.IndexByte(raw, '\n') >= 0 {
		after := raw
		if lower := strings.ToLower(raw); len(lower) == len(raw) {
			if q := firstQuestionEnd(lower); q >= 0 {
				after = raw[q:]
			}
		}
		lines := strings.Split(after, "\n")
		for k, l := range lines {
			if k > 0 && isSectionHeading(l) {
				return "heading: " + strings.TrimSpace(l), true
			}
		}
	}
	q := firstQuestionEnd(p.text)
	if q < 0 {
		return "", false
	}
	tail := p.text[q:]
	// A "Diagram" heading after the question, followed by prose: the
	// solution's set-up ("Let $AP=x$ ...") came along with the diagram.
	if ev, ok := diagramThenProse(tail); ok {
		return ev, true
	}
	if _, at := firstCue(tail, solverTalk); at >= 0 {
		return excerpt(tail, at, 40), true
	}
	// A box after the question holds the answer (a solution was appended);
	// a box before any question is notation ("Let $\boxed{N}$ mean ...").
	if b := strings.Index(raw, `\boxed`); b >= 0 && !strings.Contains(p.text, "box") {
		if qr := firstQuestionEnd(strings.ToLower(raw)); qr >= 0 && qr <= b && !strings.HasPrefix(raw[b:], `\boxed{\phantom`) {
			return "answer box in the statement: " + excerpt(raw, b, 30), true
		}
	}
	return "", false
}

// isSectionHeading reports whether a line is a section heading: a few
// capitalised words without punctuation or math, one of them a heading word.
func isSectionHeading(l string) bool {
	t := strings.TrimSpace(l)
	if t == "" || len(t) > 60 || !unicode.IsUpper(rune(t[0])) {
		return false
	}
	if strings.ContainsAny(t, ".?!:;,$\\=()[]{}") {
		return false
	}
	words := strings.Fields(t)
	if len(words) > 6 {
		return false
	}
	for _, w := range words {
		if headingWords[strings.ToLower(w)] {
			return true
		}
		if strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) >= 0 {
			return false
		}
	}
	return false
}

// questionVerbs start the question of a statement.
var questionVerbs = []string{"find", "compute", "calculate", "determine", "evaluate", "what", "how many", "how much",
	"simplify", "solve", "express", "give", "which"}

// firstQuestionEnd returns the index in s (lower case) just after the first
// sentence that asks something: one ending in "?", or one that starts with a
// question verb, or -1.
func firstQuestionEnd(s string) int {
	best := -1
	if k := strings.IndexByte(s, '?'); k >= 0 {
		best = k + 1
	}
	if _, at := firstCue(s, questionVerbs); at >= 0 && (best < 0 || at < best) {
		end := sentenceEnd(s, at)
		if best < 0 || end < best {
			best = end
		}
	}
	return best
}

// sentenceEnd returns the index just after the sentence of s that contains
// index i: after its ".", "?" or "!" (not a decimal point), or len(s).
func sentenceEnd(s string, i int) int {
	for k := i; k < len(s); k++ {
		switch s[k] {
		case '?', '!':
			return k + 1
		case '.':
			if k+1 < len(s) && isDigit(s[k+1]) {
				continue
			}
			return k + 1
		}
	}
	return len(s)
}

// solutionWords are words of a solution's set-up and reasoning.
var solutionWords = wordSet("let we then hence thus therefore since so suppose notice observe")

// diagramThenProse finds a line "diagram" in tail (lower case, math masked)
// followed by solution prose ("Let $AP=x$ ..."); a remark about the
// diagram ("All distances are to scale.") is not a solution.
func diagramThenProse(tail string) (string, bool) {
	if !strings.Contains(tail, "diagram") {
		return "", false
	}
	lines := strings.Split(tail, "\n")
	for k, l := range lines {
		if strings.TrimSpace(l) != "diagram" {
			continue
		}
		solving := false
		for _, m := range lines[k+1:] {
			for _, w := range strings.Fields(m) {
				if solutionWords[strings.Trim(w, ",.;:")] {
					solving = true
				}
			}
		}
		if solving {
			return "diagram heading followed by solution text", true
		}
	}
	return "", false
}
