package normalize

import (
	"strings"
)

// strongFigureCues refer to a figure that carries the data.
var strongFigureCues = []string{"in the figure", "in the figures", "the figure below", "the figure above",
	"the figures below", "the figure shows", "figure shows", "following figure", "following diagram",
	"shown in the figure", "shown in the figures", "in the diagram", "the diagram below", "the diagram above",
	"the diagram shows", "diagram shows", "diagram indicates", "the diagram", "in the picture",
	"the picture below", "pictured", "the graph below", "the graph above", "the graph shown", "graph shown",
	"shown in red", "shown in blue", "shown in green", "in red below", "the adjoining figure",
	"accompanying figure", "accompanying diagram", "indicated in the figure", "marked in the figure",
	"as illustrated", "illustrated below", "see figure", "see the figure", "see diagram", "see the diagram",
	"in figure 1", "in figure 2", "in figure 3", "in the first figure", "in the second figure", "shown in the diagram", "如图", "如下图", "图中"}

// weakFigureCues may refer to a figure, or to what the text itself shows.
var weakFigureCues = []string{"as shown", "shown below", "shown above", "shown here", "is shown", "are shown",
	"shown at right", "shown to the right", "shown at left", "shown to the left", "as drawn", "drawn below",
	"below is a drawing", "the figure", "the picture"}

// figureStems: every figure cue contains one of them (a cheap first test).
var figureStems = []string{"figure", "diagram", "shown", "pictur", "graph", "illustrat", "drawn", "drawing", "图"}

// noFigure are phrases that deny a figure: a reference in the same sentence
// is no reference.
var noFigure = []string{"not given", "not shown", "not provided", "not drawn to scale", "not to scale",
	"not included", "without a figure", "without the figure", "no figure", "no diagram"}

// exampleCues make a weak reference decorative: what is shown is an example
// the statement does not depend on.
var exampleCues = []string{"example", "sample", "for instance", "such as", "one of the many", "one possible",
	"shows one of"}

func needsFigure(raw string, p prose) (string, bool) {
	lraw := strings.ToLower(raw)
	for _, img := range []string{"<img", `\includegraphics`, "![", ".png", ".jpg", ".jpeg", ".gif", ".svg"} {
		if k := strings.Index(lraw, img); k >= 0 {
			return "image: " + excerpt(lraw, k, 30), true
		}
	}
	// Figure source (Asymptote, TikZ) and tables are part of the text.
	for _, src := range []string{"[asy]", "tikzpicture", `\begin{picture}`, `\begin{tabular}`, `\begin{array}`} {
		if strings.Contains(lraw, src) {
			return "", false
		}
	}
	if !containsAny(p.text, figureStems) {
		return "", false
	}
	for _, at := range allCues(p.text, strongFigureCues) {
		sent := sentenceAround(p.text, at)
		if containsAny(sent, noFigure) || containsAny(sent, exampleCues) || parenthetical(p.text, at) {
			continue
		}
		if framingOnly(raw, p.text, at) || at >= 3 && framingOnly(raw, p.text, at-3) {
			continue
		}
		return excerpt(p.text, at, 40), true
	}
	for _, at := range allCues(p.text, weakFigureCues) {
		sent := sentenceAround(p.text, at)
		if containsAny(sent, noFigure) {
			continue
		}
		if strings.Contains(sent, "graph") && !containsAny(sent, exampleCues) {
			return excerpt(p.text, at, 40), true // a graph is data
		}
		if containsAny(sent, exampleCues) || parenthetical(p.text, at) || dataAfter(raw, p.text, at) {
			continue
		}
		cue := p.text[at:]
		if strings.HasPrefix(cue, "is shown") || strings.HasPrefix(cue, "are shown") {
			// "movies are shown all day": only a drawing that is shown counts
			if !containsAny(sent, []string{"figure", "diagram", "picture", "drawing", "grid", "shaded"}) {
				continue
			}
		}
		if strings.HasPrefix(cue, "shown above") && dataBefore(raw, p.text, at) {
			continue // "the pattern shown above": the text above gives it
		}
		if strings.HasPrefix(cue, "as shown") && digitRuns(sent) >= 2 {
			continue // "side lengths 6, 8 and 10, as shown": the text states the data
		}
		if strings.HasPrefix(cue, "the figure") || strings.HasPrefix(cue, "the picture") {
			// "the figure" is often the shape itself ("the figure is
			// rotated"); it refers to a drawing only when nothing in the
			// sentence says which shape.
			if !figureAsDrawing(sent) {
				continue
			}
		}
		return excerpt(p.text, at, 40), true
	}
	return "", false
}

// figureAsDrawing reports whether "the figure" in sent means a drawing: the
// sentence looks at it ("in", "from", "of the figure" with area, shaded,
// labelled) rather than acting on a shape.
func figureAsDrawing(sent string) bool {
	return containsAny(sent, []string{"shaded", "labeled", "labelled", "marked", "indicated", "in the figure",
		"from the figure", "of the figure below", "the figure shows"})
}

// allCues returns the indexes of every cue of cues found in s at a word
// start, in order of the cue list.
func allCues(s string, cues []string) []int {
	var out []int
	for _, c := range cues {
		for k := nextCue(s, c, 0, true); k >= 0; k = nextCue(s, c, k+1, true) {
			out = append(out, k)
		}
	}
	return out
}

// digitRuns counts the numbers written in digits in s.
func digitRuns(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) && (i == 0 || !isDigit(s[i-1]) && s[i-1] != '.') {
			n++
		}
	}
	return n
}

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// parenthetical reports whether index i of s is inside parentheses that
// close within the same sentence: "(see the figure below)", "(as shown)".
func parenthetical(s string, i int) bool {
	open := strings.LastIndexByte(s[:i], '(')
	if open < 0 || strings.ContainsAny(s[open:i], ").?!") {
		return false
	}
	end := strings.IndexByte(s[i:], ')')
	return end >= 0 && end < 80
}

// dataAfter reports whether, after the sentence containing index i, the text
// goes on with the data a figure would show: an aligned system, cases or a
// matrix, or at least three lines of numbers or math.
func dataAfter(raw, s string, i int) bool {
	end := strings.IndexAny(s[i:], ".?!:")
	if end < 0 {
		return false
	}
	rest := s[i+end:]
	if strings.Contains(raw, `\begin{align`) || strings.Contains(raw, `\begin{cases`) ||
		strings.Contains(raw, `\begin{matrix`) || strings.Contains(raw, `\begin{pmatrix`) ||
		strings.Contains(raw, `\begin{eqnarray`) || strings.Contains(raw, `\begin{gather`) {
		return true
	}
	lines := 0
	for _, l := range strings.Split(rest, "\n") {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if strings.HasPrefix(t, "§") || isDigit(t[0]) || strings.HasPrefix(t, "row") || strings.HasPrefix(t, "$") {
			lines++
		}
	}
	return lines >= 3
}

// sentenceAround returns the sentence of s containing index i.
func sentenceAround(s string, i int) string {
	a := strings.LastIndexAny(s[:i], ".?!\n")
	b := strings.IndexAny(s[i:], ".?!\n")
	if b < 0 {
		b = len(s) - i
	}
	return s[a+1 : i+b]
}

// dataBefore reports whether the text before index i of s (math masked)
// holds displayed data: a display ($$, \[ \]) or an environment in raw
// before the cue, or at least three math spans.
func dataBefore(raw, s string, i int) bool {
	before := s[:i]
	if strings.Count(before, "§") >= 3 {
		return true
	}
	return strings.Contains(raw, "$$") || strings.Contains(raw, `\[`) || strings.Contains(raw, `\begin{`)
}

// framingOnly reports whether a strong cue at index i of s (lower case,
// math masked) only frames a statement that defines everything it asks
// about: "In the diagram, $BP$ and $BQ$ trisect $\angle ABC$. $BM$ bisects
// $\angle PBQ$. Find ...". It must open its sentence as "in the diagram,"
// or "in the figure,", the text must not point at the figure again
// (indicated, shaded, marked, labeled, shown), and every capital letter of
// the math in the question must appear in the math before it (no point is
// known only from the figure).
func framingOnly(raw, s string, i int) bool {
	rest := s[i:]
	if !strings.HasPrefix(rest, "in the diagram,") && !strings.HasPrefix(rest, "in the figure,") {
		return false
	}
	if a := strings.LastIndexAny(s[:i], ".?!\n"); strings.TrimSpace(s[a+1:i]) != "" {
		return false
	}
	if containsAny(s, []string{"indicated", "shaded", "marked", "labeled", "labelled", "shown", "pictured", "as drawn"}) {
		return false
	}
	// the question: the last sentence with a question verb or "?"
	spans := mathSpans(raw)
	if len(spans) < 3 {
		return false
	}
	q := lastQuestionStart(raw)
	if q < 0 {
		return false
	}
	defined := map[byte]bool{}
	asked := map[byte]bool{}
	for _, sp := range spans {
		for k := sp.a; k < sp.b; k++ {
			c := raw[k]
			if c == '\\' {
				for k+1 < sp.b && isLetter(raw[k+1]) {
					k++ // a command name: \Delta, \angle
				}
				continue
			}
			if c < 'A' || c > 'Z' {
				continue
			}
			if sp.a >= q {
				asked[c] = true
			} else {
				defined[c] = true
			}
		}
	}
	if len(asked) == 0 {
		return false
	}
	for c := range asked {
		if !defined[c] {
			return false
		}
	}
	return true
}

type span struct{ a, b int }

// mathSpans returns the $...$ spans of s (inner bounds).
func mathSpans(s string) []span {
	var out []span
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			continue
		}
		if s[i] != '$' {
			continue
		}
		j := indexUnescaped(s[i+1:], "$")
		if j < 0 {
			break
		}
		out = append(out, span{i + 1, i + 1 + j})
		i += j + 1
	}
	return out
}

// lastQuestionStart returns the index in raw where its last sentence with a
// question verb or "?" begins, or -1.
func lastQuestionStart(raw string) int {
	l := strings.ToLower(raw)
	best := -1
	for _, at := range allCues(l, questionVerbs) {
		if at > best {
			best = at
		}
	}
	if k := strings.LastIndexByte(l, '?'); k >= 0 && best < 0 {
		best = k
	}
	if best < 0 {
		return -1
	}
	a := strings.LastIndexAny(l[:best], ".?!\n")
	return a + 1
}
