// Package extract finds the final answer a model response or a worked
// solution commits to: the text scanning behind verify.Extract,
// verify.Response and verify.GoldFromSolution, whose docs state the rules.
// It only sees text; verify, which can compare values, decides what to do
// with alternatives and with several different boxes.
package extract

import (
	"strings"
)

// Final applies the rules of Extract. When the final box group offers
// textually different alternatives (joined by "or" or "="), it returns them
// in alts and answer is "": the caller may accept them when they are all
// equal in value (Response does), or treat them as no answer (Extract does).
func Final(response string) (answer string, alts []string) {
	s, ok := answerRegion(response)
	if !ok {
		return "", nil
	}
	g, status := lastBoxGroup(s)
	if status == boxUnclosed {
		return "", nil
	}
	searchFrom := 0
	if status == boxFound {
		searchFrom = g.end
	}
	m := lastMarker(s, searchFrom)
	switch {
	case m.status == markerTruncated:
		return "", nil
	case m.status == markerFound && (status != boxFound || m.strong && m.mathLike):
		return cleanAnswer(m.text), nil
	case status == boxFound:
		return g.answer(s)
	}
	if a, ok := bareAnswer(s); ok {
		return a, nil
	}
	a, _ := conclusionAnswer(s)
	return a, nil
}

// endTokens end a turn or a sequence in common chat templates (ChatML,
// Llama 3, Phi, Gemma, DeepSeek, SentencePiece models); see EndTokens.
var endTokens = [...]string{
	"<|im_end|>", "<|endoftext|>", "<|end_of_text|>", "<|eot_id|>", "<|end|>",
	"</s>", "<｜end▁of▁sentence｜>", "<end_of_turn>", "<eos>",
}

// turnOpeners start another turn; the response ends before them too.
var turnOpeners = [...]string{"<|im_start|>", "<|start_header_id|>", "<start_of_turn>", "<｜User｜>"}

// assistantHeaders open the assistant's turn (ChatML, Llama 3, Gemma,
// DeepSeek); a response sent with its prompt (OpenRLHF sends both) is read
// from the last one.
var assistantHeaders = [...]string{
	"<|im_start|>assistant", "<|start_header_id|>assistant<|end_header_id|>",
	"<start_of_turn>model", "<｜Assistant｜>",
}

// EndTokens returns the chat-template end-of-turn and end-of-sequence tokens,
// a fresh slice each call.
func EndTokens() []string {
	out := make([]string, len(endTokens))
	copy(out, endTokens[:])
	return out
}

// StripChatEnd removes what trails a response decoded with its special tokens
// kept: end tokens and whitespace at the end, repeatedly ("x<|im_end|>\n
// <|endoftext|><|endoftext|>" gives "x"). Text before them is kept as is.
func StripChatEnd(s string) string {
	for {
		t := strings.TrimRight(s, " \t\n\r\f\v")
		for _, tok := range endTokens {
			t = strings.TrimSuffix(t, tok)
		}
		if len(t) == len(s) {
			return s
		}
		s = t
	}
}

// answerRegion cuts response down to the part that can hold the final answer;
// ok=false means the response was cut off inside its reasoning.
func answerRegion(s string) (string, bool) {
	// Chat-template tokens: start after the last assistant header, stop at
	// the first end-of-turn token or turn opener after it. One pass over the
	// "<" of the text finds the header, a second one the end.
	start := 0
	for i := strings.IndexByte(s, '<'); i >= 0; {
		for _, h := range assistantHeaders {
			if strings.HasPrefix(s[i:], h) {
				start = i + len(h)
			}
		}
		j := strings.IndexByte(s[i+1:], '<')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	s = s[start:]
	for i := strings.IndexByte(s, '<'); i >= 0; {
		if hasAnyPrefix(s[i:], endTokens[:]) || hasAnyPrefix(s[i:], turnOpeners[:]) {
			s = s[:i]
			break
		}
		j := strings.IndexByte(s[i+1:], '<')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	if i := lastIndex(s, "</think>"); i >= 0 {
		s = s[i+len("</think>"):]
	} else if strings.Contains(s, "<think>") {
		return "", false
	}
	return s, true
}

// hasAnyPrefix reports whether s starts with one of the prefixes.
func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// lastIndex is strings.LastIndex built on the vectorized forward search; it
// is faster for the rare patterns searched here.
func lastIndex(s, sub string) int {
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

// box is one \boxed{...} or \fbox{...}: s[start:end] is the whole command,
// s[open:close] its content.
type box struct{ start, open, close, end int }

// boxStatus tells what the box scan found.
type boxStatus int

const (
	boxNone     boxStatus = iota // no box
	boxFound                     // at least one closed box
	boxUnclosed                  // the last box is never closed
)

// boxGroup is a run of boxes separated only by joiners: s[start:end] spans
// from the first box's command to the last box's closing brace.
type boxGroup struct{ start, end int }

// nextBox finds the first box command in s at or after from. found=false
// means there is none; unclosed=true means the box found is never closed.
func nextBox(s string, from int) (b box, found, unclosed bool) {
	for from < len(s) {
		i := strings.Index(s[from:], "box")
		if i < 0 {
			return box{}, false, false
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
		if after < len(s) && isLetter(s[after]) {
			continue // \boxedsymbol, \fboxsep and the like
		}
		j := after
		for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r') && j-after < 16 {
			j++
		}
		if j < len(s) && s[j] == '{' {
			close, ok := MatchBrace(s, j)
			if !ok {
				return box{start: start, open: j + 1, close: len(s), end: len(s)}, true, true
			}
			return box{start: start, open: j + 1, close: close, end: close + 1}, true, false
		}
		if j == after || j >= len(s) {
			// "\boxed" at the very end, or glued to a non-letter such as
			// "\boxed$": a box command without content.
			if j >= len(s) {
				return box{start: start, open: len(s), close: len(s), end: len(s)}, true, true
			}
			continue
		}
		// \boxed 5: the argument is the next token.
		k := j
		for k < len(s) && !isSpace(s[k]) && s[k] != '$' {
			if s[k] == '\\' && k > j && k+1 < len(s) && (s[k+1] == ']' || s[k+1] == ')') {
				break
			}
			k++
		}
		if k == j {
			continue
		}
		return box{start: start, open: j, close: k, end: k}, true, false
	}
	return box{}, false, false
}

// MatchBrace returns the index of the brace closing the one at s[open].
// Escaped braces (\{, \}) and escaped backslashes do not count.
func MatchBrace(s string, open int) (int, bool) {
	at, _ := scanBraces(s, open, true)
	return at, at >= 0
}

// scanBraces counts the depth of the unescaped braces of s from s[from];
// with stop it returns the index where the depth comes back to 0, else -1
// and the depth at the end.
func scanBraces(s string, from int, stop bool) (at, depth int) {
	for i := from; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '{':
			depth++
		case '}':
			depth--
			if stop && depth == 0 {
				return i, 0
			}
		}
	}
	return -1, depth
}

// lastBoxGroup scans every top-level box of s once, grouping boxes whose
// joiners allow it, and returns the last group.
func lastBoxGroup(s string) (boxGroup, boxStatus) {
	var g boxGroup
	status := boxNone
	for from := 0; ; {
		b, found, unclosed := nextBox(s, from)
		if !found {
			break
		}
		if unclosed {
			return boxGroup{}, boxUnclosed
		}
		if status == boxFound && classifyJoiner(s[g.end:b.start]) != joinNone {
			g.end = b.end
		} else {
			g = boxGroup{start: b.start, end: b.end}
		}
		status = boxFound
		from = b.end
	}
	return g, status
}

// joinKind classifies the text between two boxes.
type joinKind int

const (
	joinNone joinKind = iota // separate statements: the later box supersedes
	joinAnd                  // parts of one answer
	joinOr                   // alternatives
	joinEq                   // the same value written twice: \boxed{a} = \boxed{b}
)

// maxJoinerLen bounds the text between two boxes of one group.
const maxJoinerLen = 96

// classifyJoiner decides whether the text j between two boxes joins them into
// one answer. A joiner has no sentence punctuation and at most four words;
// LaTeX spacing, delimiters and \text{} wrappers are free. Words need a
// conjunction beside them ("and", a comma, a semicolon, &): "papers and"
// joins, "then" does not. The word "or" (or \lor) makes the boxes
// alternatives, and a bare "=" two forms of one value.
func classifyJoiner(j string) joinKind {
	if len(j) > maxJoinerLen {
		return joinNone
	}
	words, or, and, eq := 0, false, false, false
	for i := 0; i < len(j); {
		c := j[i]
		switch {
		case c == '\\':
			// A command: spacing and text wrappers are free, a
			// line break "\\" too; other commands count as a word.
			k := i + 1
			for k < len(j) && isLetter(j[k]) {
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
			return joinNone
		case c == ',' || c == ';' || c == '&':
			and = true
			i++
		case c == '=':
			eq = true
			i++
		case isLetter(c):
			k := i
			for k < len(j) && isLetter(j[k]) {
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
			return joinNone
		}
	}
	switch {
	case or:
		return joinOr
	case eq && !and && words == 0:
		return joinEq
	case words > 0 && !and:
		return joinNone // "\boxed{1} then \boxed{2}": a sequence, not a list
	}
	return joinAnd
}

// answer returns the answer of the box group g of s, or, when its boxes are
// different alternatives, those alternatives.
func (g boxGroup) answer(s string) (string, []string) {
	type part struct{ label, content string }
	var parts []part
	alternatives := false
	prevEnd := g.start
	for from := g.start; from < g.end; {
		b, found, _ := nextBox(s, from)
		if !found || b.start >= g.end {
			break
		}
		var gap string
		if len(parts) == 0 {
			gap = lineBefore(s, b.start, 32)
		} else {
			gap = s[prevEnd:b.start]
			if k := classifyJoiner(gap); k == joinOr || k == joinEq {
				alternatives = true
			}
		}
		c := cleanAnswer(s[b.open:b.close])
		if c != "" {
			parts = append(parts, part{label: assignmentLabel(gap), content: c})
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

// lineBefore returns up to max bytes of s before i, not crossing a line break.
func lineBefore(s string, i, max int) string {
	j := i
	for j > 0 && i-j < max && s[j-1] != '\n' {
		j--
	}
	return s[j:i]
}

// assignmentLabel returns the label of "label =" at the end of gap (math
// delimiters and spaces allowed around it): a letter or a LaTeX command,
// optionally with a subscript, such as x, a_{37}, \alpha or x_1. It returns ""
// when gap does not end that way.
func assignmentLabel(gap string) string {
	k := len(gap)
	skip := func() {
		for k > 0 {
			switch {
			case isSpace(gap[k-1]) || gap[k-1] == '$' || gap[k-1] == '{':
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
	for k > 0 && isSpace(gap[k-1]) {
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
	} else if k >= 2 && gap[k-2] == '_' && isAlnum(gap[k-1]) {
		k -= 2
	}
	st := k
	for st > 0 && isLetter(gap[st-1]) {
		st--
	}
	switch {
	case st == k:
		return ""
	case st > 0 && gap[st-1] == '\\':
		st--
	case k-st > 1:
		return "" // a word, not a variable: "total = \boxed{5}"
	case st > 0 && (isAlnum(gap[st-1]) || gap[st-1] == '_'):
		return ""
	}
	return strings.TrimSpace(gap[st:end])
}

// markerStatus tells what the marker scan found.
type markerStatus int

const (
	markerNone      markerStatus = iota // no marker
	markerFound                         // a marker with an answer
	markerTruncated                     // the last marker's answer is cut off
)

// marker is the answer text after the last marker.
type marker struct {
	status   markerStatus
	text     string
	mathLike bool // the answer starts like mathematics, not like a sentence
	strong   bool // see answerMarkerAt
}

// lastMarker finds the last answer marker in s[from:] and reads its answer.
func lastMarker(s string, from int) marker {
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
			if end, st, ok := answerMarkerAt(s, i-1, from); ok {
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
		if end, ok := gsmMarkerAt(s, i); ok {
			best, bestEnd, gsm, strong = i, end, true, true
		}
	}
	if i, end, ok := lastLineAnswer(s, from); ok && i > best {
		best, bestEnd, gsm, strong = i, end, false, true
	}
	if best < 0 {
		return marker{}
	}
	m := readMarkerAnswer(s, bestEnd, gsm)
	m.strong = strong
	return m
}

// answerMarkerAt reports whether the word "answer" at s[i:] (i >= from) is
// an answer marker, where its answer starts, and whether it is a strong
// marker: one that states the final answer ("final answer: ", "the answer
// is", an "Answer:" line, a heading) rather than mentions an answer in
// passing ("check the answer: ...").
func answerMarkerAt(s string, i, from int) (start int, strong, ok bool) {
	if i < from || i+6 > len(s) || (s[i] != 'a' && s[i] != 'A') {
		return 0, false, false
	}
	if i > 0 && isLetter(s[i-1]) {
		return 0, false, false
	}
	j := i + 6
	if j < len(s) && isLetter(s[j]) {
		return 0, false, false // answers, answered
	}
	// Skip closing markdown around the word: "**Answer**:", "*answer*".
	k := j
	for k < len(s) && k-j < 8 && (s[k] == '*' || s[k] == '_' || s[k] == ' ' || s[k] == '\t') {
		k++
	}
	switch {
	case k < len(s) && s[k] == ':':
		return k + 1, headingStart(s, i) || afterFinal(s, i), true
	case strings.HasPrefix(s[k:], "："):
		return k + len("："), headingStart(s, i) || afterFinal(s, i), true
	case k < len(s) && s[k] == '=':
		return k + 1, headingStart(s, i), true
	case k > j && (k < len(s) && s[k] == '$' || strings.HasPrefix(s[k:], `\[`) || strings.HasPrefix(s[k:], `\(`)) &&
		headingStart(s, i):
		return k, true, true // "Answer $9$", "Answer \[ 9 \]" at the start of a line
	}
	if k < len(s) && s[k] != '\n' && s[k] != '\r' && (strings.Contains(s[j:k], "**") || strings.Contains(s[j:k], "__")) &&
		headingStart(s, i) && (k == j || s[k-1] == ' ' || s[k-1] == '\t') && !strings.HasPrefix(strings.ToLower(s[k:]), "is ") {
		return k, true, true // "**Final Answer** Navin": a bold heading with its answer on the same line
	}
	if w, n := wordAt(s, k); w != "" {
		switch strings.ToLower(w) {
		case "is":
			return n, true, true
		case "would", "should", "must", "will":
			m := n
			for m < len(s) && s[m] == ' ' {
				m++
			}
			if w2, n2 := wordAt(s, m); strings.EqualFold(w2, "be") {
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
	if !headingStart(s, i) {
		return 0, false, false
	}
	return e, true, true
}

// afterFinal reports whether the word at s[i] follows "final" ("Final
// Answer:", "final **answer**:").
func afterFinal(s string, i int) bool {
	k := i
	for k > 0 && i-k < 8 && (s[k-1] == ' ' || s[k-1] == '*' || s[k-1] == '_') {
		k--
	}
	return k >= 5 && strings.EqualFold(s[k-5:k], "final") && (k == 5 || !isLetter(s[k-6]))
}

// headingStart reports whether the word at s[i] starts its line, after
// markdown (#, *, _) and an optional "final" or "the final".
func headingStart(s string, i int) bool {
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

// gsmMarkerAt reports whether "####" at s[i:] starts a GSM8K answer line:
// at the start of a line and followed by an answer, not by a heading.
func gsmMarkerAt(s string, i int) (int, bool) {
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
	if c := s[j]; c == '#' || c == '\n' || isLetter(c) {
		return 0, false
	}
	// "#### 72" or "#### 1,080 dollars", not a numbered heading such as
	// "#### 3. Compute the sum".
	e := strings.IndexByte(s[j:], '\n')
	if e < 0 {
		e = len(s) - j
	}
	if proseWords(s[j:j+e]) > 1 {
		return 0, false
	}
	return j, true
}

// wordAt returns the ASCII word starting at s[i] and the index after it.
func wordAt(s string, i int) (string, int) {
	k := i
	for k < len(s) && isLetter(s[k]) {
		k++
	}
	return s[i:k], k
}

// readMarkerAnswer reads the answer that starts at s[i] (after a marker).
func readMarkerAnswer(s string, i int, gsm bool) marker {
	// Skip the rest of the marker: spaces, bold closers, a colon.
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '*' || s[i] == '_' || s[i] == ':' || s[i] == '\r') {
		i++
	}
	if i < len(s) && s[i] == '\n' {
		// A heading or "The answer is:" ending its line: the answer is on
		// the next non-empty line.
		for i < len(s) && isSpace(s[i]) {
			i++
		}
	}
	if i >= len(s) {
		return marker{status: markerTruncated}
	}
	end, truncated := answerEnd(s, i)
	if truncated {
		return marker{status: markerTruncated}
	}
	text := s[i:end]
	if end == len(s) && !bracesBalanced(text) {
		return marker{status: markerTruncated}
	}
	if !gsm {
		text = numberHead(cutClause(proseAnswer(text)))
	}
	return marker{status: markerFound, text: text, mathLike: looksMath(cleanAnswer(text))}
}

// looksMath reports whether a cleaned answer starts like mathematics: a
// digit, a sign, a LaTeX command, a bracket, or a single-letter variable
// ("x = 3"), and not a word ("consistent with 5").
func looksMath(a string) bool {
	if a == "" {
		return false
	}
	switch c := a[0]; {
	case c >= '0' && c <= '9', c == '-', c == '+', c == '\\', c == '(', c == '[', c == '{', c == '.', c == '|':
		return true
	case isLetter(c):
		return len(a) == 1 || !isLetter(a[1])
	}
	return false
}

// answerEnd returns where the answer starting at s[i] ends: at the end of its
// line or sentence, reading math spans whole. truncated reports a display
// span ($$, \[, \() that is never closed.
func answerEnd(s string, i int) (end int, truncated bool) {
	for k := i; k < len(s); {
		c := s[k]
		switch {
		case c == '\n':
			return k, false
		case c == '\\' && k+1 < len(s), c == '$':
			next, closed := skipMath(s, k)
			if !closed {
				return 0, true
			}
			k = next
		case c == '.' || c == '!' || c == '?':
			// A sentence ends at punctuation followed by a space or the end;
			// 3.5 and 5! are not sentence ends.
			if k+1 >= len(s) || isSpace(s[k+1]) {
				if c == '!' && k > i && !isSpace(s[k-1]) {
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

// skipMath returns the index just after what opens at s[k], a backslash or
// a dollar sign: a math span read whole (\[...\], \(...\), $$...$$, or
// $...$, inline math closing within its paragraph), else the escape or the
// lone dollar sign. closed is false for a display span that never closes.
func skipMath(s string, k int) (next int, closed bool) {
	if s[k] == '\\' {
		if k+1 < len(s) && (s[k+1] == '[' || s[k+1] == '(') {
			closer := `\]`
			if s[k+1] == '(' {
				closer = `\)`
			}
			e := strings.Index(s[k+2:], closer)
			if e < 0 {
				return 0, false
			}
			return k + 2 + e + 2, true
		}
		return k + 2, true
	}
	if k+1 < len(s) && s[k+1] == '$' {
		e := strings.Index(s[k+2:], "$$")
		if e < 0 {
			return 0, false
		}
		return k + 2 + e + 2, true
	}
	// an unmatched $ is a dollar sign
	if e, ok := inlineClose(s, k+1); ok {
		return e + 1, true
	}
	return k + 1, true
}

// inlineClose finds the $ closing inline math opened before s[i], skipping
// escaped \$ and stopping at a blank line.
func inlineClose(s string, i int) (int, bool) {
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

// bracesBalanced reports whether every unescaped { in s is closed.
func bracesBalanced(s string) bool {
	_, depth := scanBraces(s, 0, false)
	return depth <= 0
}

// fillers are words that may stand between a marker and its answer.
var fillers = [...]string{"therefore", "thus", "hence", "then", "so", "simply", "just", "exactly", "indeed", "clearly", "approximately"}

// proseAnswer reduces a marker answer written as a sentence ("The largest $n$
// is 34") to what follows its last copula, and drops a leading filler word
// ("therefore 5").
func proseAnswer(t string) string {
	t = strings.TrimLeft(t, " \t*_")
	w, n := wordAt(t, 0)
	for _, f := range fillers {
		if strings.EqualFold(w, f) {
			return strings.TrimLeft(t[n:], " \t,:")
		}
	}
	if len(w) < 3 {
		return t
	}
	t = dropClause(t)
	last := lastCopula(t)
	if last < 0 {
		return t
	}
	return cutClause(proseAnswer(t[last:]))
}

// copulas link a subject to the answer stated after them.
var copulas = [...]string{" is ", " are ", " equals ", " be ", " was ", " = ", " becomes ", " is:", " are:"}

// lastCopula returns where the text after the last copula outside math
// starts, or -1.
func lastCopula(t string) int {
	last := -1
	for _, v := range copulas {
		if i := lastIndexOutsideMath(t, v); i >= 0 && i+len(v) > last {
			last = i + len(v)
		}
	}
	return last
}

// dropClause cuts a sentence before its first subordinate clause when a
// copula comes before it ("the frame must be 51,200 bits if the rate is 1
// Gbps" loses "if the rate is 1 Gbps"), so that the clause's own copula does
// not pass for the answer's.
func dropClause(t string) string {
	cut := -1
	for _, w := range clauseWords {
		if i := indexOutsideMath(t, w); i >= 0 && (cut < 0 || i < cut) {
			cut = i
		}
	}
	if cut < 0 || lastCopula(t[:cut]) < 0 {
		return t
	}
	return t[:cut]
}

// clauseWords start a subordinate clause that may follow an answer stated in
// a sentence ("51,200 bits if the data rate increases").
var clauseWords = [...]string{" if ", " when ", " because ", " since ", " which ", " where ", " so that ", " given ", " after ", " as long as "}

// cutClause drops a subordinate clause after an answer that starts like
// mathematics ("51,200 bits if the rate is 1 Gbps" gives "51,200 bits"). A
// text that does not start like mathematics is kept whole.
func cutClause(t string) string {
	if !looksMath(cleanAnswer(t)) {
		return t
	}
	cut := len(t)
	for _, w := range clauseWords {
		if i := indexOutsideMath(t, w); i >= 0 && i < cut {
			cut = i
		}
	}
	if rest := t[cut:]; strings.Contains(rest, " and ") || strings.Contains(rest, " or ") || strings.Contains(rest, " otherwise") || strings.ContainsRune(rest, ';') {
		return t // "5 when n is even and 6 when n is odd": a case split, not one answer
	}
	return dropRemark(t[:cut])
}

// headStops are words after which the number of a sentence is not the
// answer by itself: comparisons, rates and negations ("5 times larger", "3
// per hour", "2 more than").
var headStops = [...]string{
	"than", "more", "less", "fewer", "greater", "larger", "smaller", "times", "plus", "minus", "per",
	"percent", "not", "no", "or", "and", "to", "divided", "multiplied", "over", "out",
}

// numberHead reduces a marker's answer that is a number, a label word and a
// restatement of the question ("720 ways the 6 people can be seated at the
// tables") to the number and its label ("720 ways"); a concluding sentence
// without a marker gets no such reduction ("there are 12 distinct sequences
// that ..." is no answer). Text that does not
// start with a plain number followed by at least three words, or in which a
// comparison, rate or negation word follows the number, is kept whole.
func numberHead(t string) string {
	u := strings.TrimLeft(t, " \t")
	k := 0
	for k < len(u) && (u[k] >= '0' && u[k] <= '9' || (u[k] == ',' || u[k] == '.') && k+1 < len(u) && u[k+1] >= '0' && u[k+1] <= '9') {
		k++
	}
	if k == 0 || k >= len(u) || u[k] != ' ' {
		return t
	}
	words := strings.Fields(u[k:])
	if len(words) < 4 || !isLetter(words[0][0]) {
		return t
	}
	for _, w := range words {
		l := strings.ToLower(strings.Trim(w, ".,;:!?"))
		for _, h := range headStops {
			if l == h {
				return t
			}
		}
	}
	return u[:k] + " " + strings.TrimRight(words[0], ".,;:!?")
}

// dropRemark removes a parenthesized remark in words after an answer: "3.14
// (approximately)", "512 (in bits)". A bracket without words, "(1, 2)" or
// "(c)", is part of the answer and stays.
func dropRemark(t string) string {
	u := strings.TrimRight(t, " \t.,;")
	if !strings.HasSuffix(u, ")") {
		return t
	}
	o := strings.LastIndexByte(u, '(')
	if o <= 0 || strings.TrimSpace(u[:o]) == "" || strings.ContainsAny(u[o+1:len(u)-1], "()$\\") || proseWords(u[o+1:len(u)-1]) == 0 {
		return t
	}
	return strings.TrimRight(u[:o], " \t")
}

// indexOutsideMath is strings.Index(s, sub) skipping matches inside $...$,
// \(...\) and \[...\] spans.
func indexOutsideMath(s, sub string) int {
	inMath := false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s) && (s[i+1] == '(' || s[i+1] == '['):
			inMath = true
			i++
		case s[i] == '\\' && i+1 < len(s) && (s[i+1] == ')' || s[i+1] == ']'):
			inMath = false
			i++
		case s[i] == '\\':
			i++
		case s[i] == '$':
			inMath = !inMath
		case !inMath && strings.HasPrefix(s[i:], sub):
			return i
		}
	}
	return -1
}

// lastIndexOutsideMath is strings.LastIndex(s, sub) skipping matches inside
// $...$ spans.
func lastIndexOutsideMath(s, sub string) int {
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

// bareAnswer handles a response with no box and no marker: one line without
// prose is the answer itself, or the math span the line ends with; a short
// response that is a single display block or environment is the answer too.
func bareAnswer(s string) (string, bool) {
	t := strings.TrimSpace(s)
	if t == "" {
		return "", false
	}
	if strings.ContainsAny(t, "\n\r") {
		if len(t) <= maxBareLen && singleBlock(t) {
			a := cleanAnswer(t)
			return a, a != ""
		}
		return "", false
	}
	spans, lastEnd := mathSpans(t)
	if len(spans) > 0 && strings.TrimRight(t[lastEnd:], ".,;:!?*) \t") == "" {
		// The line ends with math: that span is the answer, unless the
		// line offers several different ones.
		first := cleanAnswer(spans[0])
		for _, sp := range spans[1:] {
			if cleanAnswer(sp) != first {
				return "", false
			}
		}
		return first, first != ""
	}
	if proseWords(t) > 3 {
		return "", false // a sentence, not an answer
	}
	if len(t) > maxBareLen && strings.ContainsAny(t, " \t") {
		return "", false
	}
	a := cleanAnswer(t)
	return a, a != ""
}

// maxBareLen bounds a bare answer that has spaces in it or spans lines.
const maxBareLen = 512

// singleBlock reports whether t is one display block ($$..$$, \[..\]) or one
// LaTeX environment (\begin{pmatrix}..\end{pmatrix}) and nothing else.
func singleBlock(t string) bool {
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

// proseWords counts the words of two or more letters in t that are not
// LaTeX command names: "x = 1 or x = 2" has one, "\\frac{1}{2}" none.
func proseWords(t string) int {
	n := 0
	for i := 0; i < len(t); {
		if !isLetter(t[i]) {
			i++
			continue
		}
		k := i
		for k < len(t) && isLetter(t[k]) {
			k++
		}
		if k-i >= 2 && (i == 0 || t[i-1] != '\\') {
			n++
		}
		i = k
	}
	return n
}

// mathSpans returns the contents of the math spans of a single line, and the
// end of the last one.
func mathSpans(t string) (spans []string, lastEnd int) {
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
		open, closer := spanDelims[d][0], spanDelims[d][1]
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

// spanDelims are the math delimiters, in the order mathSpans tries them.
var spanDelims = [4][2]string{{"$$", "$$"}, {"$", "$"}, {`\(`, `\)`}, {`\[`, `\]`}}

// cleanAnswer trims what surrounds an answer: whitespace, markdown bold,
// quotes, math delimiters and trailing sentence punctuation.
func cleanAnswer(a string) string {
	for range 4 {
		before := a
		a = strings.TrimSpace(a)
		a = strings.Trim(a, "*")
		a = trimPair(a, "__", "__")
		a = trimPair(a, `"`, `"`)
		a = trimPair(a, "“", "”")
		a = strings.TrimSpace(a)
		a = trimPunct(a)
		a = stripDelimiters(a)
		if a == before {
			break
		}
	}
	return a
}

// trimPunct removes trailing sentence punctuation (. , ; :) and trailing
// LaTeX spacing (\, \; \:), but keeps the dot of \right. and an escaped \..
func trimPunct(a string) string {
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

// trimPair removes open and close around s when both are there.
func trimPair(s, open, close string) string {
	if len(s) >= len(open)+len(close) && strings.HasPrefix(s, open) && strings.HasSuffix(s, close) {
		return s[len(open) : len(s)-len(close)]
	}
	return s
}

// stripDelimiters removes math delimiters from an answer: the pair around it
// ($$..$$, $..$, \(..\), \[..\]) and any left inside ("$x=1$ or $x=2$").
// An escaped dollar (\$) is a currency sign and stays.
func stripDelimiters(a string) string {
	if !strings.ContainsAny(a, "$\\") {
		return a
	}
	for _, p := range [...][2]string{{"$$", "$$"}, {`\[`, `\]`}, {`\(`, `\)`}, {"$", "$"}} {
		a = trimPair(a, p[0], p[1])
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

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

func isAlnum(c byte) bool { return isLetter(c) || c >= '0' && c <= '9' }

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// SolutionBox is one closed top-level box of a worked solution.
type SolutionBox struct {
	Content     string // the cleaned content
	Alternative bool   // its sentence calls it an alternative ("\boxed{3} is also accepted")
	InLastGroup bool   // it belongs to the solution's last box group
}

// SolutionBoxes returns every closed top-level box of a worked solution in
// order; unclosed=true means the last box is never closed (a truncated
// solution) and boxes is nil.
func SolutionBoxes(s string) (boxes []SolutionBox, unclosed bool) {
	g, status := lastBoxGroup(s)
	switch status {
	case boxUnclosed:
		return nil, true
	case boxNone:
		return nil, false
	}
	for from := 0; ; {
		b, found, open := nextBox(s, from)
		if !found || open {
			break
		}
		boxes = append(boxes, SolutionBox{
			Content:     cleanAnswer(s[b.open:b.close]),
			Alternative: isAlternative(s, b),
			InLastGroup: b.start >= g.start,
		})
		from = b.end
	}
	return boxes, false
}

// alternativeAfter and alternativeBefore are the phrases that make a box an
// alternative form rather than the answer: after it in its sentence, or
// before it on its line.
var (
	alternativeAfter  = [...]string{"also accept", "also correct", "also valid", "also allowed", "also fine", "also acceptable"}
	alternativeBefore = [...]string{"alternatively", "also accept", "or equivalently"}
)

// isAlternative reports whether the box b of s is offered as an alternative.
func isAlternative(s string, b box) bool {
	e := b.end
	for e < len(s) && e-b.end < 160 && s[e] != '\n' && s[e] != '!' && s[e] != '?' && !(s[e] == '.' && (e+1 == len(s) || isSpace(s[e+1]))) {
		e++
	}
	after := strings.ToLower(s[b.end:e])
	for _, p := range alternativeAfter {
		if strings.Contains(after, p) {
			return true
		}
	}
	before := strings.ToLower(lineBefore(s, b.start, 64))
	for _, p := range alternativeBefore {
		if strings.Contains(before, p) {
			return true
		}
	}
	return false
}

// HashAnswer returns the answer of the last GSM8K "#### X" line of s, cleaned
// as a marker answer is; ok=false when there is none.
func HashAnswer(s string) (string, bool) {
	best := -1
	for at := 0; ; {
		i := strings.Index(s[at:], "####")
		if i < 0 {
			break
		}
		i += at
		at = i + 4
		if end, ok := gsmMarkerAt(s, i); ok {
			best = end
		}
	}
	if best < 0 {
		return "", false
	}
	m := readMarkerAnswer(s, best, true)
	if m.status != markerFound {
		return "", false
	}
	a := cleanAnswer(m.text)
	return a, a != ""
}

// lastLineAnswer reports whether the last non-empty line of s[from:] is a
// GSM8K-style answer line "A: 8" (the format of OpenAI's grade-school-math
// model outputs), returning where the line starts and where its answer
// starts. Only the last line counts: an "A:" line followed by more text is
// an option or a dialogue, not the final answer.
func lastLineAnswer(s string, from int) (start, answer int, ok bool) {
	e := len(s) - trailingSpace(s)
	b := e
	for b > from && s[b-1] != '\n' {
		b--
	}
	if b == from && from > 0 && s[from-1] != '\n' {
		return 0, 0, false // the line starts before from
	}
	i := b
	for i < e && (s[i] == ' ' || s[i] == '\t' || s[i] == '*') {
		i++
	}
	if !strings.HasPrefix(s[i:e], "A:") {
		return 0, 0, false
	}
	j := i + 2
	for j < e && (s[j] == '*' || s[j] == ' ' || s[j] == '\t') {
		j++
	}
	if j >= e {
		return 0, 0, false
	}
	return i, j, true
}

// openers start a concluding sentence.
var openers = [...]string{
	"therefore", "thus", "hence", "so", "consequently", "finally", "in conclusion", "in summary", "in total", "altogether",
	"the correct option", "the correct choice", "the right option", "the correct one",
}

// negations make a sentence something other than a statement of the answer
// ("so $x=3$ is not a solution").
var negations = [...]string{
	"not", "no", "never", "cannot", "can't", "isn't", "aren't", "doesn't", "don't", "won't", "neither", "nor",
	"none", "unless", "except", "impossible", "incorrect", "wrong", "extraneous", "invalid", "reject", "rejected",
	"discard", "discarded", "excluded", "undefined",
}

// closings are polite sentences after the answer that do not change it.
var closings = [...]string{"i hope it is correct", "i hope this helps", "hope this helps", "i hope that helps"}

// conclusionAnswer reads the answer of a response with no box and no marker
// from its concluding sentence: the last sentence (polite closings such as
// "I hope it is correct." skipped) when it starts with "Therefore", "Thus",
// "Hence", "So", "In conclusion" and the like and states no negation. The
// answer is the math after its last copula ("so the area is $12$ cm$^2$"
// gives "12 cm^2"; "the probability ... is 2/3" gives "2/3"), or else its one
// math span when the sentence has a single distinct one ("Therefore $x \geq
// 5$ is the solution."). Several different spans and no copula before the
// last one: no answer.
func conclusionAnswer(s string) (string, bool) {
	t, ok := lastSentence(s)
	for ok {
		l := strings.ToLower(strings.TrimRight(strings.TrimSpace(t), ".!* \t"))
		closing := false
		for _, c := range closings {
			if l == c {
				closing = true
			}
		}
		if !closing {
			break
		}
		s = s[:len(s)-trailingSpace(s)-len(t)]
		t, ok = lastSentence(s)
	}
	if !ok {
		return "", false
	}
	t = strings.TrimLeft(skipStep(strings.TrimLeft(strings.TrimSpace(t), "*_#- ")), "*_ ")
	lower := strings.ToLower(t)
	rest := ""
	for _, o := range openers {
		if strings.HasPrefix(lower, o) && (len(t) == len(o) || !isLetter(t[len(o)])) {
			rest = strings.TrimLeft(t[len(o):], " ,:")
			break
		}
	}
	if rest == "" || hasNegation(rest) {
		return "", false
	}
	rest = " " + dropClause(strings.TrimRight(rest, " \t\r\n"))
	// The math after the last copula.
	last := lastCopula(rest)
	if last >= 0 {
		tail := cleanAnswer(cutClause(strings.TrimLeft(rest[last:], ": \t\r\n")))
		if looksMath(tail) && proseWords(tail) <= 2 {
			return tail, true
		}
	}
	spans, lastEnd := mathSpans(rest)
	if len(spans) == 0 {
		return "", false
	}
	first := cleanAnswer(spans[0])
	for _, sp := range spans[1:] {
		if cleanAnswer(sp) != first {
			return "", false
		}
	}
	if first == "" || proseWords(rest[lastEnd:]) > 4 {
		return "", false
	}
	return first, true
}

// startsOpener reports whether t starts with a capitalized opener word
// followed by a comma or a space.
func startsOpener(t string) bool {
	for _, o := range [...]string{"Therefore", "Thus", "Hence", "So", "Consequently", "Finally"} {
		if strings.HasPrefix(t, o) && len(t) > len(o) && (t[len(o)] == ',' || t[len(o)] == ' ') {
			return true
		}
	}
	return false
}

// skipStep drops a step label at the start of a sentence: "Step 6)",
// "Step 2:", "3.", "4)".
func skipStep(t string) string {
	u := t
	if len(u) >= 5 && strings.EqualFold(u[:4], "step") && u[4] == ' ' {
		u = u[5:]
	}
	k := 0
	for k < len(u) && k < 3 && u[k] >= '0' && u[k] <= '9' {
		k++
	}
	if k == 0 || k >= len(u) || (u[k] != ')' && u[k] != '.' && u[k] != ':') || k+1 < len(u) && u[k+1] != ' ' {
		return t
	}
	return strings.TrimLeft(u[k+1:], " ")
}

// trailingSpace returns the number of whitespace bytes at the end of s.
func trailingSpace(s string) int {
	return len(s) - len(strings.TrimRight(s, " \t\r\n"))
}

// hasNegation reports whether t holds a negation word outside math.
func hasNegation(t string) bool {
	inMath := false
	for i := 0; i < len(t); {
		c := t[i]
		switch {
		case c == '$':
			inMath = !inMath
			i++
		case c == '\\':
			i += 2
		case isLetter(c) && !inMath && (i == 0 || !isLetter(t[i-1])):
			k := i
			for k < len(t) && (isLetter(t[k]) || t[k] == '\'') {
				k++
			}
			w := strings.ToLower(t[i:k])
			for _, n := range negations {
				if w == n {
					return true
				}
			}
			i = k
		default:
			i++
		}
	}
	return false
}

// lastSentence returns the last sentence of s: the text after the last
// sentence end (. ! or ? before a space, or a blank line not after a colon)
// outside math spans, trailing punctuation included. ok=false when s is
// empty or ends inside a display span that is never closed.
func lastSentence(s string) (string, bool) {
	end := len(s) - trailingSpace(s)
	s = s[:end]
	for end > 0 && (s[end-1] == '.' || s[end-1] == '!' || s[end-1] == '?' || s[end-1] == '*') {
		end--
	}
	body := s[:end]
	start := 0
	for k := 0; k < len(body); {
		c := body[k]
		switch {
		case c == '\\', c == '$':
			next, closed := skipMath(body, k)
			if !closed {
				return "", false
			}
			k = next
		case (c == '.' || c == '!' || c == '?') && k+1 < len(body) && isSpace(body[k+1]):
			start = k + 1
			k++
		case c == '\n':
			// A line break ends a sentence unless the line ends with a
			// colon or a comma (the sentence goes on below it).
			p := k
			for p > 0 && (body[p-1] == ' ' || body[p-1] == '\t' || body[p-1] == '\r' || body[p-1] == '\n') {
				p--
			}
			if p == 0 || body[p-1] != ':' && body[p-1] != ',' {
				start = k + 1
			}
			k++
		case (c == 'T' || c == 'S' || c == 'H' || c == 'C' || c == 'F') && k > 0 && isSpace(body[k-1]) && startsOpener(body[k:]):
			// A capitalized "Therefore", "So", ... starts a sentence even
			// where a flattened text lost its full stop ("... $y = 6$ So,
			// the pair is $(7, 6)$").
			start = k
			k++
		default:
			k++
		}
	}
	t := s[start:]
	if strings.TrimSpace(t) == "" {
		return "", false
	}
	return t, true
}
