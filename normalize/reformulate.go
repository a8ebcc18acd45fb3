package normalize

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"github.com/bigmath/bigmath/verify"
)

// Recovery is why Reformulate could not turn a multiple-choice problem into
// an open-ended one. The values name the label reasons of the audit set
// (internal/audit/testdata/README.md) where one fits.
type Recovery string

// The reasons a multiple-choice problem is not recovered. Each is
// documented in the package doc ("Multiple-choice recovery").
const (
	NoOptionsBlock       Recovery = "no_options_block"
	StemNeedsOptions     Recovery = "stem_needs_options"
	QuestionChanges      Recovery = "question_changes"
	MultiSelect          Recovery = "multi_select"
	AllNoneOfAbove       Recovery = "all_none_of_above"
	KeyMatchesNoOption   Recovery = "key_matches_no_option"
	OptionsAreStatements Recovery = "options_are_statements"
	OptionNotAValue      Recovery = "option_not_a_value"
	StemBroken           Recovery = "stem_broken"
)

// Reformulation is the result of Reformulate: the derived open-ended problem
// and its gold answer, or the reason there is none.
type Reformulation struct {
	// Problem is the stem without the options block, minimally rewritten;
	// empty when not recovered.
	Problem string
	// Answer is the content of the keyed option, as the gold answer.
	Answer string
	// Key is the keyed option's label ("B"), when one was found.
	Key string
	// Reason is empty when the problem was recovered.
	Reason Recovery
	// Evidence says briefly why it was not recovered.
	Evidence string
}

// Recovered reports whether Reformulate derived an open-ended problem.
func (r Reformulation) Recovered() bool { return r.Reason == "" && r.Problem != "" }

// option is one labelled option of a multiple-choice problem.
type option struct {
	label   byte   // upper-case letter
	content string // cleaned text of the option
}

// optionsBlock is the options of a problem and where they stand in it.
type optionsBlock struct {
	opts       []option
	start, end int // byte offsets in the problem text: first label, end of the last option's line
}

// recoverStyle is a label style looked for, with the number of labels in
// a row (from the first letter) that make an options block.
type recoverStyle struct {
	st      labelStyle
	letters string
	min     int
}

// recoverStyles are the label styles looked for, in order: capital labels
// in parentheses or at line starts from three in a row, inline ones from
// four, then lower-case labels.
var recoverStyles = slices.Concat(
	stylesOf("ABCDEFGH", 3, labelStyle{"(", ")", false}, labelStyle{"", ".", true}, labelStyle{"", ")", true},
		labelStyle{"", ":", true}, labelStyle{"", "、", true}),
	stylesOf("ABCDEFGH", 4, labelStyle{"", ":", false}, labelStyle{"", ".", false}, labelStyle{"", ")", false},
		labelStyle{"", "、", false}),
	stylesOf("abcdefgh", 3, labelStyle{"(", ")", false}, labelStyle{"", ")", true}, labelStyle{"", ".", true}),
)

func stylesOf(letters string, min int, sts ...labelStyle) []recoverStyle {
	out := make([]recoverStyle, len(sts))
	for i, st := range sts {
		out[i] = recoverStyle{st, letters, min}
	}
	return out
}

// Reformulate turns a multiple-choice problem into an open-ended one when
// that can be done by rule: problem is the statement with its options,
// answer the source's key (a label such as "B", "(B)", "\boxed{C}", or the
// keyed option's value). It is pure and never fails; the rules are in the
// package doc.
func Reformulate(problem, answer string) Reformulation {
	raw := newProse(problem).raw
	blk, ok := findOptions(raw)
	if !ok {
		return notRecovered(NoOptionsBlock, "no labelled options found in the text")
	}
	stem, tail := raw[:blk.start], raw[blk.end:]
	tail, figures := cutFigures(tail)
	if r, bad := checkTail(tail); bad {
		return r
	}
	stem = trimStem(stem)
	if figures != "" {
		stem += "\n" + figures // a figure drawn after the options belongs to the stem
	}
	if r, bad := checkMultiSelect(stem, answer); bad {
		return r
	}
	key, r, ok := keyedOption(blk.opts, answer)
	if !ok {
		return r
	}
	if r, bad := checkOptions(blk.opts, key); bad {
		return r
	}
	stem = rewriteStem(dropInstructions(stem))
	if r, bad := checkStem(stem); bad {
		return r
	}
	gold := blk.opts[key].content
	if _, still := multipleChoice(newProse(stem), gold, true); still {
		return notRecovered(StemNeedsOptions, "the stem still offers options")
	}
	return Reformulation{Problem: stem, Answer: gold, Key: string(blk.opts[key].label)}
}

func notRecovered(r Recovery, ev string) Reformulation {
	return Reformulation{Reason: r, Evidence: ev}
}

// maskFigures replaces the inside of [asy]...[/asy] blocks by spaces, so
// that the labels of a figure are not taken for options and offsets stay.
func maskFigures(s string) string {
	if !strings.Contains(s, "[asy]") {
		return s
	}
	b := []byte(s)
	for from := 0; ; {
		i := strings.Index(s[from:], "[asy]")
		if i < 0 {
			break
		}
		i += from
		j := strings.Index(s[i:], "[/asy]")
		end := len(s)
		if j >= 0 {
			end = i + j + len("[/asy]")
		}
		for k := i; k < end; k++ {
			if b[k] != '\n' {
				b[k] = ' '
			}
		}
		from = end
	}
	return string(b)
}

// findOptions finds the options block of raw: the last run of labels A, B,
// C, ... in order, in the first style that has enough of them.
func findOptions(raw string) (optionsBlock, bool) {
	t, at := optionTextMap(maskFigures(raw), true)
	for _, rs := range recoverStyles {
		n := countLabelsInOrder(t, rs.letters, rs.st)
		if n < rs.min {
			continue
		}
		if rs.st.open == "" && !rs.st.lineStart {
			if _, ok := inlineOptions(t); !ok {
				continue
			}
		}
		pos := lastChain(t, rs.letters[:n], rs.st)
		if pos == nil {
			continue
		}
		tok := len(rs.st.open) + 1 + len(rs.st.close) // bytes: "、" is three
		var blk optionsBlock
		for k, p := range pos {
			a := p + tok
			b := len(t)
			if k+1 < len(pos) {
				b = pos[k+1]
			} else if nl := strings.IndexByte(t[a:], '\n'); nl >= 0 {
				b = a + nl
			}
			blk.opts = append(blk.opts, option{label: upper(rs.letters[k]), content: cleanOption(t[a:b])})
			if k+1 == len(pos) {
				blk.end = at[b]
			}
		}
		// the label's font command (\textbf{(A)}) was unwrapped to a space
		// that maps back to the command's backslash
		j := pos[0]
		for j > 0 && t[j-1] == ' ' {
			j--
		}
		blk.start = at[j]
		return blk, true
	}
	return optionsBlock{}, false
}

func upper(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - 'a' + 'A'
	}
	return c
}

// lastChain returns the positions of the labels of letters in style st
// that end the text: the last valid occurrence of the last letter, then of
// each letter before it, searching backwards. It returns nil when a label
// is missing.
func lastChain(s, letters string, st labelStyle) []int {
	pos := make([]int, len(letters))
	limit := len(s)
	for k := len(letters) - 1; k >= 0; k-- {
		tok := st.open + string(letters[k]) + st.close
		found := -1
		for e := limit; e > 0; {
			j := strings.LastIndex(s[:e], tok)
			if j < 0 {
				break
			}
			if labelContext(s, j, len(tok), st) {
				found = j
				break
			}
			e = j
		}
		if found < 0 {
			return nil
		}
		pos[k] = found
		limit = found
	}
	return pos
}

// cleanOption trims an option's text to its value: spaces, math
// delimiters, bullets, separators and spacing commands around it.
func cleanOption(s string) string {
	for _, sp := range []string{`\indent`, `\ `, `\,`, `\;`, `\:`, `\!`} {
		s = strings.ReplaceAll(s, sp, " ")
	}
	for {
		t := strings.TrimSpace(s)
		t = strings.TrimLeft(t, ".):")
		t = strings.TrimSuffix(t, `$\bullet$`)
		t = strings.TrimSuffix(t, `\]`)
		t = strings.TrimPrefix(t, `\[`)
		t = strings.TrimSuffix(t, `\)`)
		t = strings.TrimPrefix(t, `\(`)
		t = strings.TrimRight(t, ",;")
		t = strings.TrimSpace(t)
		if strings.Count(t, "$")%2 == 1 {
			if strings.HasSuffix(t, "$") {
				t = t[:len(t)-1]
			} else if strings.HasPrefix(t, "$") {
				t = t[1:]
			}
		}
		if strings.HasPrefix(t, "$") && strings.HasSuffix(t, "$") && len(t) >= 2 && strings.Count(t, "$") == 2 {
			t = t[1 : len(t)-1]
		}
		if strings.HasPrefix(t, "$$") && strings.HasSuffix(t, "$$") && len(t) >= 4 && strings.Count(t, "$") == 4 {
			t = t[2 : len(t)-2]
		}
		t = strings.TrimSuffix(t, ".")
		t = balanceBraces(t)
		if t == s {
			return t
		}
		s = t
	}
}

// trailingCommandRe matches a font command opened at the end of an option
// and closed in the next ("226\qquad \mathrm{").
var trailingCommandRe = regexp.MustCompile(`\\[a-zA-Z]+\s*\{\s*$`)

// balanceBraces removes what an option's cut left unbalanced: a command
// opened at its end, a brace closed at its start or end, and outer braces
// around the whole value.
func balanceBraces(t string) string {
	t = strings.TrimSpace(trailingCommandRe.ReplaceAllString(t, ""))
	depth, minDepth := 0, 0
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '\\':
			i++
		case '{':
			depth++
		case '}':
			depth--
			minDepth = min(minDepth, depth)
		}
	}
	if minDepth < 0 && strings.HasPrefix(t, "}") {
		return strings.TrimSpace(t[1:])
	}
	if depth < 0 && strings.HasSuffix(t, "}") && !strings.HasSuffix(t, `\}`) {
		return strings.TrimSpace(t[:len(t)-1])
	}
	if depth == 0 && strings.HasPrefix(t, "{") {
		if e, ok := group(t, 0); ok && e == len(t) {
			return strings.TrimSpace(t[1 : e-1])
		}
	}
	return t
}

// cutFigures returns s without its [asy]...[/asy] blocks, and the blocks.
func cutFigures(s string) (rest, figures string) {
	var fig []string
	for {
		i := strings.Index(s, "[asy]")
		if i < 0 {
			break
		}
		j := strings.Index(s[i:], "[/asy]")
		if j < 0 {
			break
		}
		j += i + len("[/asy]")
		fig = append(fig, s[i:j])
		s = s[:i] + "\n" + s[j:]
	}
	return s, strings.Join(fig, "\n")
}

// checkTail rejects text after the options that is not an answering
// instruction ("Enter the letter of the correct option.").
func checkTail(tail string) (Reformulation, bool) {
	t := strings.TrimSpace(tail)
	t = strings.TrimSpace(strings.TrimLeft(t, "$]\\ \n"))
	if t == "" {
		return Reformulation{}, false
	}
	l := strings.ToLower(t)
	if containsAny(l, []string{"letter", "option", "choice", "answer as", "your answer", "a, b, c", "a, b, or c"}) {
		return Reformulation{}, false
	}
	return notRecovered(StemBroken, "text after the options: "+excerpt(t, 0, 40)), true
}

// blankRe matches a blank to fill at the end of a stem: "(  )", "( ).",
// "____", "\underline{\quad}".
var blankRe = regexp.MustCompile(`(?:\(\s*\)|_{2,}|\\underline\{[^{}]*\})\s*[.。]?\s*$`)

// trimStem removes from the end of a stem what belonged to the options
// block: blanks "(　　)", an opened math span, bullets and spacing.
func trimStem(s string) string {
	for {
		t := strings.TrimRight(s, " \t\n\r")
		t = strings.TrimRight(trailingCommandRe.ReplaceAllString(t, ""), " \t\n\r")
		t = blankRe.ReplaceAllString(t, "")
		for _, suf := range []string{"(  )", "( )", "()", "(\u3000\u3000)", "（）", "（ ）", "( \u3000)", `$\bullet$`, "$$", "$", `\[`, `\(`, "___", "__"} {
			if !strings.HasSuffix(t, suf) {
				continue
			}
			switch suf {
			case "$":
				if strings.Count(t, "$")%2 == 0 {
					continue // the stem's own math span closes here
				}
			case "$$":
				if strings.Count(t, "$$")%2 == 0 {
					continue
				}
			case `\[`:
				if strings.Count(t, `\[`) <= strings.Count(t, `\]`) {
					continue
				}
			case `\(`:
				if strings.Count(t, `\(`) <= strings.Count(t, `\)`) {
					continue
				}
			}
			t = t[:len(t)-len(suf)]
			break
		}
		t = strings.TrimRight(t, " \t\n\r\u3000")
		if t == s {
			return t
		}
		s = t
	}
}

// multiSelectCues are the phrases of a stem that asks for several options.
var multiSelectCues = []string{"select all", "all that apply", "that apply", "list the letters", "separated by commas",
	"list the choices", "listing your choices", "letters of the", "which of the following are", "which of these are"}

func checkMultiSelect(stem, answer string) (Reformulation, bool) {
	l := strings.ToLower(stem)
	if c, at := firstCue(l, multiSelectCues); at >= 0 {
		return notRecovered(MultiSelect, "the stem asks for several options: "+c), true
	}
	if ls := strings.TrimPrefix(answerLabels(answer), "?"); len(ls) > 1 {
		return notRecovered(MultiSelect, "the key names several options: "+ls), true
	}
	return Reformulation{}, false
}

// answerLabels returns the option letters an answer names ("B", "(b)",
// "\text{(E)},", "\boxed{C}", "B, E, G", "ACF"), upper-cased, or "" when the
// answer is not only labels.
func answerLabels(a string) string {
	t := strings.TrimSpace(a)
	if m := labelledKeyRe.FindStringSubmatch(t); m != nil {
		return m[1] // "B: 5", "(C) 12": the label with its option
	}
	if m := labelInsideRe.FindAllStringSubmatch(t, -1); len(m) == 1 && strings.Contains(t, `\text`) {
		return m[0][1] // "\textbf{(B)}\ 23": the label with its value
	}
	for _, w := range []string{`\boxed`, `\textbf`, `\textrm`, `\text`, `\mathrm`, `\mathbf`, `\mbox`, "$", "{", "}", "(", ")", " ", ".", ",", ";", "~", `\`, "and"} {
		t = strings.ReplaceAll(t, w, "")
	}
	if t == "" || len(t) > 8 {
		return ""
	}
	lower := t[0] >= 'a' && t[0] <= 'h'
	for i := 0; i < len(t); i++ {
		c := t[i]
		if lower && (c < 'a' || c > 'h') || !lower && (c < 'A' || c > 'H') {
			return ""
		}
	}
	if lower && len(t) == 1 && !strings.Contains(a, "(") && !strings.Contains(a, `\text`) && !strings.Contains(a, `\boxed`) {
		// a bare lower-case letter may be a variable: only "(c)" or a
		// \text{c} names an option, or a lone letter when the labels are
		// lower case (decided by the caller)
		return "?" + strings.ToUpper(t)
	}
	return strings.ToUpper(t)
}

// labelledKeyRe matches a key given as a label with its option's text.
var labelledKeyRe = regexp.MustCompile(`^\(?([A-H])(?:\)|[:.．])\s*\S`)

// keyedOption returns the index of the keyed option: the option the key
// names, or the one option whose value equals the key.
func keyedOption(opts []option, answer string) (int, Reformulation, bool) {
	if strings.TrimSpace(answer) == "" {
		return 0, notRecovered(KeyMatchesNoOption, "no key"), false
	}
	ls := answerLabels(answer)
	if ls != "" && !strings.HasPrefix(ls, "?") {
		for k, o := range opts {
			if string(o.label) == ls {
				return k, Reformulation{}, true
			}
		}
		return 0, notRecovered(KeyMatchesNoOption, "the key "+ls+" names no option"), false
	}
	k, r, ok := keyedByValue(opts, answer)
	if !ok && ls != "" {
		// a bare lower-case letter that is no option's value is a label
		for k, o := range opts {
			if string(o.label) == ls[1:] {
				return k, Reformulation{}, true
			}
		}
	}
	return k, r, ok
}

// keyedByValue returns the index of the one option whose value equals the
// key.
func keyedByValue(opts []option, answer string) (int, Reformulation, bool) {
	match := -1
	gold := unwrapKey(answer)
	for k, o := range opts {
		if !sameValue(gold, o.content) {
			continue
		}
		if match >= 0 && !sameValue(opts[match].content, o.content) {
			return 0, notRecovered(KeyMatchesNoOption, "the key equals several options"), false
		}
		if match < 0 {
			match = k
		}
	}
	if match < 0 {
		return 0, notRecovered(KeyMatchesNoOption, "the key "+excerpt(answer, 0, 30)+" is no option's value"), false
	}
	return match, Reformulation{}, true
}

// unwrapKey strips \boxed{} and math delimiters from a key given as a value.
func unwrapKey(a string) string {
	t := strings.TrimSpace(a)
	t = strings.TrimSuffix(strings.TrimPrefix(t, "$"), "$")
	if strings.HasPrefix(t, `\boxed{`) {
		if e, ok := group(t, len(`\boxed`)); ok && e == len(t) {
			t = t[len(`\boxed{`) : e-1]
		}
	}
	return strings.TrimSpace(t)
}

// sameValue reports whether two answers are the same value to the verifier
// (or the same text).
func sameValue(a, b string) bool {
	if strings.TrimSpace(a) == strings.TrimSpace(b) {
		return true
	}
	v := verify.Answer(context.Background(), a, b, verify.Options{})
	return v.Correct
}

// relationRe finds relations and statements in an option.
var relationRe = regexp.MustCompile(`[=<>≤≥≠]|\\(le|ge|leq|geq|lt|gt|ne|neq|subset|subseteq|supset|in|notin|parallel|perp|sim|cong|Rightarrow|iff|implies)\b`)

// notValueRe finds what makes an option a geometric object or a name
// rather than a value.
var notValueRe = regexp.MustCompile(`\\(triangle|angle|overline|overarc|widehat|odot)\b|[^^{]\s*\\circ\b`)

// noneCues are the options that are no value.
var noneCues = []string{"none of", "all of", "not determined", "cannot be determined", "can not be determined",
	"not enough", "neither", "no solution", "infinitely many"}

// unitWords are the words a value may carry.
var unitWords = map[string]bool{"km/h": true, "mph": true, "cm": true, "m": true, "km": true, "mm": true, "kg": true, "g": true,
	"dollars": true, "cents": true, "degrees": true, "units": true, "feet": true, "ft": true, "inches": true, "in": true,
	"meters": true, "miles": true, "hours": true, "minutes": true, "seconds": true, "days": true, "years": true,
	"percent": true, "sq": true, "square": true, "cubic": true}

// checkOptions rejects a keyed option that is not a value: all or none of
// the above, a statement or relation, a word, a geometric object.
func checkOptions(opts []option, key int) (Reformulation, bool) {
	stripCommonUnit(opts)
	c := opts[key].content
	lc := strings.ToLower(c)
	if containsAny(lc, noneCues) {
		if strings.Contains(lc, "none of") || strings.Contains(lc, "all of") {
			return notRecovered(AllNoneOfAbove, "the key is "+excerpt(c, 0, 30)), true
		}
		return notRecovered(OptionNotAValue, "the key is "+excerpt(c, 0, 30)), true
	}
	statements := 0
	for _, o := range opts {
		if isStatement(o.content) {
			statements++
		}
	}
	if isStatement(c) || 2*statements > len(opts) {
		return notRecovered(OptionsAreStatements, "the options are statements: "+excerpt(c, 0, 30)), true
	}
	if proseWords(c) > 0 || notValueRe.MatchString(c) {
		return notRecovered(OptionNotAValue, "the keyed option is no value: "+excerpt(c, 0, 30)), true
	}
	if bareName(c) {
		return notRecovered(OptionNotAValue, "the keyed option is a name: "+c), true
	}
	_, kind, err := verify.Canonical(context.Background(), c, verify.Options{})
	if err != nil || c == "" {
		return notRecovered(OptionNotAValue, "the keyed option does not parse: "+excerpt(c, 0, 30)), true
	}
	switch kind {
	case verify.KindText:
		return notRecovered(OptionNotAValue, "the keyed option is a word: "+excerpt(c, 0, 30)), true
	case verify.KindEquation, verify.KindInequality:
		return notRecovered(OptionsAreStatements, "the keyed option is a relation: "+excerpt(c, 0, 30)), true
	}
	return Reformulation{}, false
}

// isStatement reports whether an option states something: a relation
// (outside a set-builder set) or a sentence of three words or more.
func isStatement(c string) bool {
	if proseWords(c) >= 3 {
		return true
	}
	if strings.Contains(c, `\mid`) || strings.HasPrefix(c, `\{`) {
		return false // {x | x > 0} is a set, not a statement
	}
	return relationRe.MatchString(c)
}

// bareName reports whether an option is a single letter (a coefficient, a
// point, a variable named as the answer).
func bareName(c string) bool {
	t := strings.TrimSpace(strings.Trim(c, "$ "))
	return len(t) == 1 && isLetter(t[0])
}

// proseWords counts the words of prose in an option: runs of two or more
// letters outside math and LaTeX commands that are not units.
func proseWords(c string) int {
	n := 0
	for _, w := range strings.Fields(maskMath(stripTextCommands(c))) {
		w = strings.Trim(w, ".,;:()")
		if len(w) < 2 || w[0] == '\\' || unitWords[strings.ToLower(w)] {
			continue
		}
		word := true
		for i := 0; i < len(w); i++ {
			if !isLetter(w[i]) && w[i] != '-' && w[i] != '\'' {
				word = false
				break
			}
		}
		if word {
			n++
		}
	}
	return n
}

// stripTextCommands turns \text{words} into " words " so that the words
// count as prose.
func stripTextCommands(c string) string {
	for _, cmd := range []string{`\text`, `\textrm`, `\mbox`, `\mathrm`} {
		for {
			i := strings.Index(c, cmd+"{")
			if i < 0 {
				break
			}
			e, ok := group(c, i+len(cmd))
			if !ok {
				break
			}
			c = c[:i] + " " + c[i+len(cmd)+1:e-1] + " " + c[e:]
		}
	}
	return c
}

// stripCommonUnit drops a unit word that ends every option ("50 km/h",
// "60 km/h", ...): the value is the number.
func stripCommonUnit(opts []option) {
	if len(opts) == 0 {
		return
	}
	last := func(s string) string {
		f := strings.Fields(s)
		if len(f) < 2 {
			return ""
		}
		return f[len(f)-1]
	}
	u := last(opts[0].content)
	if u == "" || !unitWords[strings.ToLower(u)] {
		return
	}
	for _, o := range opts {
		if last(o.content) != u {
			return
		}
	}
	for k := range opts {
		opts[k].content = strings.TrimSpace(strings.TrimSuffix(opts[k].content, u))
	}
}

// instructionRe matches a sentence that only tells how to pick an option:
// "Choose the correct answer.", "(Type the letter of your choice.)",
// "Select one option."
var instructionRe = regexp.MustCompile(`(?i)\s*\(?\b(?:please\s+)?(?:choose|select|pick|circle|mark|enter|type|write|give|express|indicate)\b[^.?!()\n]*\b(?:correct answer|right answer|best answer|options?|choices?|letters?)\b[^.?!()\n]*[.!]?\)?\s*$`)

// dropInstructions removes answering instructions that end the stem.
func dropInstructions(s string) string {
	for range 3 {
		loc := instructionRe.FindStringIndex(s)
		if loc == nil || loc[0] == 0 {
			return s
		}
		s = strings.TrimRight(s[:loc[0]], " \t\n")
	}
	return s
}

// rewrites are the minimal rewrites of a stem that asks to pick the option
// equal to a value: "Which of the following is equal to X?" -> "What is X?".
var rewrites = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`(?i)\bwhich (?:one )?of the following (?:numbers |expressions )?(?:is equal to|equals|is equivalent to)\s+`), "What is "},
	{regexp.MustCompile(`(?i)\bwhich (?:one )?of the following is the value of\s+`), "What is the value of "},
}

func rewriteStem(s string) string {
	for _, r := range rewrites {
		loc := r.re.FindStringIndex(s)
		if loc == nil {
			continue
		}
		repl := r.repl
		if loc[0] > 0 && !sentenceStart(s, loc[0]) {
			repl = strings.ToLower(repl[:1]) + repl[1:]
		}
		s = s[:loc[0]] + repl + s[loc[1]:]
	}
	return s
}

func sentenceStart(s string, i int) bool {
	t := strings.TrimRight(s[:i], " \t\n")
	return t == "" || strings.HasSuffix(t, ".") || strings.HasSuffix(t, "?") || strings.HasSuffix(t, "!") || strings.HasSuffix(t, "$")
}

// needsOptionsCues are the phrases of a stem whose question is about the
// options themselves.
var needsOptionsCues = []string{"which of the following", "which one of the following", "which of these", "which one",
	"among the following", "of the following", "the following is", "the following are", "following statement",
	"closest to", "closest", "nearest to", "approximately", "most nearly", "roughly", "approximation", "estimate", "best describes",
	"how many of the following", "how many of these", "letter", "correct option", "correct choice", "the options",
	"answer choices", "the choices", "which graph", "which could", "which must", "which statement",
	"which expression", "which number", "which equation", "which set", "which type", "a, b, c", "a, b, or c",
	"answer as a", "your answer as", "corresponds to your answer", "which kind", "which quantity", "which shape", "which conic", "which curve", "correct expression"}

// questionChangeCues are the phrases of a stem that asks for one of several
// right answers; without the options the question changes.
var questionChangeCues = []string{"a possible", "one possible", "could be", "could have", "might be", "may be", "must be",
	"can be", "must divide", "must have", "one of the", "one factor", "a factor of", "one root", "a root of", "one solution",
	"a solution of", "one value", "a value of", "an example", "could equal", "can equal", "may equal", "might equal"}

// extremalWords make "can be"/"possible" ask for one value: the count,
// sum, least or greatest of the possible ones.
var extremalWords = []string{"how many", "number of", "greatest", "least", "largest", "smallest", "maximum", "minimum",
	"sum of", "product of", "total", "probability", "most", "fewest", "biggest", "highest", "lowest"}

// functionWords end a line only when the sentence runs on.
var functionWords = map[string]bool{"are": true, "is": true, "the": true, "of": true, "a": true, "an": true, "to": true,
	"and": true, "or": true, "with": true, "by": true, "than": true, "that": true}

// statementWords name what a stem may list itself with ①, ②, ③ and then
// count: "Given the following propositions: ① ...; ② .... The number of
// true ones is".
var statementWords = map[string]bool{"proposition": true, "propositions": true, "statement": true, "statements": true,
	"conclusion": true, "conclusions": true, "judgment": true, "judgments": true, "judgement": true, "judgements": true,
	"inequalities": true, "equations": true, "functions": true, "numbers": true}

// statementsInStem reports whether the stem lists items of its own with
// circled numbers (at least ① and ②) and asks how many of them hold.
func statementsInStem(raw string) bool {
	if !strings.Contains(raw, "①") || !strings.Contains(raw, "②") {
		return false
	}
	l := strings.ToLower(raw)
	return strings.Contains(l, "the number of") || strings.Contains(l, "how many")
}

func withoutCues(cues []string, drop ...string) []string {
	var out []string
	for _, c := range cues {
		keep := true
		for _, d := range drop {
			if c == d {
				keep = false
			}
		}
		if keep {
			out = append(out, c)
		}
	}
	return out
}

// followingRe finds "the following" and what it introduces.
var followingRe = regexp.MustCompile(`\bthe following\s+(?:(?:two|three|four|five|\d+)\s+)?([a-z]+)`)

// followingInStem are the things "the following" may introduce in a stem
// that stands alone: its own data, not the options.
var followingInStem = map[string]bool{"property": true, "properties": true, "condition": true, "conditions": true,
	"equation": true, "equations": true, "system": true, "figure": true, "diagram": true, "table": true, "rule": true,
	"rules": true, "sequence": true, "way": true, "manner": true, "game": true, "information": true, "data": true}

func checkStem(stem string) (Reformulation, bool) {
	if strings.TrimSpace(stem) == "" {
		return notRecovered(StemNeedsOptions, "empty stem"), true
	}
	p := newProse(stem)
	listed := statementsInStem(p.raw)
	for _, m := range followingRe.FindAllStringSubmatch(p.text, -1) {
		if !followingInStem[m[1]] && !(listed && statementWords[m[1]]) {
			return notRecovered(StemNeedsOptions, "the question is about the options: "+m[0]), true
		}
	}
	if strings.HasSuffix(strings.TrimSpace(p.text), "the following") || strings.Contains(p.text, "the following:") || strings.Contains(p.text, "the following?") {
		return notRecovered(StemNeedsOptions, "the question is about the options: the following"), true
	}
	cues := needsOptionsCues
	if listed {
		cues = withoutCues(cues, "how many of the following", "of the following")
	}
	if c, at := firstCue(p.text, cues); at >= 0 {
		return notRecovered(StemNeedsOptions, "the question is about the options: "+c), true
	}
	if strings.Contains(p.raw, " NOT ") || strings.Contains(p.raw, "EXCEPT") || strings.Contains(p.raw, " not ") && strings.Contains(p.text, "which") {
		return notRecovered(StemNeedsOptions, "the question asks which option is not"), true
	}
	if sentenceAskingWhich(p.text) {
		return notRecovered(StemNeedsOptions, "the question asks which"), true
	}
	q := lastSentence(p.text)
	for _, cue := range questionChangeCues {
		// "can be written as" is a form, not a choice among answers.
		k := indexWhere(q, cue, 0, func(k int) bool {
			return !strings.HasPrefix(q[k:], "can be") || !containsAny(q[k:], []string{"be written", "be expressed", "be represented"})
		})
		if k >= 0 && !containsAny(q, extremalWords) {
			return notRecovered(QuestionChanges, "several answers fit: "+cue), true
		}
	}
	if runOn(stem) {
		return notRecovered(StemBroken, "a sentence breaks off"), true
	}
	return Reformulation{}, false
}

// sentenceAskingWhich reports whether a sentence starts with "which" or
// "in/on/at/for which" (a question about the options).
func sentenceAskingWhich(text string) bool {
	for _, sent := range strings.FieldsFunc(text, func(r rune) bool { return r == '.' || r == '?' || r == '!' || r == '\n' }) {
		f := strings.Fields(sent)
		if len(f) == 0 {
			continue
		}
		if f[0] == "which" || len(f) > 1 && f[1] == "which" && (f[0] == "in" || f[0] == "on" || f[0] == "at" || f[0] == "for" || f[0] == "to" || f[0] == "then") {
			return true
		}
	}
	return false
}

// runOn reports whether a line of the stem ends with a function word and
// the next line starts a new sentence: two problems run together.
func runOn(stem string) bool {
	lines := strings.Split(maskFigures(stem), "\n")
	for i := 0; i+1 < len(lines); i++ {
		f := strings.Fields(lines[i])
		if len(f) == 0 {
			continue
		}
		j := i + 1
		for j < len(lines) && strings.TrimSpace(lines[j]) == "" {
			j++
		}
		if j == len(lines) {
			return false
		}
		next := strings.TrimSpace(lines[j])
		if functionWords[strings.ToLower(f[len(f)-1])] && next != "" && next[0] >= 'A' && next[0] <= 'Z' {
			return true
		}
	}
	return false
}

// labelInsideRe finds an option label written inside an answer: "(B)",
// "\textbf{(B)}".
var labelInsideRe = regexp.MustCompile(`\(([A-H])\)`)

// NamesOption reports whether an answer names an option: a label ("B",
// "(B)", "\boxed{C}", "ACD") or a value written with its label
// ("\textbf{(B)}\ 23"). A solution whose final answer names an option
// cannot be compared with a derived problem's gold.
func NamesOption(a string) bool {
	return strings.TrimPrefix(answerLabels(a), "?") != "" || labelInsideRe.MatchString(a)
}
