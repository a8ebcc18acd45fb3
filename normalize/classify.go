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

// The reasons, in the order Classify tests them (Keep last). The first that
// applies is the verdict.
const (
	// NonEnglish: the prose outside math (math spans, [asy] code, LaTeX
	// commands and digits removed) is not English, as told by a language
	// identifier (github.com/abadojack/whatlanggo, trigram profiles of a
	// fixed set of languages). Prose mostly in a script other than Latin or
	// Greek (CJK, Hangul, Cyrillic, Arabic, Devanagari, ...) is not English;
	// Latin-script prose with several English function words is English
	// without asking the identifier (the fast path of almost every row);
	// other Latin prose of at least five words is non-English when the
	// identifier names another language with a reliable confidence (or
	// without one, when the prose has no English function word and has
	// diacritics, foreign function words or six words). Shorter prose
	// ("Résoudre l'équation") is asked only when its words show another
	// language; without such a sign ("Evaluate $x$.") it is English.
	NonEnglish Reason = "non_english"
	// Hyperlink: the problem contains \url, \href, http://, https:// or
	// www. (the statement depends on, or leaks from, a web page).
	Hyperlink Reason = "hyperlink"
	// HintAppended: after the statement's question, the text goes on with
	// help for the solver that is not part of the problem, as AoPS wiki
	// copies do: a section heading on a line of its own ("Hint",
	// "Solution", "Explanation of the Question", "Quickest Method of
	// Solving"), a "Hint:" note, a box with the answer (\boxed{096}), or a
	// note that talks about solving ("this is the type of problem that ...
	// can be solved easily", "you are asked to", "most solutions use"), or
	// a "Diagram" heading followed by a solution's set-up ("Let $AP=x$").
	// Notes that define terms
	// ("Note: $|S|$ is the number of elements of $S$"), diagram credits
	// and signatures ("~ name", "Diagram by ...") are kept: they do not
	// help with the answer.
	HintAppended Reason = "hint_appended"
	// Proof: the problem asks for a proof ("prove", "show that", "show
	// how", "demonstrate that", "justify", "explain why", "证明") and does
	// not also ask for a value that the gold answer gives; or the gold
	// answer is a proof marker ("proof", "QED", ∎); or there is no gold
	// answer and the problem is olympiad-style ("determine all", "find
	// all", "determine which", "is it possible", "does there exist",
	// "determine whether"), or asks for nothing and the source's solution
	// is an argument without a final answer. A problem without a gold that
	// asks for a value ("determine the maximum ...") is no_answer.
	// "Prove that x > 0 and find the minimum" with answer 3 is kept.
	Proof Reason = "proof"
	// MultipleChoice: the problem offers options to choose from, in any
	// layout: at least three labels in order ((A) (B) (C), "A." "B." "C."
	// at line starts, cn_k12's "A: ... B: ...", AMC's \textbf{(A)} with
	// \qquad, \text A., \mathrm{(B)}), also inline on one line when all of
	// A to D are there; lower-case labels ((a) (b) (c)) when the list
	// follows the question and ends the text or the gold answer is a label;
	// options drawn inside [asy] code (label("(A) ...")); an unlabelled list
	// of at least three lines after "which of the following", or of math
	// spans ending the question; options coded by letters ('enter "C" for
	// circle, "P" for parabola'); a question that lists named candidates
	// ("which quarter, $A$, $B$, $C$ or $D$") with one of them for gold;
	// "enter the letter"; or a gold answer that is an option label or a list
	// of them ("C", "(B)", "\textbf{(D)}", "B, E, G", "VW") while the text
	// asks "which of the following", "which graph", "the correct letter",
	// ... Labels after "satisfy the following conditions:" are conditions,
	// not options, unless the gold is a label. Points named A, B,
	// C, D are not options: a label must stand alone and be followed by
	// ")" "." or ":". "Which of the following" whose options were removed
	// (the answer is a value, as in DeepScaleR's AMC set) is kept, and so
	// is "how many of the following ... are true" with a number for answer.
	MultipleChoice Reason = "multiple_choice"
	// MultiPart: at least two labelled parts ((1) (2), (I) (II), Ⅰ Ⅱ,
	// (i) (ii), (a) (b), a) b), "1." "2." at line starts, 1、 2、, ① ②, ⑴ ⑵,
	// "Part 1", "Part (a)") of which at least two ask something (a question
	// mark or a verb such as find, compute, prove, determine); or two
	// questions on one line separated by a semicolon ("find $a$; find the
	// range of $f$"); or the gold answer itself is labelled by parts
	// ("(1) 3; (2) 5", "a) 2, b) 4", "Part 1: ..."). Numbered conditions
	// followed by one question are one part; two decimals ("1.5 and 2.5")
	// are not labels; a format instruction after a semicolon ("; express
	// your answer as a fraction") is not a question.
	MultiPart Reason = "multi_part"
	// YesNo: the gold answer is yes or no (possibly in \text{}, with a
	// short justification after a comma); or there is no gold answer and
	// the last sentence is a question starting with is/are/does/do/can/...
	YesNo Reason = "yes_no"
	// TrueFalse: the gold answer is true or false (T/F, correct/incorrect);
	// or there is no gold answer and the problem asks "true or false".
	TrueFalse Reason = "true_false"
	// NeedsFigure: the statement refers to a figure that is not part of the
	// text, or embeds an image (<img>, \includegraphics, ![](...)). Strong
	// references always count: "in the figure", "in the diagram", "the
	// figure below", "the graph shown", "pictured", "shown in red",
	// "indicated in the figure", "如图". Weak ones ("as shown", "shown
	// below", "is shown") count unless the text states what the figure
	// would show: data after the reference (rows of numbers, a table, an
	// array, an aligned system), or an example ("the sample shown below",
	// "as in the examples shown"). A reference in parentheses ("(see the
	// figure below)") is an aside to a text that states the data, and a
	// note that the diagram was not given, or is not drawn to scale, is no
	// reference. A figure given as Asymptote or TikZ source ([asy] ...
	// [/asy], tikzpicture) or as a table is part of the text: a model reads
	// the source, so such problems are kept.
	NeedsFigure Reason = "needs_figure"
	// NoAnswer: the source has no gold answer, or it is empty, "null", or
	// a placeholder that stands for no answer: "N/A", "none", "?", "see
	// solution", "—", "TBD", an empty \boxed{}.
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
		NoAnswer, NonEnglish, Hyperlink, OpenEndedText, UnverifiableAnswer, HintAppended}
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
	placeholder := in.HasAnswer && isPlaceholderGold(ans)
	hasAnswer := in.HasAnswer && ans != "" && !strings.EqualFold(ans, "null") && !placeholder
	if !hasAnswer {
		ans = ""
	}
	aw := answerWords(ans)

	if ev, ok := nonEnglish(p); ok {
		return Verdict{NonEnglish, ev}
	}
	if ev, ok := hyperlink(in.Problem); ok {
		return Verdict{Hyperlink, ev}
	}
	if ev, ok := hintAppended(p); ok {
		return Verdict{HintAppended, ev}
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
		if placeholder {
			return Verdict{NoAnswer, "placeholder gold: " + excerpt(in.Answer, 0, 20)}
		}
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

// ---- hyperlink

func hyperlink(s string) (string, bool) {
	ls := strings.ToLower(s)
	for _, cue := range []string{`\url`, `\href`, "http://", "https://", "www."} {
		if k := strings.Index(ls, cue); k >= 0 {
			return excerpt(ls, k, 40), true
		}
	}
	return "", false
}

// ---- proof

var proofCues = []string{"prove", "show that", "show how", "demonstrate that", "justify", "explain why",
	"establish that", "give a proof", "a proof", "with proof", "证明", "証明", "show the", "show, that"}

var askCues = []string{"find", "compute", "calculate", "determine", "evaluate", "what is", "what are", "how many",
	"how much", "what was", "simplify", "solve", "the value", "the minimum", "the maximum", "the least", "the greatest",
	"the smallest", "the largest", "express"}

var olympiadCues = []string{"determine all", "find all", "is it possible", "does there exist", "do there exist",
	"determine whether", "determine if", "for which", "are there", "is there", "locus", "construct", "determine which", "find which",
	"characterize", "characterise", "describe all"}

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
	// A problem that asks for a value ("find the maximum ...") without
	// asking for a proof is not a proof because its source gives no answer
	// and argues in its solution: it lacks its answer (no_answer).
	if _, asks := firstCue(p.text, askCues); asks >= 0 {
		return "", false
	}
	if sol := strings.TrimSpace(in.Solution); sol != "" {
		if !hasBox(sol) || endsWithQED(sol) {
			return "solution is an argument without a final answer", true
		}
	}
	return "", false
}

// hasBox says whether a solution boxes something: a final answer, not an
// argument that only ends.
func hasBox(s string) bool {
	return strings.Contains(s, `\boxed`) || strings.Contains(s, `\fbox`)
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
		if k := nextCue(s, c, 0, false); k >= 0 && (at < 0 || k < at) {
			best, at = c, k
		}
	}
	return best, at
}

// nextCue returns the first index at or after from where cue c stands in s
// as words: not inside a word at its end when it ends in a letter, and not
// after a letter or digit, unless bare is set and c starts with a
// non-ASCII character (a CJK cue, which its script writes without spaces).
// It returns -1 when there is none.
func nextCue(s, c string, from int, bare bool) int {
	return indexWhere(s, c, from, func(k int) bool {
		e := k + len(c)
		endOK := !isLetter(c[len(c)-1]) || e >= len(s) || !isWordByte(s[e])
		return endOK && (bare && c[0] >= 0x80 || !wordBefore(s, k))
	})
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
	if i >= len(s) {
		return ""
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
