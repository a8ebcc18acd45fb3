package normalize

import (
	"iter"
	"slices"
	"strings"
)

// labelStyle is a form of option label: open + letter + close.
type labelStyle struct {
	open, close string
	lineStart   bool // the label must start a line (or follow "$" or two spaces)
}

var optionStyles = []labelStyle{
	{"(", ")", false},
	{"", ")", true},
	{"", ".", true},
	{"", ":", true},
	{"", "．", true},
	{"", "、", true},
}

// mcCues are the phrases of a stem that chooses among options.
var mcCues = []string{"which of the following", "which one of the following", "which of these", "which of the graphs",
	"which graph", "which is the graph", "which could be the graph", "which diagram", "which of the diagrams",
	"which figure", "enter the letter", "the letter of", "letters of the", "correct option", "correct choice",
	"choose", "select", "options", "choices", "answer choices", "correct letter", "which one is it",
	"one of these graphs", "list of letters"}

func multipleChoice(p prose, ans string, hasAnswer bool) (string, bool) {
	raw := optionText(withoutFigureCode(p.raw))
	answerIsLabel := hasAnswer && isOptionAnswer(ans)
	for _, st := range optionStyles {
		pos := slices.Collect(labelPositions(raw, "ABCDE", st))
		if len(pos) < 3 {
			continue
		}
		first := pos[0]
		// "satisfy the following conditions: (A) ... (B) ..." labels
		// conditions, not options, unless the gold is a label.
		if !answerIsLabel && containsAny(strings.ToLower(raw[:first]), []string{"following condition", "these conditions", "conditions:"}) {
			continue
		}
		return "options " + optionsEvidence(st, "ABC"), true
	}
	if st, ok := inlineOptions(raw); ok {
		return "inline options " + optionsEvidence(st, "ABCD"), true
	}
	if ev, ok := lowerCaseOptions(p, raw, ans, answerIsLabel); ok {
		return ev, true
	}
	if ev, ok := figureOptions(p.raw); ok {
		return ev, true
	}
	if _, at := firstCue(p.text, []string{"enter the letter", "letters of the correct", "letter of the correct"}); at >= 0 {
		return excerpt(p.text, at, 40), true
	}
	if at := letterCodes(p.text); at >= 0 {
		return "letter codes: " + excerpt(p.text, at, 40), true
	}
	countQuestion := strings.Contains(p.text, "how many of the following")
	if ev, ok := namedCandidates(p.raw, ans, hasAnswer); ok {
		return ev, true
	}
	if hasAnswer && !answerIsLabel && isLetterList(ans) {
		if _, at := firstCue(p.text, []string{"which of these", "which of the following", "correct letter", "list of letters", "which letters"}); at >= 0 {
			return "answer is a list of option letters: " + ans, true
		}
	}
	if answerIsLabel {
		if isBracketedLabel(ans) && !countQuestion {
			return "answer is an option label: " + ans, true
		}
		if _, at := firstCue(p.text, mcCues); at >= 0 {
			return "answer is an option label: " + ans, true
		}
	}
	if !countQuestion {
		if ev, ok := unlabelledOptions(p); ok {
			return ev, true
		}
	}
	return "", false
}

func optionsEvidence(st labelStyle, labels string) string {
	var parts []string
	for _, l := range labels {
		parts = append(parts, st.open+string(l)+st.close)
	}
	return strings.Join(parts, " ")
}

// labelCommands are the font commands that wrap option labels
// (\textbf{(A)}, \mathrm{(B)}, \text A.).
var labelCommands = []string{`\textbf`, `\textrm`, `\textsf`, `\textit`, `\text`, `\mathrm`, `\mathbf`, `\mathit`,
	`\mathsf`, `\mbox`, `\bf`, `\rm`}

// optionText rewrites s so that option labels stand bare: short arguments
// of font commands are unwrapped (\textbf{(A) } -> "(A) ", \text A. ->
// "A."), spacing commands become three spaces (so that a label after
// \qquad counts as standing alone), and a LaTeX line break \\ becomes a
// line break.
func optionText(s string) string {
	t, _ := optionTextMap(s, false)
	return t
}

// optionTextMap is optionText that can also return, for each byte of the
// result, the index in s of the byte it came from (with one extra entry,
// len(s), for the end), so that a place found in the result can be cut in s.
func optionTextMap(s string, wantMap bool) (string, []int) {
	var at []int
	if !strings.Contains(s, `\`) {
		if wantMap {
			at = make([]int, len(s)+1)
			for i := range at {
				at[i] = i
			}
		}
		return s, at
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	emit := func(from int, text string) {
		b.WriteString(text)
		if wantMap {
			for range len(text) {
				at = append(at, from)
			}
		}
	}
	for i := 0; i < len(s); {
		if s[i] != '\\' {
			emit(i, s[i:i+1])
			i++
			continue
		}
		rest := s[i:]
		switch {
		case strings.HasPrefix(rest, `\\`):
			emit(i, "\n")
			i += 2
			continue
		case strings.HasPrefix(rest, `\qquad`), strings.HasPrefix(rest, `\quad`):
			emit(i, "   ")
			i += len(`\quad`)
			if strings.HasPrefix(rest, `\qquad`) {
				i++
			}
			continue
		case strings.HasPrefix(rest, `\hspace`):
			j := i + len(`\hspace`)
			if j < len(s) && s[j] == '*' {
				j++
			}
			if j < len(s) && s[j] == '{' {
				if e, ok := group(s, j); ok {
					j = e
				}
			}
			emit(i, "   ")
			i = j
			continue
		case len(rest) >= 2 && (rest[1] == ' ' || rest[1] == ',' || rest[1] == ';' || rest[1] == ':' || rest[1] == '!'):
			emit(i, "  ")
			i += 2
			continue
		}
		unwrapped := false
		for _, c := range labelCommands {
			if !strings.HasPrefix(rest, c) || len(rest) > len(c) && isLetter(rest[len(c)]) {
				continue
			}
			j := i + len(c)
			k := j
			for k < len(s) && s[k] == ' ' {
				k++
			}
			if k < len(s) && s[k] == '{' {
				if e, ok := group(s, k); ok && e-k <= 12 {
					emit(i, " ")
					for q := k + 1; q < e-1; q++ {
						emit(q, s[q:q+1])
					}
					i = e
					unwrapped = true
				}
			} else if k > j && k < len(s) {
				// \text A. : drop the command, keep what follows
				emit(i, " ")
				i = k
				unwrapped = true
			}
			break
		}
		if !unwrapped {
			emit(i, s[i:i+1])
			i++
		}
	}
	if wantMap {
		at = append(at, len(s))
	}
	return b.String(), at
}

// countLabelsInOrder counts how many of labels (in order, from the first)
// appear in s in the given style, each after the previous one.
func countLabelsInOrder(s, labels string, st labelStyle) int {
	n := 0
	for range labelPositions(s, labels, st) {
		n++
	}
	return n
}

// labelPositions yields the index of each label of labels found in order
// in s in style st, until one is missing.
func labelPositions(s, labels string, st labelStyle) iter.Seq[int] {
	return func(yield func(int) bool) {
		from := 0
		for _, l := range labels {
			tok := st.open + string(l) + st.close
			found := indexWhere(s, tok, from, func(j int) bool { return labelContext(s, j, len(tok), st) })
			if found < 0 || !yield(found) {
				return
			}
			from = found + len(tok)
		}
	}
}

// labelContext checks what surrounds a candidate label at s[j:j+n].
func labelContext(s string, j, n int, st labelStyle) bool {
	before := byte(' ')
	if j > 0 {
		before = s[j-1]
	}
	if st.open == "" {
		if isWordByte(before) || before == '\\' || before == '_' || before == '^' || before == '(' {
			return false
		}
		if st.lineStart {
			k := j - 1
			for k >= 0 && (s[k] == ' ' || s[k] == '\t') {
				k--
			}
			if !(k < 0 || s[k] == '\n' || s[k] == '$' || s[k] == '}' || s[k] == ')' || j-k >= 3) {
				return false
			}
		}
		if !labelFollow(s, j+n, st.close) {
			return false
		}
		return true
	}
	// "(A)" must not be a function argument f(A) or a point P(A)
	return !(isWordByte(before) || before == '\\' || before == '_' || before == '^')
}

// labelFollow reports whether what follows a label at index after allows
// it: "A:" and "A." must not run into a letter or digit ("A:B" is a ratio of
// points, "A.5" a number).
func labelFollow(s string, after int, close string) bool {
	if after >= len(s) {
		return true
	}
	switch close {
	case ":":
		return !isLetter(s[after])
	case ".":
		return !isDigit(s[after]) && !isLetter(s[after])
	}
	return true
}

// inlineOptions finds the labels A to D in order on running text, each
// preceded by a space, "$" or punctuation rather than starting a line: cn_k12's
// "A: 1 B: 2 C: 3 D: 4" and options on one line. Labels all preceded by the
// same word name things ("Team A: 5, Team B: 3, ...") and are not options.
func inlineOptions(s string) (labelStyle, bool) {
	for _, st := range []labelStyle{{"", ":", false}, {"", ".", false}, {"", ")", false}, {"", "．", false}, {"", "、", false}} {
		pos := slices.Collect(labelPositions(s, "ABCD", st))
		if len(pos) < 4 {
			continue
		}
		ok := true
		seen := map[string]int{}
		for _, j := range pos {
			if j+2 < len(s) && st.close == "." && s[j+2] != ' ' && s[j+2] != '$' && s[j+2] != '\n' {
				ok = false // "A.B" initials, "A.M."
				break
			}
			if w := wordBefore2(s, j); w != "" {
				seen[w]++
				if seen[w] >= 2 {
					ok = false
					break
				}
			}
		}
		if ok {
			return st, true
		}
	}
	return labelStyle{}, false
}

// wordBefore2 returns the word of letters just before index j (spaces
// skipped), lower-cased, or "".
func wordBefore2(s string, j int) string {
	k := j - 1
	for k >= 0 && s[k] == ' ' {
		k--
	}
	e := k + 1
	for k >= 0 && isLetter(s[k]) {
		k--
	}
	return strings.ToLower(s[k+1 : e])
}

// lowerCaseOptions finds options labelled (a) (b) (c), a) b) c) or a. b. c.:
// when the gold answer is a label, or when the list of short items follows
// the question ("?" or a blank "( )", or four labels a to d after the
// stem) and nothing after the list asks anything (a list of conditions
// after "satisfies the following:" is not options).
func lowerCaseOptions(p prose, raw, ans string, answerIsLabel bool) (string, bool) {
	for _, st := range []labelStyle{{"(", ")", false}, {"", ")", true}, {"", ".", true}} {
		pos := slices.Collect(labelPositions(raw, "abcde", st))
		if len(pos) < 3 {
			continue
		}
		ev := "options " + optionsEvidence(st, "abc")
		if answerIsLabel {
			return ev, true
		}
		stem := strings.TrimSpace(strings.ToLower(raw[:pos[0]]))
		stem = strings.TrimRight(stem, "$ ")
		items := strings.ToLower(raw[pos[0]:])
		blank := strings.HasSuffix(stem, "( )") || strings.HasSuffix(stem, "()") || strings.HasSuffix(stem, "（ ）") ||
			strings.HasSuffix(stem, "（）") || strings.HasSuffix(stem, "?")
		if a := strings.Trim(strings.TrimSpace(unwrapGold(ans)), "()"); len(a) == 1 && a[0] >= 'a' && a[0] < 'a'+byte(len(pos)) {
			return ev, true // the gold is one of the labels: "c"
		}
		if strings.Contains(stem, "how many of") {
			continue // counting the true statements of a list: one number
		}
		if (blank || len(pos) >= 4) && !hasCue(items) && !strings.Contains(stem, "condition") && shortItems(items, st, pos[0], pos) {
			return ev, true
		}
	}
	return "", false
}

// shortItems reports whether every listed item (from each label to the next,
// the last to the end of its line) has at most six words of prose: options
// are values or short phrases, conditions are sentences.
func shortItems(items string, st labelStyle, base int, pos []int) bool {
	for k := range pos {
		a := pos[k] - base
		b := len(items)
		if k+1 < len(pos) {
			b = pos[k+1] - base
		} else if nl := strings.IndexByte(items[a:], '\n'); nl >= 0 {
			b = a + nl
		}
		if a < 0 || b > len(items) || a > b {
			return false
		}
		item := maskMath(items[a:b])
		words := 0
		for _, w := range strings.Fields(item) {
			if isLetter(w[0]) {
				words++
			}
		}
		if words > 6 {
			return false
		}
	}
	return true
}

// figureOptions finds options drawn in [asy] code: labels "(A)", "(B)",
// "(C)" in order inside the figure's strings (label("(A) $...$", ...)).
func figureOptions(raw string) (string, bool) {
	i := strings.Index(raw, "[asy]")
	if i < 0 {
		return "", false
	}
	var code strings.Builder
	for i >= 0 {
		j := strings.Index(raw[i:], "[/asy]")
		if j < 0 {
			code.WriteString(raw[i:])
			break
		}
		code.WriteString(raw[i : i+j])
		code.WriteByte('\n')
		raw = raw[i+j+len("[/asy]"):]
		i = strings.Index(raw, "[asy]")
	}
	c := strings.ReplaceAll(optionText(code.String()), "$", "")
	c = strings.ReplaceAll(c, `"  `, `"`)
	c = strings.ReplaceAll(c, `" `, `"`)
	for _, st := range []labelStyle{{`"(`, ")", false}, {`"`, ".", false}, {`"`, ")", false}} {
		n := 0
		from := 0
		for _, l := range "ABCDE" {
			k := strings.Index(c[from:], st.open+string(l)+st.close)
			if k < 0 {
				break
			}
			n++
			from += k + 1
		}
		if n >= 3 {
			return "options in the figure code " + optionsEvidence(labelStyle{open: st.open[1:], close: st.close}, "ABC"), true
		}
	}
	return "", false
}

// unlabelledOptions finds a list of options without labels after "which of
// the following": at least three short lines that follow the question and
// end the text, or at least three math spans in a row after the cue
// ("which of the following points is farthest: $(1,4)$, $(3,5)$, $(-6,0)$?").
func unlabelledOptions(p prose) (string, bool) {
	_, at := firstCue(p.text, []string{"which of the following", "which one of the following"})
	if at < 0 {
		return "", false
	}
	rest := p.text[at:]
	// inline: "§, §, §" (with "and"/"or" before the last)
	q := rest
	if k := strings.IndexByte(q, '?'); k >= 0 {
		q = q[:k]
	}
	fields := strings.FieldsFunc(q, func(r rune) bool { return r == ',' || r == ' ' || r == ':' || r == ';' })
	spans := 0
	for k := len(fields) - 1; k >= 0; k-- {
		if fields[k] == "§" {
			spans++
		} else if fields[k] != "and" && fields[k] != "or" {
			break
		}
	}
	if spans >= 3 {
		return "unlabelled options after " + excerpt(rest, 0, 30), true
	}
	// on lines: the question line, then >= 3 short lines to the end
	nl := strings.IndexByte(rest, '\n')
	if nl < 0 {
		return "", false
	}
	short := 0
	for _, l := range strings.Split(rest[nl+1:], "\n") {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		if len(t) > 80 || hasCue(t) {
			if short >= 3 {
				break
			}
			short = 0
			continue
		}
		short++
	}
	if short >= 3 {
		return "unlabelled options on lines after " + excerpt(rest, 0, 30), true
	}
	return "", false
}

// withoutFigureCode returns s without its [asy]...[/asy] blocks, whose
// labels ("dot(A)", "label(\"$B$\")") look like options.
func withoutFigureCode(s string) string {
	for {
		i := strings.Index(s, "[asy]")
		if i < 0 {
			return s
		}
		j := strings.Index(s[i:], "[/asy]")
		if j < 0 {
			return s[:i]
		}
		s = s[:i] + " " + s[i+j+len("[/asy]"):]
	}
}

// isOptionAnswer reports whether a gold answer is an option label or a list
// of them: "C", "(B)", "\textbf{(D)}", "\text{(E) }", "B, E, G", "A and C".
func isOptionAnswer(a string) bool {
	t := a
	for _, w := range []string{`\textbf`, `\text`, `\mathrm`, `\mathbf`, "$", "{", "}", "(", ")", " ", ".", ",", ";", "~", `\`} {
		t = strings.ReplaceAll(t, w, "")
	}
	t = strings.ReplaceAll(strings.ReplaceAll(t, "and", ""), "or", "")
	if t == "" || len(t) > 8 {
		return false
	}
	if len(t) == 1 && t[0] >= 'a' && t[0] <= 'e' {
		return strings.Contains(a, "(") // "(b)", not the variable b
	}
	for _, r := range t {
		if r < 'A' || r > 'H' {
			return false
		}
	}
	return true
}

// isBracketedLabel reports whether a gold answer is a label in option form,
// "(B)" or "\textbf{(D)}", which is not how a point or a variable is written.
func isBracketedLabel(a string) bool {
	t := strings.TrimSpace(optionText(strings.Trim(strings.TrimSpace(a), "$")))
	t = strings.Trim(strings.TrimSpace(t), "{}")
	t = strings.ReplaceAll(t, " ", "")
	return len(t) == 3 && t[0] == '(' && t[2] == ')' && (t[1] >= 'A' && t[1] <= 'E' || t[1] >= 'a' && t[1] <= 'e')
}

// letterCodes finds options coded by letters in the stem: 'enter "C" for
// circle, "P" for parabola, ...' (at least two codes). It returns the index
// of the first code or -1.
func letterCodes(s string) int {
	if !strings.Contains(s, "\" for ") && !strings.Contains(s, "' for ") {
		return -1
	}
	first, n := -1, 0
	for from := 0; from < len(s); {
		k := strings.Index(s[from:], " for ")
		if k < 0 {
			break
		}
		k += from
		from = k + 1
		// before " for ": a quoted letter, "c" or 'c'
		if k >= 3 && (s[k-1] == '"' || s[k-1] == '\'') && isLetter(s[k-2]) && s[k-3] == s[k-1] {
			if first < 0 {
				first = k - 3
			}
			n++
		}
	}
	if n >= 2 {
		return first
	}
	return -1
}

// isLetterList reports whether a gold answer is only capital letters (one
// to eight, markup and separators aside): "VW", "\text{A, C}".
func isLetterList(a string) bool {
	t := optionText(strings.TrimSpace(a))
	n := 0
	for _, r := range t {
		switch {
		case r >= 'A' && r <= 'Z':
			n++
		case r == ',' || r == ' ' || r == ';' || r == '$' || r == '{' || r == '}':
		default:
			return false
		}
	}
	return n >= 1 && n <= 8
}

// namedCandidates finds a question that lists named candidates and a gold
// that is one of them: "On which quarter of the circle, $A$, $B$, $C$ or
// $D$, did he stop?" with gold C.
func namedCandidates(raw, ans string, hasAnswer bool) (string, bool) {
	if !hasAnswer {
		return "", false
	}
	a := strings.ToUpper(unwrapGold(ans))
	if len(a) != 1 || a[0] < 'A' || a[0] > 'Z' {
		return "", false
	}
	lower := strings.ToLower(raw)
	if len(lower) != len(raw) {
		return "", false
	}
	for from := 0; ; {
		k := strings.Index(lower[from:], "which")
		if k < 0 {
			return "", false
		}
		k += from
		from = k + 1
		end := sentenceEnd(lower, k)
		sent := raw[k:end]
		names := map[byte]bool{}
		for _, sp := range mathSpans(sent) {
			if t := strings.TrimSpace(sent[sp.a:sp.b]); len(t) == 1 && t[0] >= 'A' && t[0] <= 'Z' {
				names[t[0]] = true
			}
		}
		if len(names) >= 3 && names[a[0]] && (strings.Contains(sent, " or ") || strings.Contains(sent, ", ")) {
			return "the question lists candidates: " + excerpt(sent, 0, 50), true
		}
	}
}
