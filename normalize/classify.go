package normalize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Reason is the outcome of Classify: Keep, or why the problem is not a
// single-answer, machine-checkable problem. The string values are stored in
// the database and written by `bigmath classify`; they never change.
type Reason string

// The reasons, in the order Classify tests them (Keep last).
const (
	// NonEnglish: after math, LaTeX commands and digits are removed, at
	// least 30% of the letters (and at least 4) are in a non-Latin script
	// other than Greek (CJK, Hangul, Cyrillic, Arabic, Hebrew, Devanagari,
	// Thai, ...); or the Latin-script prose has no English function word
	// but several French, Spanish, German, Portuguese or Italian ones.
	// There is no language model offline; this is a script heuristic.
	NonEnglish Reason = "non_english"
	// Hyperlink: the problem contains \url, \href, http://, https:// or
	// www. (the statement depends on, or leaks from, a web page).
	Hyperlink Reason = "hyperlink"
	// Proof: the problem asks for a proof ("prove", "show that", "show
	// how", "demonstrate that", "justify", "explain why", "证明") and does
	// not also ask for a value that the gold answer gives; or the gold
	// answer is a proof marker ("proof", "QED", ∎); or there is no gold
	// answer and the source's solution is an argument without a final
	// answer, or the problem is olympiad-style ("determine all", "find
	// all", "is it possible", "does there exist", "determine whether").
	// "Prove that x > 0 and find the minimum" with answer 3 is kept.
	Proof Reason = "proof"
	// MultipleChoice: the problem lists at least three options labelled
	// in order ((A) (B) (C), "A." "B." "C." at line starts, "A:" "B:" "C:",
	// \textbf{(A)}), or the gold answer is an option label ("C", "(B)",
	// "\textbf{(D)}", "ACD") while the text offers options or says "which
	// of the following". Points named A, B, C, D in geometry are not
	// options: labels must be followed by ")" "." or ":" and stand alone.
	// "Which of the following" whose options were removed (the answer is a
	// value, as in DeepScaleR's AMC set) is kept.
	MultipleChoice Reason = "multiple_choice"
	// MultiPart: at least two labelled parts ((1) (2), (I) (II), (i) (ii),
	// (a) (b), "1." "2." at line starts, ① ②, "Part 1") of which at least
	// two ask something (a question mark or a verb such as find, compute,
	// prove, determine); or the gold answer itself is labelled by parts.
	// Numbered conditions followed by one question are one part; two
	// decimals ("1.5 and 2.5") are not labels.
	MultiPart Reason = "multi_part"
	// YesNo: the gold answer is yes or no (possibly in \text{}, with a
	// short justification after a comma); or there is no gold answer and
	// the last sentence is a question starting with is/are/does/do/can/...
	YesNo Reason = "yes_no"
	// TrueFalse: the gold answer is true or false (T/F, correct/incorrect);
	// or there is no gold answer and the problem asks "true or false".
	TrueFalse Reason = "true_false"
	// NeedsFigure: the statement refers to a figure ("as shown", "in the
	// figure", "the diagram below", "pictured", "如图") that is not part of
	// the text, or embeds an image (<img>, \includegraphics, ![](...)). A
	// figure given as Asymptote or TikZ source ([asy] ... [/asy],
	// tikzpicture) is part of the text: a model reads the source, and
	// almost all MATH problems with [asy] are solvable from it, so they are
	// kept. A decorative reference is kept: "as shown" inside an example
	// the text already spells out ("as in the examples shown below") or a
	// reference to a figure whose content the text states.
	NeedsFigure Reason = "needs_figure"
	// NoAnswer: the source has no gold answer, or it is empty or "null".
	NoAnswer Reason = "no_answer"
	// OpenEndedText: the gold answer is prose (a sentence or several
	// words) rather than a value a checker can compare: at least four
	// words of letters outside math and \text, or a sentence with a verb
	// ending in a period. Single words and names ("Evelyn", "odd") are
	// kept; whether they are checkable is the verifier's call.
	OpenEndedText Reason = "open_ended_text"
	// UnverifiableAnswer: the gold answer does not parse to a value the
	// verifier can check. Classify never returns it; the verify stage sets
	// it when the verifier rejects the answer.
	UnverifiableAnswer Reason = "unverifiable_answer"
	// Keep: a single-answer problem with a gold answer.
	Keep Reason = "keep"
)

// Reasons lists every Reason, Keep first.
func Reasons() []Reason {
	return []Reason{Keep, MultipleChoice, YesNo, TrueFalse, Proof, MultiPart, NeedsFigure,
		NoAnswer, NonEnglish, Hyperlink, OpenEndedText, UnverifiableAnswer}
}

// ClassifyInput is one problem as a source gives it.
type ClassifyInput struct {
	// Problem is the statement, raw or as returned by Text (raw is
	// slightly better: line breaks help to find "1." parts and options).
	Problem string
	// Answer is the extracted gold answer, if any.
	Answer string
	// Solution is the source's worked solution, if any.
	Solution string
	// HasAnswer says whether the source gives a gold answer at all (a JSON
	// null or a missing field is false).
	HasAnswer bool
}

// Verdict is the result of Classify.
type Verdict struct {
	Reason Reason
	// Evidence is a short excerpt or rule name saying why, empty for Keep.
	Evidence string
}

// Keep reports whether the problem passes classification.
func (v Verdict) Keep() bool { return v.Reason == Keep }

// Classify decides whether a problem is a single-answer problem a machine can
// check, and if not, why. It tests the reasons in the order of the Reason
// constants and returns the first that applies; see each constant for its
// rule. It never fails: any input, including invalid UTF-8, gets a Verdict.
func Classify(in ClassifyInput) Verdict {
	p := newProse(in.Problem)
	ans := strings.TrimSpace(in.Answer)
	hasAnswer := in.HasAnswer && ans != "" && !strings.EqualFold(ans, "null")
	aw := answerWords(ans)

	if ev, ok := nonEnglish(p); ok {
		return Verdict{NonEnglish, ev}
	}
	if ev, ok := hyperlink(in.Problem); ok {
		return Verdict{Hyperlink, ev}
	}
	if ev, ok := proof(p, in, hasAnswer, aw); ok {
		return Verdict{Proof, ev}
	}
	if ev, ok := multipleChoice(p, ans, hasAnswer); ok {
		return Verdict{MultipleChoice, ev}
	}
	if ev, ok := multiPart(p, ans); ok {
		return Verdict{MultiPart, ev}
	}
	if ev, ok := yesNo(p, aw, hasAnswer); ok {
		return Verdict{YesNo, ev}
	}
	if ev, ok := trueFalse(p, aw, hasAnswer); ok {
		return Verdict{TrueFalse, ev}
	}
	if ev, ok := needsFigure(in.Problem, p); ok {
		return Verdict{NeedsFigure, ev}
	}
	if !hasAnswer {
		return Verdict{NoAnswer, "no gold answer"}
	}
	if ev, ok := openEnded(ans, aw); ok {
		return Verdict{OpenEndedText, ev}
	}
	return Verdict{Reason: Keep}
}

// prose is a problem statement prepared for the rules: Unicode folded, math
// and figure code replaced by a placeholder, lower-cased, line breaks kept.
type prose struct {
	raw  string // folded, original case, math kept
	text string // lower-cased, math spans replaced by "§", line breaks kept
}

func newProse(s string) prose {
	if hasControls(s) {
		s = repairControls(s)
	}
	if !isASCII(s) {
		s = foldUnicode(s)
	}
	return prose{raw: s, text: strings.ToLower(maskMath(s))}
}

// maskMath replaces each math span ($..$, $$..$$, \(..\), \[..\]) and each
// [asy]..[/asy] block of s by "§", keeping the line breaks around them.
func maskMath(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		var closer string
		open := 0
		switch {
		case c == '\\' && i+1 < len(s) && (s[i+1] == '(' || s[i+1] == '['):
			closer, open = map[byte]string{'(': `\)`, '[': `\]`}[s[i+1]], 2
		case c == '\\' && i+1 < len(s):
			b.WriteByte(c)
			b.WriteByte(s[i+1])
			i += 2
			continue
		case c == '$' && i+1 < len(s) && s[i+1] == '$':
			closer, open = "$$", 2
		case c == '$':
			closer, open = "$", 1
		case c == '[' && strings.HasPrefix(s[i:], "[asy]"):
			closer, open = "[/asy]", 5
		}
		if open == 0 {
			b.WriteByte(c)
			i++
			continue
		}
		end := indexUnescaped(s[i+open:], closer)
		if end < 0 {
			b.WriteString(s[i:]) // unbalanced: leave the rest as prose
			break
		}
		b.WriteString(" § ")
		i += open + end + len(closer)
	}
	return b.String()
}

// indexUnescaped is strings.Index that skips occurrences preceded by a
// backslash escape (so "\$" does not close "$").
func indexUnescaped(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i] == '\\' && sub[0] != '\\' {
			i++
			continue
		}
		if strings.HasPrefix(s[i:], sub) {
			return i
		}
		if s[i] == '\\' {
			i++
		}
	}
	return -1
}

// ---- non_english

var englishWords = wordSet("the of and is a an to in that for find what if let be are with how many which compute determine given number value show prove from by its this")
var foreignWords = wordSet("le la les des est une que et dans pour sont der die das und ist ein eine nicht mit von el los las es un una que y en del para por qué cuál se di il che una della sono per não uma os as em para é")

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

func nonEnglish(p prose) (string, bool) {
	latin, other := 0, 0
	var otherExample rune
	for _, r := range stripCommands(p.text) {
		switch {
		case r < 0x80:
			if r >= 'a' && r <= 'z' {
				latin++
			}
		case unicode.Is(unicode.Latin, r):
			latin++
		case unicode.Is(unicode.Greek, r) || r == '§':
			// Greek letters are math variables
		case unicode.IsLetter(r):
			other++
			if otherExample == 0 {
				otherExample = r
			}
		}
	}
	if other >= 4 && other*10 >= (latin+other)*3 {
		return "script: " + string(otherExample), true
	}
	words := strings.FieldsFunc(p.text, func(r rune) bool { return !unicode.IsLetter(r) })
	en, fo := 0, 0
	for _, w := range words {
		if englishWords[w] {
			en++
		} else if foreignWords[w] {
			fo++
		}
	}
	if len(words) >= 6 && en == 0 && fo >= 2 {
		return "no English function words", true
	}
	return "", false
}

// stripCommands removes LaTeX command names (\frac, \text) from s.
func stripCommands(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			for i+1 < len(s) && isLetter(s[i+1]) {
				i++
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// ---- hyperlink

func hyperlink(s string) (string, bool) {
	ls := strings.ToLower(s)
	for _, cue := range []string{`\url`, `\href`, "http://", "https://", "www."} {
		if k := strings.Index(ls, cue); k >= 0 {
			return excerpt(s, k, 40), true
		}
	}
	return "", false
}

// ---- proof

var proofCues = []string{"prove", "show that", "show how", "demonstrate that", "justify", "explain why",
	"establish that", "give a proof", "a proof", "证明", "証明", "show the", "show, that"}

var askCues = []string{"find", "compute", "calculate", "determine", "evaluate", "what is", "what are", "how many",
	"how much", "what was", "simplify", "solve", "the value", "the minimum", "the maximum", "the least", "the greatest",
	"the smallest", "the largest", "express"}

var olympiadCues = []string{"determine all", "find all", "is it possible", "does there exist", "do there exist",
	"determine whether", "determine if", "for which", "are there", "is there", "locus", "construct"}

func proof(p prose, in ClassifyInput, hasAnswer bool, aw answerForm) (string, bool) {
	if aw.proofMarker {
		return "answer: " + in.Answer, true
	}
	cue, at := firstCue(p.text, proofCues)
	if cue != "" {
		// "prove" in "improve", "approve": require a word start
		if !hasAnswer {
			return excerpt(p.text, at, 40), true
		}
		if _, asks := firstCue(p.text, askCues); asks < 0 || aw.prose {
			return excerpt(p.text, at, 40), true
		}
		return "", false // proves something and asks for a value the answer gives
	}
	if hasAnswer {
		return "", false
	}
	if c, at := firstCue(p.text, olympiadCues); c != "" {
		return excerpt(p.text, at, 40), true
	}
	if sol := strings.TrimSpace(in.Solution); sol != "" {
		if _, boxed := LastBoxed(sol); !boxed || endsWithQED(sol) {
			return "solution is an argument without a final answer", true
		}
	}
	return "", false
}

func endsWithQED(s string) bool {
	t := strings.TrimRight(s, " \t\n$.")
	for _, m := range []string{`\blacksquare`, `\square`, `\Box`, "∎", "□", "Q.E.D", "QED", `\qed`} {
		if strings.HasSuffix(t, m) {
			return true
		}
	}
	return false
}

// firstCue returns the first cue of cues found in s at a word start, and its
// index (-1 when none).
func firstCue(s string, cues []string) (string, int) {
	best, at := "", -1
	for _, c := range cues {
		for from := 0; from < len(s); {
			k := strings.Index(s[from:], c)
			if k < 0 {
				break
			}
			k += from
			e := k + len(c)
			endOK := !isLetter(c[len(c)-1]) || e >= len(s) || !isWordByte(s[e])
			if !wordBefore(s, k) && endOK {
				if at < 0 || k < at {
					best, at = c, k
				}
				break
			}
			from = k + 1
		}
	}
	return best, at
}

func isWordByte(c byte) bool { return isAlnum(c) || c >= 0x80 }

// wordBefore reports whether the rune before s[k] is a letter or digit.
func wordBefore(s string, k int) bool {
	if k == 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:k])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// ---- multiple choice

// optionStyles are the label forms that mark options: each %s is a label.
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

func multipleChoice(p prose, ans string, hasAnswer bool) (string, bool) {
	raw := withoutFigureCode(p.raw)
	// \textbf{(A) } and \mathrm{(A)} forms live inside math; look at the raw text.
	if n := countLabelsInOrder(raw, "ABCDE", labelStyle{"(", ")", false}); n >= 3 {
		return "options (A) (B) (C)", true
	}
	for _, st := range optionStyles[1:] {
		if n := countLabelsInOrder(raw, "ABCDE", st); n >= 3 {
			return "options A" + st.close + " B" + st.close + " C" + st.close, true
		}
	}
	if hasAnswer && isOptionAnswer(ans) {
		if _, at := firstCue(p.text, []string{"which of the following", "which one of the following", "choose", "select", "options", "choices"}); at >= 0 {
			return "answer is an option label: " + ans, true
		}
	}
	return "", false
}

// countLabelsInOrder counts how many of labels (in order, from the first)
// appear in s in the given style, each after the previous one.
func countLabelsInOrder(s, labels string, st labelStyle) int {
	from, n := 0, 0
	for _, l := range labels {
		tok := st.open + string(l) + st.close
		found := -1
		for k := from; k < len(s); {
			j := strings.Index(s[k:], tok)
			if j < 0 {
				break
			}
			j += k
			if labelContext(s, j, len(tok), st) {
				found = j
				break
			}
			k = j + 1
		}
		if found < 0 {
			return n
		}
		n++
		from = found + len(tok)
	}
	return n
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
		// "A:" must be followed by something (not "A:B" ratios of points)
		after := j + n
		if st.close == ":" && after < len(s) && isLetter(s[after]) {
			return false
		}
		if st.close == "." && after < len(s) && (isDigit(s[after]) || isLetter(s[after])) {
			return false
		}
		return true
	}
	// "(A)" must not be a function argument f(A) or a point P(A)
	return !(isWordByte(before) || before == '\\' || before == '_' || before == '^')
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

// isOptionAnswer reports whether a gold answer is an option label: "C",
// "(B)", "\textbf{(D)}", "\text{(E) }12", "ACD".
func isOptionAnswer(a string) bool {
	t := a
	for _, w := range []string{`\textbf`, `\text`, `\mathrm`, `\mathbf`, "$", "{", "}", "(", ")", " ", "."} {
		t = strings.ReplaceAll(t, w, "")
	}
	if t == "" || len(t) > 5 {
		return false
	}
	for _, r := range t {
		if r < 'A' || r > 'E' {
			return false
		}
	}
	return true
}

// ---- multi-part

var partStyles = []struct {
	first, second string
	lineStart     bool
}{
	{"(1)", "(2)", false}, {"(i)", "(ii)", false}, {"(a)", "(b)", false},
	{"1)", "2)", true}, {"i)", "ii)", true}, {"a)", "b)", true},
	{"1.", "2.", true}, {"i.", "ii.", true}, {"a.", "b.", true},
	{"①", "②", false}, {"❶", "❷", false}, {"part 1", "part 2", false}, {"part (a)", "part (b)", false},
	{"part a", "part b", false}, {"part i", "part ii", false},
}

var questionCues = []string{"find", "compute", "calculate", "determine", "evaluate", "prove", "show that", "what is",
	"what are", "what was", "what will", "what would", "how many", "how much", "how long", "how far", "solve",
	"simplify", "express", "explain", "sketch", "discuss", "verify", "is there", "are there", "?"}

func multiPart(p prose, ans string) (string, bool) {
	if answerHasParts(ans) {
		return "answer has parts: " + ans, true
	}
	// (I) and (II) are upper case in the source; p.text is lower-cased, so
	// "(i)" covers both.
	for _, st := range partStyles {
		a := labelIndex(p.text, st.first, st.lineStart, 0)
		if a < 0 {
			continue
		}
		b := labelIndex(p.text, st.second, st.lineStart, a+len(st.first))
		if b < 0 {
			continue
		}
		// the parts: [a, b) and [b, next label or end)
		asked := 0
		if hasCue(p.text[a:b]) {
			asked++
		}
		if hasCue(p.text[b:]) {
			asked++
		}
		if asked >= 2 {
			return "parts " + st.first + " " + st.second, true
		}
	}
	return "", false
}

func hasCue(s string) bool {
	_, at := firstCue(s, questionCues)
	return at >= 0 || strings.Contains(s, "?")
}

// labelIndex finds a part label in s from index from, standing alone: not
// after a letter or digit (f(1), x_(2)), and at a line start when lineStart.
func labelIndex(s, label string, lineStart bool, from int) int {
	for k := from; k < len(s); {
		j := strings.Index(s[k:], label)
		if j < 0 {
			return -1
		}
		j += k
		k = j + 1
		before := byte(' ')
		if j > 0 {
			before = s[j-1]
		}
		if isWordByte(before) && label[0] < 0x80 || before == '\\' || before == '_' || before == '^' || before == '.' {
			continue
		}
		if e := j + len(label); label[len(label)-1] == '.' && e < len(s) && (isDigit(s[e]) || isLetter(s[e])) {
			continue // "1.5", "a.b"
		}
		if lineStart {
			i := j - 1
			for i >= 0 && (s[i] == ' ' || s[i] == '\t') {
				i--
			}
			if !(i < 0 || s[i] == '\n' || s[i] == ':' || s[i] == ';' || s[i] == '§' || i >= 1 && s[i-1] == 0xc2) {
				continue
			}
		}
		return j
	}
	return -1
}

// answerHasParts reports whether a gold answer is labelled by parts:
// "(1) 3; (2) 5", "a) 2 b) 4", "(I) ... (II) ...", or ①/②.
func answerHasParts(a string) bool {
	l := strings.ToLower(a)
	for _, pair := range [][2]string{{"(1)", "(2)"}, {"(i)", "(ii)"}, {"(a)", "(b)"}, {"1)", "2)"}, {"a)", "b)"}, {"①", "②"}, {"part 1", "part 2"}} {
		i := answerLabel(l, pair[0], 0)
		if i < 0 {
			continue
		}
		if answerLabel(l, pair[1], i+len(pair[0])) >= 0 {
			return true
		}
	}
	return false
}

// answerLabel finds label in s from index from where it starts the answer or
// follows a space, ";" or ",": "(1) 3; (2) 5" but not "(x-1)(x-2)" or f(1).
func answerLabel(s, label string, from int) int {
	for k := from; k < len(s); {
		j := strings.Index(s[k:], label)
		if j < 0 {
			return -1
		}
		j += k
		if j == 0 || s[j-1] == ' ' || s[j-1] == ';' || s[j-1] == ',' || s[j-1] == '\n' || s[j-1] == '$' {
			return j
		}
		k = j + 1
	}
	return -1
}

// ---- yes/no and true/false

// answerForm is what the gold answer looks like as words.
type answerForm struct {
	first       string // first word, lower case, markup removed
	words       int    // words of letters outside math
	prose       bool   // looks like a sentence
	proofMarker bool
}

func answerWords(a string) answerForm {
	var f answerForm
	t := a
	for _, w := range []string{`\textbf{`, `\text{`, `\mathrm{`, `\textit{`, `\mbox{`} {
		t = strings.ReplaceAll(t, w, " ")
	}
	t = strings.ToLower(stripCommands(maskMath(t)))
	words := strings.FieldsFunc(t, func(r rune) bool { return !unicode.IsLetter(r) && r != '§' && !unicode.IsDigit(r) })
	letterWords := 0
	for _, w := range words {
		if f.first == "" {
			f.first = w
		}
		if isLetterWord(w) && utf8.RuneCountInString(w) >= 2 {
			letterWords++
		}
	}
	f.words = letterWords
	trim := strings.TrimSpace(t)
	switch trim {
	case "proof", "qed", "q.e.d.", "∎", `\blacksquare`, "see proof", "proof.", "see the proof", "the proof":
		f.proofMarker = true
	}
	f.prose = letterWords >= 4 || letterWords >= 3 && strings.HasSuffix(trim, ".")
	return f
}

func isLetterWord(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

var yesNoStarts = []string{"is ", "are ", "does ", "do ", "can ", "could ", "will ", "would ", "must ", "has ", "have ", "should ", "was ", "were ", "did "}

func yesNo(p prose, aw answerForm, hasAnswer bool) (string, bool) {
	if hasAnswer {
		if (aw.first == "yes" || aw.first == "no") && aw.words <= 6 {
			return "answer: " + aw.first, true
		}
		return "", false
	}
	last := lastSentence(p.text)
	if strings.HasSuffix(last, "?") {
		for _, s := range yesNoStarts {
			if strings.HasPrefix(last, s) {
				return "question: " + excerpt(last, 0, 40), true
			}
		}
	}
	return "", false
}

func trueFalse(p prose, aw answerForm, hasAnswer bool) (string, bool) {
	if hasAnswer {
		switch aw.first {
		case "true", "false", "correct", "incorrect":
			if aw.words <= 4 {
				return "answer: " + aw.first, true
			}
		}
		return "", false
	}
	if _, at := firstCue(p.text, []string{"true or false", "true/false", "is this statement true", "is the statement true", "which of the statements are true", "whether the statement"}); at >= 0 {
		return excerpt(p.text, at, 40), true
	}
	return "", false
}

// lastSentence returns the last sentence of s, trimmed.
func lastSentence(s string) string {
	t := strings.TrimSpace(s)
	end := len(t) - 1
	for k := end - 1; k >= 0; k-- {
		switch t[k] {
		case '.', '?', '!', '\n':
			if t[k] == '.' && k+1 < len(t) && isDigit(t[k+1]) {
				continue
			}
			return strings.TrimSpace(t[k+1:])
		}
	}
	return t
}

// ---- figures

// figureCues refer to a figure. A cue in belowCues points at what follows;
// if the text itself goes on with data (digits or math) after that sentence,
// the "figure" is in the text.
var figureCues = []string{"shown in the figure", "in the figure", "the figure below", "the figure above",
	"following figure", "the diagram", "in the diagram", "shown below", "shown above", "pictured",
	"the graph below", "the graph above", "the graph shown", "as illustrated", "see figure", "see the figure",
	"the adjoining figure", "accompanying figure", "the figure shows", "figure shows", "in figure", "如图", "如下图",
	"shown in the diagram", "shown here", "as drawn"}

var belowCues = map[string]bool{"shown below": true, "the figure below": true, "following figure": true,
	"the graph below": true, "如下图": true}

// decorative lists contexts in which a figure cue does not make the text
// depend on the figure.
var decorative = []string{"as in the examples shown", "as in the example shown", "for example", "for instance"}

func needsFigure(raw string, p prose) (string, bool) {
	lraw := strings.ToLower(raw)
	for _, img := range []string{"<img", `\includegraphics`, "![", ".png", ".jpg", ".gif", ".svg"} {
		if k := strings.Index(lraw, img); k >= 0 {
			return "image: " + excerpt(raw, k, 30), true
		}
	}
	// Figure source (Asymptote, TikZ) and tables are part of the text.
	for _, src := range []string{"[asy]", "tikzpicture", `\begin{picture}`, `\begin{tabular}`, `\begin{array}`} {
		if strings.Contains(lraw, src) {
			return "", false
		}
	}
	// A bare "as shown" (", as shown.") describes a configuration the text
	// has already stated; it is decorative and not in figureCues.
	cue, at := firstCue(p.text, figureCues)
	if cue == "" {
		return "", false
	}
	sent := sentenceAround(p.text, at)
	for _, d := range decorative {
		if strings.Contains(sent, d) {
			return "", false
		}
	}
	if belowCues[cue] && dataAfter(p.text, at+len(cue)) {
		return "", false
	}
	return excerpt(p.text, at, 40), true
}

// dataAfter reports whether, after the sentence containing index i, s goes
// on with the data a figure would show: at least 3 math spans or numbers on
// lines of their own.
func dataAfter(s string, i int) bool {
	end := strings.IndexAny(s[i:], ".?!")
	if end < 0 {
		return false
	}
	rest := s[i+end:]
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

// ---- open-ended answers

func openEnded(ans string, aw answerForm) (string, bool) {
	if aw.prose {
		return "answer is prose: " + excerpt(ans, 0, 40), true
	}
	return "", false
}

// excerpt returns up to n bytes of s from i, on rune boundaries.
func excerpt(s string, i, n int) string {
	if i < 0 {
		i = 0
	}
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	e := i + n
	if e >= len(s) {
		return strings.TrimSpace(s[i:])
	}
	for e > i && !utf8.RuneStart(s[e]) {
		e--
	}
	return strings.TrimSpace(s[i:e]) + "…"
}
