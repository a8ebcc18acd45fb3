package verify

import (
	"strings"
)

// Extract returns the final answer a model response commits to, and ok=false
// when there is none (the verdict reason no_answer). It never panics, does no
// I/O, and runs in time linear in len(response): no regular expressions, no
// fixed character windows (a box far from the end is still found), and brace
// matching is a single counter, so 10,000 nested braces or a megabyte of text
// cost microseconds to milliseconds.
//
// The rules, in the order they are applied:
//
//  1. The answer region. Chat-template text around the response is dropped:
//     text up to the last assistant header ("<|im_start|>assistant",
//     "<|start_header_id|>assistant<|end_header_id|>", "<｜Assistant｜>") and
//     everything from the first end-of-turn token after it (<|im_end|>,
//     <|endoftext|>, <|eot_id|>, <|im_start|>, <|end|>, </s>,
//     <｜end▁of▁sentence｜>). When the response
//     contains "</think>", only the text after the last one is read: the
//     reasoning is not the answer. A "<think>" that is never closed means the
//     response was cut off while reasoning: ok=false.
//
//  2. Boxes. \boxed{...} and \fbox{...} with balanced braces (escaped \{ and
//     \} do not count), also \boxed 5 without braces. Boxes nested in a box
//     belong to the outer box. An unclosed box (the text ends inside it) means
//     the response was truncated: ok=false, even when an earlier box exists.
//     Boxes separated only by a short joiner (spaces, line breaks, commas,
//     semicolons, math delimiters, \quad, \text{and}, at most four words, no
//     sentence punctuation) form one group, and the last group is the boxed
//     answer:
//     - identical boxes count once (\boxed{4} ... \boxed{4} is 4);
//     - different boxes joined by "or" are alternatives: ok=false
//     (\boxed{2} or \boxed{3} hedges between two answers); so are two
//     forms joined by "=" (\boxed{\frac{25}{13}} = \boxed{1\frac{12}{13}}).
//     Response, which can compare values, accepts alternatives that are all
//     equal to the first (\boxed{x+11} or \boxed{11+x}) and then grades the
//     first; Extract, which only sees text, reports ok=false;
//     - otherwise the contents are joined with ", " into one list answer
//     (\boxed{1}, \boxed{2} and \boxed{3} is "1, 2, 3"); when every box in
//     the group carries an assignment label (x=\boxed{1}, y=\boxed{2}) the
//     labels are kept ("x=1, y=2"), so a system's solution stays readable.
//     The comparison, not extraction, decides whether such a list equals the
//     gold; a list never equals a single gold value, so listing candidates
//     earns nothing.
//     An empty box is no answer.
//
//  3. Markers. "... answer is X", "... answer: X" (also **Answer:** X,
//     "Final Answer: X", "the answer would/should/must/will be X", "answer = X",
//     "Answer $X$" at the start of a line, with the math right after the word),
//     a heading line such as "**Final Answer**" or "# Answer" followed by the
//     answer on the next non-empty line, and a GSM8K line "#### X". The answer
//     runs to the end of its sentence or line; math spans ($...$, $$...$$,
//     \(...\), \[...\]) are read whole and may span lines. A prose answer
//     ("Final Answer: The largest $n$ is 34.") keeps what follows its last
//     "is"/"are"/"equals"; a leading "therefore", "thus", "so",
//     "approximately" is dropped. The last marker in the region wins. A marker
//     with nothing after it, or whose answer runs into the end of the text
//     with unbalanced braces or an unclosed $$ or \[, is a truncation:
//     ok=false.
//
//  4. Precedence: the commitment made last wins. Markers are only looked for
//     after the last box group. A marker there overrides the box only when it
//     states a final answer ("final answer", "the answer is", an "Answer:"
//     line, a heading or "####"; not "check the answer: ...") and its answer
//     starts like mathematics (a digit, sign, bracket, LaTeX command or
//     single-letter variable, once bold and delimiters are removed); so
//     "\boxed{5}. I am confident the answer is correct." keeps 5, while
//     "\boxed{255} ... Final Answer: The final answer is $10,455$." takes
//     10,455 (an intermediate box followed by a different stated final
//     answer).
//
//  5. A bare response: with no box and no marker, a response of one line is
//     the answer when it ends with a math span ("Therefore, $$3!$$" gives
//     3!, several different spans are no answer), or else when it has at
//     most three words of two or more letters, LaTeX command names not
//     counted ("42", "$28$ %", "x = 1 or x = 2"; not "I could not finish
//     the problem"). A short response that is one display block or one
//     environment (\begin{pmatrix}...\end{pmatrix}) over several lines is
//     the answer too.
//
// There is no "last number anywhere in the text" fallback: a long response
// without a box or a marker has no answer, even when the gold value appears in
// it.
//
// The answer is cleaned: surrounding whitespace, markdown bold (**73** gives
// 73, not 73**), quotes, math delimiters (also inside: "$x=1$ or $x=2$" gives
// "x=1 or x=2") and trailing sentence punctuation (. , ; :) are removed. LaTeX
// inside the answer (\text{}, \frac, units) is left for the parser.
func Extract(response string) (answer string, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			answer, ok = "", false
		}
	}()
	return extract(response)
}

// extract is Extract without the panic guard, so that tests and the fuzzer
// see a panic.
func extract(response string) (string, bool) {
	a, alts := xExtract(response)
	return a, a != "" && len(alts) == 0
}

// xExtract applies the rules of Extract. When the final box group offers
// textually different alternatives (joined by "or" or "="), it returns them
// in alts and answer is "": the caller may accept them when they are all
// equal in value (Response does), or treat them as no answer (Extract does).
func xExtract(response string) (answer string, alts []string) {
	s, ok := xAnswerRegion(response)
	if !ok {
		return "", nil
	}
	g, status := xLastBoxGroup(s)
	if status == xBoxUnclosed {
		return "", nil
	}
	searchFrom := 0
	if status == xBoxFound {
		searchFrom = g.end
	}
	m := xLastMarker(s, searchFrom)
	switch {
	case m.status == xMarkerTruncated:
		return "", nil
	case m.status == xMarkerFound && (status != xBoxFound || m.strong && m.mathLike):
		return xCleanAnswer(m.text), nil
	case status == xBoxFound:
		return g.answer(s)
	}
	a, _ := xBareAnswer(s)
	return a, nil
}

// xEndTokens end a turn in common chat templates; text after the first of them
// is not part of the response.
var xEndTokens = [...]string{"<|im_end|>", "<|endoftext|>", "<|eot_id|>", "<|im_start|>", "<|end|>"}

// xAssistantHeaders open the assistant's turn in ChatML and Llama 3 chat
// templates; a response sent with its prompt (OpenRLHF sends both) is read
// from the last one.
var xAssistantHeaders = [...]string{"<|im_start|>assistant", "<|start_header_id|>assistant<|end_header_id|>"}

// xAnswerRegion cuts response down to the part that can hold the final answer;
// ok=false means the response was cut off inside its reasoning.
func xAnswerRegion(s string) (string, bool) {
	// Chat-template tokens: start after the last assistant header, stop at
	// the first end-of-turn token after it.
	if strings.Contains(s, "<｜") {
		const assistant = "<｜Assistant｜>"
		if i := xLastIndex(s, assistant); i >= 0 {
			s = s[i+len(assistant):]
		}
	}
	if strings.Contains(s, "<|") {
		for _, h := range xAssistantHeaders {
			if i := xLastIndex(s, h); i >= 0 {
				s = s[i+len(h):]
			}
		}
		for from := 0; ; {
			i := strings.Index(s[from:], "<|")
			if i < 0 {
				break
			}
			i += from
			cut := false
			for _, t := range xEndTokens {
				if strings.HasPrefix(s[i:], t) {
					cut = true
					break
				}
			}
			if cut {
				s = s[:i]
				break
			}
			from = i + 2
		}
	}
	if i := strings.Index(s, "</s>"); i >= 0 {
		s = s[:i]
	}
	if i := strings.Index(s, "<｜end▁of▁sentence｜>"); i >= 0 {
		s = s[:i]
	}
	if i := xLastIndex(s, "</think>"); i >= 0 {
		s = s[i+len("</think>"):]
	} else if strings.Contains(s, "<think>") {
		return "", false
	}
	return s, true
}

// xLastIndex is strings.LastIndex built on the vectorized forward search; it
// is faster for the rare patterns searched here.
func xLastIndex(s, sub string) int {
	last := -1
	for from := 0; from <= len(s)-len(sub); {
		i := strings.Index(s[from:], sub)
		if i < 0 {
			break
		}
		last = from + i
		from = last + 1
	}
	return last
}

// xBox is one \boxed{...} or \fbox{...}: s[start:end] is the whole command,
// s[open:close] its content.
type xBox struct{ start, open, close, end int }

// xBoxStatus tells what the box scan found.
type xBoxStatus int

const (
	xBoxNone     xBoxStatus = iota // no box
	xBoxFound                      // at least one closed box
	xBoxUnclosed                   // the last box is never closed
)

// xBoxGroup is a run of boxes separated only by joiners: s[start:end] spans
// from the first box's command to the last box's closing brace.
type xBoxGroup struct{ start, end int }

// xNextBox finds the first box command in s at or after from. found=false
// means there is none; unclosed=true means the box found is never closed.
func xNextBox(s string, from int) (b xBox, found, unclosed bool) {
	for from < len(s) {
		i := strings.Index(s[from:], "box")
		if i < 0 {
			return xBox{}, false, false
		}
		i += from
		from = i + 3
		var start, after int
		switch {
		case i >= 1 && s[i-1] == '\\' && strings.HasPrefix(s[i:], "boxed"):
			start, after = i-1, i+5
		case i >= 2 && s[i-2] == '\\' && s[i-1] == 'f':
			start, after = i-2, i+3
		default:
			continue
		}
		if after < len(s) && xIsLetter(s[after]) {
			continue // \boxedsymbol, \fboxsep and the like
		}
		j := after
		for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r') && j-after < 16 {
			j++
		}
		if j < len(s) && s[j] == '{' {
			close, ok := xMatchBrace(s, j)
			if !ok {
				return xBox{start: start, open: j + 1, close: len(s), end: len(s)}, true, true
			}
			return xBox{start: start, open: j + 1, close: close, end: close + 1}, true, false
		}
		if j == after || j >= len(s) {
			// "\boxed" at the very end, or glued to a non-letter such as
			// "\boxed$": a box command without content.
			if j >= len(s) {
				return xBox{start: start, open: len(s), close: len(s), end: len(s)}, true, true
			}
			continue
		}
		// \boxed 5: the argument is the next token.
		k := j
		for k < len(s) && !xIsSpace(s[k]) && s[k] != '$' {
			if s[k] == '\\' && k > j && k+1 < len(s) && (s[k+1] == ']' || s[k+1] == ')') {
				break
			}
			k++
		}
		if k == j {
			continue
		}
		return xBox{start: start, open: j, close: k, end: k}, true, false
	}
	return xBox{}, false, false
}

// xMatchBrace returns the index of the brace closing the one at s[open].
// Escaped braces (\{, \}) and escaped backslashes do not count.
func xMatchBrace(s string, open int) (int, bool) {
	depth := 0
	for i := open; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return i, true
			}
		}
	}
	return 0, false
}

// xLastBoxGroup scans every top-level box of s once, grouping boxes whose
// joiners allow it, and returns the last group.
func xLastBoxGroup(s string) (xBoxGroup, xBoxStatus) {
	var g xBoxGroup
	status := xBoxNone
	for from := 0; ; {
		b, found, unclosed := xNextBox(s, from)
		if !found {
			break
		}
		if unclosed {
			return xBoxGroup{}, xBoxUnclosed
		}
		if status == xBoxFound && xClassifyJoiner(s[g.end:b.start]) != xJoinNone {
			g.end = b.end
		} else {
			g = xBoxGroup{start: b.start, end: b.end}
		}
		status = xBoxFound
		from = b.end
	}
	return g, status
}

// xJoinKind classifies the text between two boxes.
type xJoinKind int

const (
	xJoinNone xJoinKind = iota // separate statements: the later box supersedes
	xJoinAnd                   // parts of one answer
	xJoinOr                    // alternatives
	xJoinEq                    // the same value written twice: \boxed{a} = \boxed{b}
)

// xMaxJoinerLen bounds the text between two boxes of one group.
const xMaxJoinerLen = 96

// xClassifyJoiner decides whether the text j between two boxes joins them into
// one answer. A joiner has no sentence punctuation and at most four words;
// LaTeX spacing, delimiters and \text{} wrappers are free. Words need a
// conjunction beside them ("and", a comma, a semicolon, &): "papers and"
// joins, "then" does not. The word "or" (or \lor) makes the boxes
// alternatives, and a bare "=" two forms of one value.
func xClassifyJoiner(j string) xJoinKind {
	if len(j) > xMaxJoinerLen {
		return xJoinNone
	}
	words, or, and, eq := 0, false, false, false
	for i := 0; i < len(j); {
		c := j[i]
		switch {
		case c == '\\':
			// A command: spacing and text wrappers are free, a
			// line break "\\" too; other commands count as a word.
			k := i + 1
			for k < len(j) && xIsLetter(j[k]) {
				k++
			}
			name := j[i+1 : k]
			if k == i+1 && k < len(j) {
				k++ // \, \; \! \  \\ \( \) \[ \] \{ \}
				name = j[i+1 : k]
			}
			switch name {
			case "quad", "qquad", "text", "textrm", "textnormal", "mbox", "mathrm", "textbf", "mathbf",
				",", ";", ":", "!", " ", "\\", "(", ")", "[", "]", "hspace", "enspace", "", "displaystyle":
			case "lor", "vee":
				or = true
			case "land", "wedge":
				and = true
			default:
				words++
			}
			i = k
		case c == '.' || c == '!' || c == '?':
			return xJoinNone
		case c == ',' || c == ';' || c == '&':
			and = true
			i++
		case c == '=':
			eq = true
			i++
		case xIsLetter(c):
			k := i
			for k < len(j) && xIsLetter(j[k]) {
				k++
			}
			w := j[i:k]
			switch {
			case strings.EqualFold(w, "or"):
				or = true
			case strings.EqualFold(w, "and"):
				and = true
			}
			words++
			i = k
		default:
			i++
		}
		if words > 4 {
			return xJoinNone
		}
	}
	switch {
	case or:
		return xJoinOr
	case eq && !and && words == 0:
		return xJoinEq
	case words > 0 && !and:
		return xJoinNone // "\boxed{1} then \boxed{2}": a sequence, not a list
	}
	return xJoinAnd
}

// answer returns the answer of the box group g of s, or, when its boxes are
// different alternatives, those alternatives.
func (g xBoxGroup) answer(s string) (string, []string) {
	type part struct{ label, content string }
	var parts []part
	alternatives := false
	prevEnd := g.start
	for from := g.start; from < g.end; {
		b, found, _ := xNextBox(s, from)
		if !found || b.start >= g.end {
			break
		}
		var gap string
		if len(parts) == 0 {
			gap = xLineBefore(s, b.start, 32)
		} else {
			gap = s[prevEnd:b.start]
			if k := xClassifyJoiner(gap); k == xJoinOr || k == xJoinEq {
				alternatives = true
			}
		}
		c := xCleanAnswer(s[b.open:b.close])
		if c != "" {
			parts = append(parts, part{label: xAssignmentLabel(gap), content: c})
		}
		prevEnd = b.end
		from = b.end
	}
	if len(parts) == 0 {
		return "", nil
	}
	same := true
	for _, p := range parts[1:] {
		if p.content != parts[0].content {
			same = false
			break
		}
	}
	if same {
		return parts[0].content, nil
	}
	if alternatives {
		alts := make([]string, len(parts))
		for i, p := range parts {
			alts[i] = p.content
		}
		return "", alts
	}
	labelled := true
	for _, p := range parts {
		if p.label == "" {
			labelled = false
			break
		}
	}
	var sb strings.Builder
	for i, p := range parts {
		if i > 0 {
			sb.WriteString(", ")
		}
		if labelled {
			sb.WriteString(p.label)
			sb.WriteByte('=')
		}
		sb.WriteString(p.content)
	}
	return sb.String(), nil
}

// xLineBefore returns up to max bytes of s before i, not crossing a line break.
func xLineBefore(s string, i, max int) string {
	j := i
	for j > 0 && i-j < max && s[j-1] != '\n' {
		j--
	}
	return s[j:i]
}

// xAssignmentLabel returns the label of "label =" at the end of gap (math
// delimiters and spaces allowed around it): a letter or a LaTeX command,
// optionally with a subscript, such as x, a_{37}, \alpha or x_1. It returns ""
// when gap does not end that way.
func xAssignmentLabel(gap string) string {
	k := len(gap)
	skip := func() {
		for k > 0 {
			switch {
			case xIsSpace(gap[k-1]) || gap[k-1] == '$' || gap[k-1] == '{':
				k--
			case k >= 2 && gap[k-2] == '\\' && (gap[k-1] == '(' || gap[k-1] == '[' || gap[k-1] == ','):
				k -= 2
			default:
				return
			}
		}
	}
	skip()
	if k == 0 || gap[k-1] != '=' {
		return ""
	}
	k--
	for k > 0 && xIsSpace(gap[k-1]) {
		k--
	}
	end := k
	// Subscript: _x, _1, _{...}.
	if k > 0 && gap[k-1] == '}' {
		o := strings.LastIndexByte(gap[:k], '{')
		if o < 1 || gap[o-1] != '_' {
			return ""
		}
		k = o - 1
	} else if k >= 2 && gap[k-2] == '_' && xIsAlnum(gap[k-1]) {
		k -= 2
	}
	st := k
	for st > 0 && xIsLetter(gap[st-1]) {
		st--
	}
	switch {
	case st == k:
		return ""
	case st > 0 && gap[st-1] == '\\':
		st--
	case k-st > 1:
		return "" // a word, not a variable: "total = \boxed{5}"
	case st > 0 && (xIsAlnum(gap[st-1]) || gap[st-1] == '_'):
		return ""
	}
	return strings.TrimSpace(gap[st:end])
}

// xMarkerStatus tells what the marker scan found.
type xMarkerStatus int

const (
	xMarkerNone      xMarkerStatus = iota // no marker
	xMarkerFound                          // a marker with an answer
	xMarkerTruncated                      // the last marker's answer is cut off
)

// xMarker is the answer text after the last marker.
type xMarker struct {
	status   xMarkerStatus
	text     string
	mathLike bool // the answer starts like mathematics, not like a sentence
	strong   bool // see xAnswerMarkerAt
}

// xLastMarker finds the last answer marker in s[from:] and reads its answer.
func xLastMarker(s string, from int) xMarker {
	best, bestEnd, gsm, strong := -1, -1, false, false
	// "answer" in lower or title case, and in capitals.
	for _, pat := range [...]string{"nswer", "NSWER"} {
		for at := from; ; {
			i := strings.Index(s[at:], pat)
			if i < 0 {
				break
			}
			i += at
			at = i + len(pat)
			if i <= best {
				continue
			}
			if end, st, ok := xAnswerMarkerAt(s, i-1, from); ok {
				best, bestEnd, gsm, strong = i-1, end, false, st
			}
		}
	}
	for at := from; ; {
		i := strings.Index(s[at:], "####")
		if i < 0 {
			break
		}
		i += at
		at = i + 4
		if i <= best {
			continue
		}
		if end, ok := xGsmMarkerAt(s, i); ok {
			best, bestEnd, gsm, strong = i, end, true, true
		}
	}
	if best < 0 {
		return xMarker{}
	}
	m := xReadMarkerAnswer(s, bestEnd, gsm)
	m.strong = strong
	return m
}

// xAnswerMarkerAt reports whether the word "answer" at s[i:] (i >= from) is
// an answer marker, where its answer starts, and whether it is a strong
// marker: one that states the final answer ("final answer: ", "the answer
// is", an "Answer:" line, a heading) rather than mentions an answer in
// passing ("check the answer: ...").
func xAnswerMarkerAt(s string, i, from int) (start int, strong, ok bool) {
	if i < from || i+6 > len(s) || (s[i] != 'a' && s[i] != 'A') {
		return 0, false, false
	}
	if i > 0 && xIsLetter(s[i-1]) {
		return 0, false, false
	}
	j := i + 6
	if j < len(s) && xIsLetter(s[j]) {
		return 0, false, false // answers, answered
	}
	// Skip closing markdown around the word: "**Answer**:", "*answer*".
	k := j
	for k < len(s) && k-j < 8 && (s[k] == '*' || s[k] == '_' || s[k] == ' ' || s[k] == '\t') {
		k++
	}
	switch {
	case k < len(s) && s[k] == ':':
		return k + 1, xHeadingStart(s, i) || xAfterFinal(s, i), true
	case strings.HasPrefix(s[k:], "："):
		return k + len("："), xHeadingStart(s, i) || xAfterFinal(s, i), true
	case k < len(s) && s[k] == '=':
		return k + 1, xHeadingStart(s, i), true
	case k > j && (k < len(s) && s[k] == '$' || strings.HasPrefix(s[k:], `\[`) || strings.HasPrefix(s[k:], `\(`)) &&
		xHeadingStart(s, i):
		return k, true, true // "Answer $9$", "Answer \[ 9 \]" at the start of a line
	}
	if w, n := xWordAt(s, k); w != "" {
		switch strings.ToLower(w) {
		case "is":
			return n, true, true
		case "would", "should", "must", "will":
			m := n
			for m < len(s) && s[m] == ' ' {
				m++
			}
			if w2, n2 := xWordAt(s, m); strings.EqualFold(w2, "be") {
				return n2, true, true
			}
		}
		return 0, false, false
	}
	// A heading: the rest of the line is empty and the line holds only
	// markdown and "final" before the word.
	e := k
	for e < len(s) && (s[e] == ' ' || s[e] == '\t' || s[e] == '#' || s[e] == '*' || s[e] == '\r') {
		e++
	}
	if e < len(s) && s[e] != '\n' {
		return 0, false, false
	}
	if !xHeadingStart(s, i) {
		return 0, false, false
	}
	return e, true, true
}

// xAfterFinal reports whether the word at s[i] follows "final" ("Final
// Answer:", "final **answer**:").
func xAfterFinal(s string, i int) bool {
	k := i
	for k > 0 && i-k < 8 && (s[k-1] == ' ' || s[k-1] == '*' || s[k-1] == '_') {
		k--
	}
	return k >= 5 && strings.EqualFold(s[k-5:k], "final") && (k == 5 || !xIsLetter(s[k-6]))
}

// xHeadingStart reports whether the word at s[i] starts its line, after
// markdown (#, *, _) and an optional "final" or "the final".
func xHeadingStart(s string, i int) bool {
	b := i
	for b > 0 && s[b-1] != '\n' && i-b < 40 {
		b--
	}
	if b > 0 && s[b-1] != '\n' {
		return false
	}
	head := strings.Trim(s[b:i], "#*_ \t")
	return head == "" || strings.EqualFold(head, "final") || strings.EqualFold(head, "the final")
}

// xGsmMarkerAt reports whether "####" at s[i:] starts a GSM8K answer line:
// at the start of a line and followed by an answer, not by a heading.
func xGsmMarkerAt(s string, i int) (int, bool) {
	b := i
	for b > 0 && (s[b-1] == ' ' || s[b-1] == '\t') {
		b--
	}
	if b > 0 && s[b-1] != '\n' {
		return 0, false
	}
	j := i + 4
	for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
		j++
	}
	if j >= len(s) {
		return j, true
	}
	if c := s[j]; c == '#' || c == '\n' || xIsLetter(c) {
		return 0, false
	}
	// "#### 72" or "#### 1,080 dollars", not a numbered heading such as
	// "#### 3. Compute the sum".
	e := strings.IndexByte(s[j:], '\n')
	if e < 0 {
		e = len(s) - j
	}
	if xProseWords(s[j:j+e]) > 1 {
		return 0, false
	}
	return j, true
}

// xWordAt returns the ASCII word starting at s[i] and the index after it.
func xWordAt(s string, i int) (string, int) {
	k := i
	for k < len(s) && xIsLetter(s[k]) {
		k++
	}
	return s[i:k], k
}

// xReadMarkerAnswer reads the answer that starts at s[i] (after a marker).
func xReadMarkerAnswer(s string, i int, gsm bool) xMarker {
	// Skip the rest of the marker: spaces, bold closers, a colon.
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '*' || s[i] == '_' || s[i] == ':' || s[i] == '\r') {
		i++
	}
	if i < len(s) && s[i] == '\n' {
		// A heading or "The answer is:" ending its line: the answer is on
		// the next non-empty line.
		for i < len(s) && xIsSpace(s[i]) {
			i++
		}
	}
	if i >= len(s) {
		return xMarker{status: xMarkerTruncated}
	}
	end, truncated := xAnswerEnd(s, i)
	if truncated {
		return xMarker{status: xMarkerTruncated}
	}
	text := s[i:end]
	if end == len(s) && !xBracesBalanced(text) {
		return xMarker{status: xMarkerTruncated}
	}
	if !gsm {
		text = xProseAnswer(text)
	}
	return xMarker{status: xMarkerFound, text: text, mathLike: xLooksMath(xCleanAnswer(text))}
}

// xLooksMath reports whether a cleaned answer starts like mathematics: a
// digit, a sign, a LaTeX command, a bracket, or a single-letter variable
// ("x = 3"), and not a word ("consistent with 5").
func xLooksMath(a string) bool {
	if a == "" {
		return false
	}
	switch c := a[0]; {
	case c >= '0' && c <= '9', c == '-', c == '+', c == '\\', c == '(', c == '[', c == '{', c == '.', c == '|':
		return true
	case xIsLetter(c):
		return len(a) == 1 || !xIsLetter(a[1])
	}
	return false
}

// xAnswerEnd returns where the answer starting at s[i] ends: at the end of its
// line or sentence, reading math spans whole. truncated reports a display
// span ($$, \[, \() that is never closed.
func xAnswerEnd(s string, i int) (end int, truncated bool) {
	for k := i; k < len(s); {
		c := s[k]
		switch {
		case c == '\n':
			return k, false
		case c == '\\' && k+1 < len(s):
			switch s[k+1] {
			case '[', '(':
				closer := `\]`
				if s[k+1] == '(' {
					closer = `\)`
				}
				e := strings.Index(s[k+2:], closer)
				if e < 0 {
					return 0, true
				}
				k += 2 + e + 2
			default:
				k += 2
			}
		case c == '$':
			if k+1 < len(s) && s[k+1] == '$' {
				e := strings.Index(s[k+2:], "$$")
				if e < 0 {
					return 0, true
				}
				k += 2 + e + 2
				continue
			}
			// Inline math closes within its paragraph; an unmatched $ is a
			// dollar sign.
			if e, ok := xInlineClose(s, k+1); ok {
				k = e + 1
				continue
			}
			k++
		case c == '.' || c == '!' || c == '?':
			// A sentence ends at punctuation followed by a space or the end;
			// 3.5 and 5! are not sentence ends.
			if k+1 >= len(s) || xIsSpace(s[k+1]) {
				if c == '!' && k > i && !xIsSpace(s[k-1]) {
					// "5!" is a factorial unless a space follows and the
					// next word starts a sentence; keep it.
					k++
					continue
				}
				return k, false
			}
			k++
		default:
			k++
		}
	}
	return len(s), false
}

// xInlineClose finds the $ closing inline math opened before s[i], skipping
// escaped \$ and stopping at a blank line.
func xInlineClose(s string, i int) (int, bool) {
	for k := i; k < len(s); k++ {
		switch s[k] {
		case '\\':
			k++
		case '$':
			return k, true
		case '\n':
			if j := k + 1; j < len(s) && (s[j] == '\n' || s[j] == '\r' && j+1 < len(s) && s[j+1] == '\n') {
				return 0, false
			}
		}
	}
	return 0, false
}

// xBracesBalanced reports whether every unescaped { in s is closed.
func xBracesBalanced(s string) bool {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '{':
			depth++
		case '}':
			depth--
		}
	}
	return depth <= 0
}

// xFillers are words that may stand between a marker and its answer.
var xFillers = [...]string{"therefore", "thus", "hence", "then", "so", "simply", "just", "exactly", "indeed", "clearly", "approximately"}

// xProseAnswer reduces a marker answer written as a sentence ("The largest $n$
// is 34") to what follows its last copula, and drops a leading filler word
// ("therefore 5").
func xProseAnswer(t string) string {
	t = strings.TrimLeft(t, " \t*_")
	w, n := xWordAt(t, 0)
	for _, f := range xFillers {
		if strings.EqualFold(w, f) {
			return strings.TrimLeft(t[n:], " \t,:")
		}
	}
	if len(w) < 3 {
		return t
	}
	last := -1
	for _, v := range [...]string{" is ", " are ", " equals ", " be ", " was ", " = "} {
		if i := xLastIndexOutsideMath(t, v); i >= 0 && i+len(v) > last {
			last = i + len(v)
		}
	}
	if last < 0 {
		return t
	}
	return xProseAnswer(t[last:])
}

// xLastIndexOutsideMath is strings.LastIndex(s, sub) skipping matches inside
// $...$ spans.
func xLastIndexOutsideMath(s, sub string) int {
	last, inMath := -1, false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\':
			i++
		case s[i] == '$':
			inMath = !inMath
		case !inMath && strings.HasPrefix(s[i:], sub):
			last = i
		}
	}
	return last
}

// xBareAnswer handles a response with no box and no marker: one line without
// prose is the answer itself, or the math span the line ends with; a short
// response that is a single display block or environment is the answer too.
func xBareAnswer(s string) (string, bool) {
	t := strings.TrimSpace(s)
	if t == "" {
		return "", false
	}
	if strings.ContainsAny(t, "\n\r") {
		if len(t) <= xMaxBareLen && xSingleBlock(t) {
			a := xCleanAnswer(t)
			return a, a != ""
		}
		return "", false
	}
	spans, lastEnd := xMathSpans(t)
	if len(spans) > 0 && strings.TrimRight(t[lastEnd:], ".,;:!?*) \t") == "" {
		// The line ends with math: that span is the answer, unless the
		// line offers several different ones.
		first := xCleanAnswer(spans[0])
		for _, sp := range spans[1:] {
			if xCleanAnswer(sp) != first {
				return "", false
			}
		}
		return first, first != ""
	}
	if xProseWords(t) > 3 {
		return "", false // a sentence, not an answer
	}
	if len(t) > xMaxBareLen && strings.ContainsAny(t, " \t") {
		return "", false
	}
	a := xCleanAnswer(t)
	return a, a != ""
}

// xMaxBareLen bounds a bare answer that has spaces in it or spans lines.
const xMaxBareLen = 512

// xSingleBlock reports whether t is one display block ($$..$$, \[..\]) or one
// LaTeX environment (\begin{pmatrix}..\end{pmatrix}) and nothing else.
func xSingleBlock(t string) bool {
	switch {
	case strings.HasPrefix(t, "$$"):
		return strings.Index(t[2:], "$$") == len(t)-4
	case strings.HasPrefix(t, `\[`):
		return strings.Index(t[2:], `\]`) == len(t)-4
	case strings.HasPrefix(t, `\begin{`):
		e := strings.IndexByte(t, '}')
		if e < 0 {
			return false
		}
		name := t[len(`\begin{`):e]
		closer := `\end{` + name + "}"
		return strings.HasSuffix(t, closer) && strings.Count(t, closer) == 1
	}
	return false
}

// xProseWords counts the words of two or more letters in t that are not
// LaTeX command names: "x = 1 or x = 2" has one, "\\frac{1}{2}" none.
func xProseWords(t string) int {
	n := 0
	for i := 0; i < len(t); {
		if !xIsLetter(t[i]) {
			i++
			continue
		}
		k := i
		for k < len(t) && xIsLetter(t[k]) {
			k++
		}
		if k-i >= 2 && (i == 0 || t[i-1] != '\\') {
			n++
		}
		i = k
	}
	return n
}

// xMathSpans returns the contents of the math spans of a single line, and the
// end of the last one.
func xMathSpans(t string) (spans []string, lastEnd int) {
	// unclosed[d] records that delimiter d has no closer after some point,
	// so no later opener of that kind is searched for again: the scan stays
	// linear on a line of a million "\(".
	var unclosed [4]bool
	for k := 0; k < len(t); {
		var d int
		switch {
		case strings.HasPrefix(t[k:], "$$"):
			d = 0
		case t[k] == '$':
			d = 1
		case strings.HasPrefix(t[k:], `\(`):
			d = 2
		case strings.HasPrefix(t[k:], `\[`):
			d = 3
		case t[k] == '\\':
			k += 2
			continue
		default:
			k++
			continue
		}
		open, closer := xSpanDelims[d][0], xSpanDelims[d][1]
		e := -1
		if !unclosed[d] {
			e = strings.Index(t[k+len(open):], closer)
		}
		if e < 0 {
			unclosed[d] = true
			k += len(open)
			continue
		}
		start := k + len(open)
		spans = append(spans, t[start:start+e])
		k = start + e + len(closer)
		lastEnd = k
	}
	return spans, lastEnd
}

// xSpanDelims are the math delimiters, in the order xMathSpans tries them.
var xSpanDelims = [4][2]string{{"$$", "$$"}, {"$", "$"}, {`\(`, `\)`}, {`\[`, `\]`}}

// xCleanAnswer trims what surrounds an answer: whitespace, markdown bold,
// quotes, math delimiters and trailing sentence punctuation.
func xCleanAnswer(a string) string {
	for range 4 {
		before := a
		a = strings.TrimSpace(a)
		a = strings.Trim(a, "*")
		a = xTrimPair(a, "__", "__")
		a = xTrimPair(a, `"`, `"`)
		a = xTrimPair(a, "“", "”")
		a = strings.TrimSpace(a)
		a = xTrimPunct(a)
		a = xStripDelimiters(a)
		if a == before {
			break
		}
	}
	return a
}

// xTrimPunct removes trailing sentence punctuation (. , ; :) and trailing
// LaTeX spacing (\, \; \:), but keeps the dot of \right. and an escaped \..
func xTrimPunct(a string) string {
	for len(a) > 0 {
		c := a[len(a)-1]
		if c != '.' && c != ',' && c != ';' && c != ':' {
			return a
		}
		switch {
		case strings.HasSuffix(a, `\right.`) || strings.HasSuffix(a, `\.`) && c == '.':
			return a
		case len(a) >= 2 && a[len(a)-2] == '\\':
			a = strings.TrimSpace(a[:len(a)-2])
		default:
			a = strings.TrimSpace(a[:len(a)-1])
		}
	}
	return a
}

// xTrimPair removes open and close around s when both are there.
func xTrimPair(s, open, close string) string {
	if len(s) >= len(open)+len(close) && strings.HasPrefix(s, open) && strings.HasSuffix(s, close) {
		return s[len(open) : len(s)-len(close)]
	}
	return s
}

// xStripDelimiters removes math delimiters from an answer: the pair around it
// ($$..$$, $..$, \(..\), \[..\]) and any left inside ("$x=1$ or $x=2$").
// An escaped dollar (\$) is a currency sign and stays.
func xStripDelimiters(a string) string {
	if !strings.ContainsAny(a, "$\\") {
		return a
	}
	for _, p := range [...][2]string{{"$$", "$$"}, {`\[`, `\]`}, {`\(`, `\)`}, {"$", "$"}} {
		a = xTrimPair(a, p[0], p[1])
	}
	if !strings.Contains(a, "$") && !strings.Contains(a, `\(`) && !strings.Contains(a, `\)`) &&
		!strings.Contains(a, `\[`) && !strings.Contains(a, `\]`) {
		return strings.TrimSpace(a)
	}
	var sb strings.Builder
	sb.Grow(len(a))
	for i := 0; i < len(a); i++ {
		c := a[i]
		switch {
		case c == '\\' && i+1 < len(a):
			switch a[i+1] {
			case '(', ')', '[', ']':
				// \[ after a line break "\\" is an optional argument,
				// not a delimiter; it was consumed with the "\\".
			default:
				sb.WriteByte(c)
				sb.WriteByte(a[i+1])
			}
			i++
		case c == '$':
		default:
			sb.WriteByte(c)
		}
	}
	return strings.TrimSpace(sb.String())
}

func xIsLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func xIsAlnum(c byte) bool { return xIsLetter(c) || c >= '0' && c <= '9' }

func xIsSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}
