package dedup

import (
	"iter"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
)

// tokKind is what an explained token is.
type tokKind uint8

const (
	kWord tokKind = iota // a prose word, compared by its stem
	kNum                 // a number (digits, or number words read as digits)
	kMath                // a variable, command or operator inside math
	kName                // a person's name: compared through a consistent renaming
	kUnit                // a unit, by its symbol
	kPron                // a personal pronoun
)

// etok is one token of the explained comparison.
type etok struct {
	key  string // what is compared
	surf string // as written, for explanations
	kind tokKind
	// edit names the allowed edit that made key from surf ("synonym",
	// "unit", "number_word", "latex_format"), or "".
	edit       string
	start, end int // byte offsets of surf in prepared.prose
	seg        int // the math segment ($...$) the token is in, counted from 1; 0 in prose
}

// prepared is one text read for the explained comparison.
type prepared struct {
	text  string
	prose string // text without figure code and links (same offsets, blanked)
	toks  []etok
	// stops and instr are the dropped stop words and instruction words
	// ("find", "what"), lower-cased.
	stops, instr []string
	// format are the format instructions ("Express your answer as a common
	// fraction.") removed from the prose, lower-cased; answerFmt the
	// answer-format sentences ("... relatively prime ... Find m+n.").
	format    []string
	answerFmt []sentence
	hasFigure bool
	fp        Fingerprint // without bands: figure sample and figure numbers
	complete  bool        // the text ends like a finished sentence
	stems     map[string]string
	lead      string // a label that opened the text ("question:"), lower-cased
}

// rawTok is a token before canonicalization.
type rawTok struct {
	surf       string
	kind       tokKind // kWord, kNum or kMath
	start, end int
	sentStart  bool // a word that opens a sentence
	cmd        string
	seg        int
}

// textCommands take an argument that is prose, even inside math.
var textCommands = map[string]bool{"text": true, "textbf": true, "textit": true, "textrm": true, "mbox": true,
	"mathrm": true, "emph": true, "hbox": true, "textnormal": true, "textsf": true, "texttt": true, "it": true, "bf": true}

// spacingCommands only space or size.
var spacingCommands = map[string]bool{"quad": true, "qquad": true, "enspace": true, "thinspace": true,
	"medspace": true, "thickspace": true, "hfill": true, "noindent": true, "displaystyle": true, "textstyle": true,
	"scriptstyle": true, "left": true, "right": true, "big": true, "Big": true, "bigg": true, "Bigg": true,
	"bigl": true, "bigr": true, "Bigl": true, "Bigr": true, "biggl": true, "biggr": true, "limits": true,
	"nolimits": true, "mathbf": true, "mathit": true, "mathsf": true, "boldsymbol": true, "bm": true, "rm": true,
	"operatorname": true, "mathnormal": true, "small": true, "large": true, "Large": true, "tiny": true,
	"normalsize": true, "footnotesize": true, "phantom": false, "cdotp": false}

// prepare reads normalized text for Explain.
func prepare(text string) *prepared {
	var h Hasher
	return prepareWith(text, h.withoutBands(text), nil)
}

// prepareWith is prepare with the text's fingerprint already computed and
// a cache of stems (nil for none).
func prepareWith(text string, fp Fingerprint, stems map[string]string) *prepared {
	p := &prepared{text: text, stems: stems}
	p.fp = fp
	p.hasFigure = len(p.fp.Aux) > 0
	p.prose = rewriteOver(blankFigures(text))
	p.prose = p.blankFormatPhrases(p.prose)
	if n := leadIn(p.prose); n > 0 {
		p.lead = strings.ToLower(strings.TrimSpace(p.prose[:n]))
		p.prose = strings.Repeat(" ", n) + p.prose[n:]
	}
	p.prose = p.dropSentences(p.prose)
	raw := scan(p.prose)
	p.toks = p.canonical(raw)
	p.complete = endsComplete(p.prose)
	return p
}

// blankFigures replaces [asy] blocks, links and <img> tags with spaces.
func blankFigures(s string) string {
	b := []byte(s)
	changed := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '[' && c != '<' && c|0x20 != 'h' && c|0x20 != 'w' {
			continue
		}
		e := -1
		switch {
		case hasPrefixFold(s[i:], "[asy]"):
			if k := strings.Index(s[i:], "[/asy]"); k >= 0 {
				e = i + k + len("[/asy]")
			} else {
				e = len(s)
			}
		case hasPrefixFold(s[i:], "http://") || hasPrefixFold(s[i:], "https://") || hasPrefixFold(s[i:], "www."):
			e = i
			for e < len(s) && s[e] != ' ' && s[e] != '\n' && s[e] != '\t' && s[e] != '$' {
				e++
			}
		case hasPrefixFold(s[i:], "<img"):
			if k := strings.IndexByte(s[i:], '>'); k >= 0 {
				e = i + k + 1
			} else {
				e = len(s)
			}
		}
		if e > i {
			i = captionStart(s, i)
			for k := i; k < e; k++ {
				b[k] = ' '
			}
			changed = true
			i = e - 1
		}
	}
	if !changed {
		return s
	}
	return string(b)
}

// formatPhrases ask for a form of the answer inside a sentence ("as a
// common fraction in lowest terms"); they are dropped like format
// instructions.
var formatPhrases = []string{" in lowest terms", " in simplest form", " in simplest terms", " in simplest radical form",
	" in lowest form", " in reduced form"}

// blankFormatPhrases blanks the format phrases of s, remembering them.
func (p *prepared) blankFormatPhrases(s string) string {
	if !strings.Contains(s, "lowest") && !strings.Contains(s, "simplest") && !strings.Contains(s, "reduced") {
		return s
	}
	low := lowerASCII(s) // the same byte offsets as s, unlike strings.ToLower
	var b []byte
	for _, f := range formatPhrases {
		for k := range occurrences(low, f) {
			if b == nil {
				b = []byte(s)
			}
			for m := k; m < k+len(f); m++ {
				b[m] = ' '
			}
			p.format = append(p.format, strings.TrimSpace(f))
		}
	}
	if b == nil {
		return s
	}
	return string(b)
}

// lowerASCII lower-cases the ASCII letters of s and leaves every other
// byte as it is, so that an index into the result is one into s.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// occurrences yields the index of each occurrence of sub in s, each after
// the end of the one before.
func occurrences(s, sub string) iter.Seq[int] {
	return func(yield func(int) bool) {
		for from := 0; from <= len(s); {
			k := strings.Index(s[from:], sub)
			if k < 0 || !yield(from+k) {
				return
			}
			from += k + len(sub)
		}
	}
}

// rewriteOver rewrites TeX's {a \over b} as \frac{a}{b}.
func rewriteOver(s string) string {
	for range 8 {
		k := indexOver(s)
		if k < 0 {
			return s
		}
		open, depth := -1, 0
		for m := k - 1; m >= 0; m-- {
			if s[m] == '}' {
				depth++
			} else if s[m] == '{' {
				if depth == 0 {
					open = m
					break
				}
				depth--
			}
		}
		if open < 0 {
			return s
		}
		close := matchBrace(s, open, len(s))
		if close >= len(s) || close < k {
			return s
		}
		s = s[:open] + `\frac{` + s[open+1:k] + "}{" + s[k+len(`\over`):close] + "}" + s[close+1:]
	}
	return s
}

// indexOver finds a \over command (not \overline or \overset).
func indexOver(s string) int {
	for from := 0; ; {
		k := strings.Index(s[from:], `\over`)
		if k < 0 {
			return -1
		}
		k += from
		if e := k + len(`\over`); e >= len(s) || !isLetter(s[e]) {
			return k
		}
		from = k + 1
	}
}

// captionStart returns where the caption of a figure or link at s[i]
// starts: a single word alone before it ("Graph https://...") belongs to
// it.
func captionStart(s string, i int) int {
	j := i
	for j > 0 && s[j-1] == ' ' {
		j--
	}
	k := j
	for k > 0 && isLetter(s[k-1]) {
		k--
	}
	if k == j {
		return i
	}
	m := k
	for m > 0 && s[m-1] == ' ' {
		m--
	}
	if m == 0 || s[m-1] == '.' || s[m-1] == '?' || s[m-1] == '!' || s[m-1] == '$' || s[m-1] == ':' {
		return k
	}
	return i
}

// leadIn returns the length of a label that opens a problem ("Question:",
// "Problem 3.", "Exercise:"), 0 when there is none.
func leadIn(s string) int {
	i := 0
	for i < len(s) && isLetter(s[i]) {
		i++
	}
	switch strings.ToLower(s[:i]) {
	case "question", "problem", "exercise", "example", "q", "task":
	default:
		return 0
	}
	for i < len(s) && (s[i] == ' ' || isDigit(s[i])) {
		i++
	}
	if i < len(s) && (s[i] == ':' || s[i] == '.' || s[i] == ')') {
		i++
		for i < len(s) && s[i] == ' ' {
			i++
		}
		return i
	}
	return 0
}

// formatCues open a format instruction.
var formatCues = []string{"express your answer", "express the answer", "express your result", "express answer",
	"give your answer", "give the answer", "write your answer", "write the answer", "enter your answer",
	"enter the answer", "round your answer", "leave your answer", "present your answer", "put your answer",
	"your answer should", "please express", "express it as", "express as", "express in", "express each",
	"enter all", "separate your answers", "enter your answers", "list your answer", "answer in",
	"give your final answer", "put your final answer", "round to the nearest", "express your final answer"}

// answerFormatCues mark a sentence that sets an answer format of the AIME
// kind ("... where m and n are relatively prime positive integers. Find
// m+n.").
var answerFormatCues = []string{"relatively prime", "coprime", "can be written as", "can be written in the form",
	"can be expressed as", "can be expressed in the form", "in the form", "is not divisible by the square",
	"square-free", "squarefree"}

// sentence is a byte range of prose.
type sentence struct{ start, end int }

// sentences splits prose at ". ", "? " and "! " outside math.
func sentences(s string) []sentence {
	var out []sentence
	inMath := false
	start := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
		case c == '$':
			inMath = !inMath
		case !inMath && (c == '.' || c == '?' || c == '!') && (i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\n' || s[i+1] == ')'):
			e := i + 1
			if e < len(s) && s[e] == ')' {
				e++
			}
			out = append(out, sentence{start, e})
			start = e
		case inMath && (c == '.' || c == '?' || c == '!') && i+1 < len(s) && s[i+1] == '$':
			// "... 7||.$Write your answer": the sentence ends inside math
			inMath = false
			out = append(out, sentence{start, i + 2})
			start = i + 2
			i++
		}
	}
	if start < len(s) {
		out = append(out, sentence{start, len(s)})
	}
	return out
}

// dropSentences blanks the format instructions of s and remembers them
// and the answer-format sentences (kept in the text).
func (p *prepared) dropSentences(s string) string {
	var b []byte
	prevAnswerFmt := false
	for _, sn := range sentences(s) {
		t := strings.ToLower(strings.TrimSpace(s[sn.start:sn.end]))
		t = strings.TrimLeft(t, "( ")
		isFormat := hasAnyPrefix(t, formatCues)
		isAnswerFmt := !isFormat && (containsAny(t, answerFormatCues) ||
			prevAnswerFmt && len(t) < 40 && strings.HasPrefix(t, "find"))
		prevAnswerFmt = isAnswerFmt
		switch {
		case isAnswerFmt:
			p.answerFmt = append(p.answerFmt, sn)
			continue
		case !isFormat:
			continue
		}
		if b == nil {
			b = []byte(s)
		}
		p.format = append(p.format, strings.TrimRight(t, ".)"))
		for k := sn.start; k < sn.end; k++ {
			b[k] = ' '
		}
	}
	if b == nil {
		return s
	}
	return string(b)
}

// hasAnyPrefix reports whether s starts with one of the prefixes.
func hasAnyPrefix(s string, prefixes []string) bool {
	return slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(s, p) })
}

// containsAny reports whether s contains one of subs.
func containsAny(s string, subs []string) bool {
	return slices.ContainsFunc(subs, func(c string) bool { return strings.Contains(s, c) })
}

// answerFormVocab are the tokens of an answer-format sentence that the
// benchmark mode leaves out: the letters and operators of "m/n", "m+n",
// "a\sqrt{b}" and the words around them.
var answerFormVocab = setOf(`m n p q r a b c d k + - / ^ ( ) \frac \sqrt \dfrac relat prime posit integ written
	form express can where divis squar free coprim not ani`)

// withoutAnswerForm returns toks without the answer-form vocabulary of
// the answer-format sentences.
func (p *prepared) withoutAnswerForm() []etok {
	if len(p.answerFmt) == 0 {
		return p.toks
	}
	var out []etok
	for _, t := range p.toks {
		in := false
		for _, sn := range p.answerFmt {
			if t.start >= sn.start && t.end <= sn.end {
				in = true
				break
			}
		}
		if in && answerFormVocab[t.key] {
			continue
		}
		out = append(out, t)
	}
	return out
}

// endsComplete reports whether prose ends like a finished statement: with
// sentence punctuation, a closing bracket or math.
func endsComplete(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return true
	}
	switch s[len(s)-1] {
	case '.', '?', '!', ')', '$', ']', '}', ':':
		return true
	}
	return false
}

// scan splits prose into raw tokens: words and numbers outside math,
// variables, commands, numbers and operators inside; the argument of
// \text{} is prose again.
func scan(s string) []rawTok {
	sc := scanner{s: s, out: make([]rawTok, 0, len(s)/4+4)}
	sc.run(0, len(s), false)
	return sc.out
}

type scanner struct {
	s       string
	seg     int // the current math segment, 0 outside math
	segs    int // math segments seen
	out     []rawTok
	sentEnd bool // the last thing seen ended a sentence (or nothing seen yet)
	started bool
}

func (sc *scanner) emit(t rawTok) {
	t.seg = sc.seg
	if t.kind == kWord {
		t.sentStart = !sc.started || sc.sentEnd
	}
	sc.started = true
	sc.sentEnd = false
	sc.out = append(sc.out, t)
}

// run scans s[i:end]; math says whether it starts inside math.
func (sc *scanner) run(i, end int, math bool) {
	s := sc.s
	for i < end {
		c := s[i]
		switch {
		case c == '$':
			math = !math
			sc.seg = 0
			if math {
				sc.segs++
				sc.seg = sc.segs
			}
			i++
		case c == '\\':
			i = sc.command(i, end, math)
		case isDigit(c):
			i = sc.number(i, end)
		case isLetter(c):
			j := i
			for j < end && isLetter(s[j]) {
				j++
			}
			if math && !(j-i >= 3 && mathProse(s, i, j)) {
				for k := i; k < j; k++ {
					sc.emit(rawTok{surf: s[k : k+1], kind: kMath, start: k, end: k + 1})
				}
			} else {
				sc.emit(rawTok{surf: s[i:j], kind: kWord, start: i, end: j})
			}
			i = j
		case (c == '^' || c == '_') && math:
			j := i + 1
			for j < end && s[j] == ' ' {
				j++
			}
			if j+1 < end && s[j] == '{' && s[j+1] == '}' { // AoPS empty group ^{}_{}
				i = j + 2
				continue
			}
			sc.emit(rawTok{surf: s[i : i+1], kind: kMath, start: i, end: i + 1})
			i++
		case c == '.' || c == '?' || c == '!':
			sc.sentEnd = true
			i++
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '{' || c == '}' || c == ',' || c == ';' ||
			c == ':' || c == '~' || c == '&' || c == '`' || c == '\'' || c == '"':
			i++
		case c < 0x80:
			if !math && (c == '(' || c == ')' || c == '[' || c == ']' || c == '-') {
				i++
				continue
			}
			sc.emit(rawTok{surf: s[i : i+1], kind: kMath, start: i, end: i + 1})
			i++
		default:
			i = sc.rune(i, math)
		}
	}
}

// mathProse reports whether the letters s[i:j] inside math are an English
// function word that a misplaced $ put there ("$and for all$x$"): a
// lower-case stop or instruction word standing alone.
func mathProse(s string, i, j int) bool {
	if i > 0 && (s[i-1] == '\\' || isLetter(s[i-1])) || j < len(s) && (s[j] == '(' || s[j] == '_' || s[j] == '^') {
		return false
	}
	w := s[i:j]
	return stopWords[w] || instructionWords[w] || mathProseWords[w]
}

// mathProseWords are more words a misplaced $ leaves inside math.
var mathProseWords = setOf(`such that where and for all are positive integers real numbers`)

// number scans digits with a decimal point and thousands separators.
func (sc *scanner) number(i, end int) int {
	s := sc.s
	j := i + 1
	var b []byte
	b = append(b, s[i])
	for j < end {
		d := s[j]
		switch {
		case isDigit(d):
			b = append(b, d)
			j++
			continue
		case d == '.' && j+1 < end && isDigit(s[j+1]):
			b = append(b, d)
			j++
			continue
		case d == ',' && j+3 < end && isDigit(s[j+1]) && isDigit(s[j+2]) && isDigit(s[j+3]) && (j+4 >= end || !isDigit(s[j+4])):
			j++
			continue
		case d == '{' && strings.HasPrefix(s[j:end], "{,}") && j+5 < end && isDigit(s[j+3]):
			j += 3
			continue
		}
		break
	}
	sc.emit(rawTok{surf: s[i:j], kind: kNum, start: i, end: j, cmd: string(b)})
	return j
}

// command scans a backslash command at s[i].
func (sc *scanner) command(i, end int, math bool) int {
	s := sc.s
	j := i + 1
	for j < end && isLetter(s[j]) {
		j++
	}
	if j == i+1 { // \{ \$ \, \  and the like
		if j >= end {
			return j
		}
		switch s[j] {
		case '{', '}', '|', '%', '#':
			sc.emit(rawTok{surf: s[i : j+1], kind: kMath, start: i, end: j + 1})
		case '$':
			sc.emit(rawTok{surf: s[i : j+1], kind: kWord, start: i, end: j + 1, cmd: "$"})
		}
		return j + 1
	}
	name := s[i+1 : j]
	if name == "begin" || name == "end" { // an environment's name is layout
		if j < end && s[j] == '{' {
			return min(matchBrace(s, j, end)+1, end)
		}
		return j
	}
	if textCommands[name] {
		k := j
		for k < end && s[k] == ' ' {
			k++
		}
		if k < end && s[k] == '{' {
			close := matchBrace(s, k, end)
			sc.run(k+1, close, false)
			return min(close+1, end)
		}
		return j
	}
	if spacingCommands[name] || skipCommands[name] {
		return j
	}
	sc.emit(rawTok{surf: s[i:j], kind: kMath, start: i, end: j, cmd: name})
	return j
}

// matchBrace returns the index of the brace closing s[open], or end.
func matchBrace(s string, open, end int) int {
	depth := 0
	for k := open; k < end; k++ {
		switch s[k] {
		case '\\':
			k++
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return k
			}
		}
	}
	return end
}

// runeAliases maps Unicode math symbols to their LaTeX commands.
var runeAliases = map[rune]string{'≤': "leq", '≥': "geq", '≠': "neq", '×': "times", '÷': "div", '·': "cdot",
	'−': "-", 'π': "pi", '∞': "infty", '√': "sqrt", '°': "circ", '∠': "angle", '⊥': "perp", '∥': "parallel"}

// rune scans a non-ASCII character or word.
func (sc *scanner) rune(i int, math bool) int {
	s := sc.s
	r, size := utf8.DecodeRuneInString(s[i:])
	if r == utf8.RuneError && size <= 1 {
		return i + 1
	}
	if a, ok := runeAliases[r]; ok {
		sc.emit(rawTok{surf: s[i : i+size], kind: kMath, start: i, end: i + size, cmd: a})
		return i + size
	}
	switch {
	case unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r):
		sc.emit(rawTok{surf: s[i : i+size], kind: kWord, start: i, end: i + size})
		return i + size
	case unicode.IsLetter(r):
		j := i
		for j < len(s) {
			r2, sz := utf8.DecodeRuneInString(s[j:])
			if !(unicode.IsLetter(r2) && r2 >= 0x80 && !unicode.Is(unicode.Han, r2)) {
				break
			}
			j += sz
		}
		sc.emit(rawTok{surf: s[i:j], kind: kWord, start: i, end: j})
		return j
	case unicode.IsSpace(r) || unicode.IsPunct(r):
		return i + size
	}
	sc.emit(rawTok{surf: s[i : i+size], kind: kMath, start: i, end: i + size})
	return i + size
}

// canonical turns raw tokens into compared tokens: stop words and
// instruction words dropped (and remembered), number words read, units,
// pronouns, names and synonyms marked, words stemmed.
func (p *prepared) canonical(raw []rawTok) []etok {
	names := nameCandidates(raw)
	out := make([]etok, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		r := raw[i]
		switch r.kind {
		case kNum:
			out = append(out, etok{key: r.cmd, surf: r.surf, kind: kNum, start: r.start, end: r.end})
			if i+1 < len(raw) && raw[i+1].kind == kMath && raw[i+1].cmd == "%" {
				i++
			}
			continue
		case kMath:
			out = p.mathToken(out, raw, i)
			if raw[i].surf == "^" && i+1 < len(raw) && raw[i+1].cmd == "circ" {
				i++
			}
			continue
		}
		if r.cmd == "$" { // \$5 is 5 dollars
			if i+1 < len(raw) && raw[i+1].kind == kNum {
				n := raw[i+1]
				out = append(out, etok{key: n.cmd, surf: n.surf, kind: kNum, start: n.start, end: n.end},
					etok{key: "usd", surf: r.surf, kind: kUnit, edit: "unit", start: r.start, end: r.end})
				i++
				continue
			}
			out = append(out, etok{key: "usd", surf: r.surf, kind: kUnit, edit: "unit", start: r.start, end: r.end})
			continue
		}
		low := strings.ToLower(r.surf)
		class := wordClasses[low]
		if n, k := p.numberWords(class, raw, i); k > 0 {
			last := raw[i+k-1]
			out = append(out, etok{key: strconv.Itoa(n), surf: p.prose[r.start:last.end], kind: kNum, edit: "number_word", start: r.start, end: last.end})
			i += k - 1
			continue
		}
		prevNum := len(out) > 0 && out[len(out)-1].kind == kNum && out[len(out)-1].end <= r.start ||
			len(out) > 1 && out[len(out)-1].key == "/" && out[len(out)-2].kind == kUnit // km/h
		if class&inUnitWords != 0 {
			u := unitWords[low]
			kind := kUnit
			if u == "/" { // "per" is the slash of km/h
				kind = kMath
			}
			out = append(out, etok{key: u, surf: r.surf, kind: kind, edit: "unit", start: r.start, end: r.end})
			continue
		}
		if class&inUnitSymbols != 0 && prevNum && (low != "s" && low != "in" || r.surf == low) {
			out = append(out, etok{key: unitSymbols[low], surf: r.surf, kind: kUnit, edit: "unit", start: r.start, end: r.end})
			continue
		}
		if n, repl := rawPhraseAt(class, raw, i); n > 0 {
			last := raw[i+n-1]
			surf := strings.ToLower(p.prose[r.start:last.end])
			for _, w := range strings.Fields(repl) {
				out = append(out, etok{key: w, surf: surf, kind: kWord, edit: "synonym", start: r.start, end: last.end})
			}
			i += n - 1
			continue
		}
		switch {
		case names[i]:
			out = append(out, etok{key: "@name", surf: r.surf, kind: kName, start: r.start, end: r.end})
		case class&inPronouns != 0:
			out = append(out, etok{key: "@pron", surf: low, kind: kPron, start: r.start, end: r.end})
		case class&inStopWords != 0:
			p.stops = append(p.stops, low)
		case class&inInstructionWords != 0:
			p.instr = append(p.instr, low)
		default:
			out = append(out, etok{key: low, surf: r.surf, kind: kWord, start: r.start, end: r.end})
		}
	}
	for k := range out { // raw is in text order: find the raw token each starts at
		j, found := slices.BinarySearchFunc(raw, out[k].start, func(r rawTok, start int) int { return r.start - start })
		if found {
			out[k].seg = raw[j].seg
		}
	}
	return p.applySynonyms(out)
}

// mathToken appends the compared token of the math token raw[i].
func (p *prepared) mathToken(out []etok, raw []rawTok, i int) []etok {
	r := raw[i]
	if r.surf == "^" && i+1 < len(raw) && raw[i+1].cmd == "circ" {
		prevNum := len(out) > 0 && out[len(out)-1].kind == kNum
		if prevNum {
			return append(out, etok{key: "deg", surf: p.prose[r.start:raw[i+1].end], kind: kUnit, edit: "unit", start: r.start, end: raw[i+1].end})
		}
	}
	if r.cmd == "circ" && r.surf == "°" {
		return append(out, etok{key: "deg", surf: r.surf, kind: kUnit, edit: "unit", start: r.start, end: r.end})
	}
	if r.cmd == "%" || r.surf == "%" || r.surf == `\%` {
		return append(out, etok{key: "%", surf: r.surf, kind: kUnit, edit: "unit", start: r.start, end: r.end})
	}
	key := r.surf
	edit := ""
	if r.cmd != "" {
		name := r.cmd
		if a, ok := aliasCommands[name]; ok {
			name = a
		}
		if len(name) == 1 {
			key = name
		} else {
			key = `\` + name
		}
		if key != r.surf {
			edit = "latex_format"
		}
	}
	return append(out, etok{key: key, surf: r.surf, kind: kMath, edit: edit, start: r.start, end: r.end})
}

// numberWords reads number words at raw[i] ("twenty five", "three
// hundred", "a dozen"), class being raw[i]'s word class; it returns the
// value and how many tokens it took (0 when none). A run starts with a
// number word: scales only follow one.
func (p *prepared) numberWords(class wordClass, raw []rawTok, i int) (int, int) {
	if class&inNumberWords == 0 {
		return 0, 0
	}
	total, cur, k := 0, 0, 0
	for i+k < len(raw) && raw[i+k].kind == kWord {
		w := strings.ToLower(raw[i+k].surf)
		if v, ok := numberWords[w]; ok {
			if w == "dozen" && k > 0 {
				cur *= 12
			} else {
				cur += v
			}
			k++
			continue
		}
		if v, ok := numberScales[w]; ok && k > 0 {
			cur *= v
			if v >= 1000 {
				total += cur
				cur = 0
			}
			k++
			continue
		}
		break
	}
	return total + cur, k
}

// nameCandidates marks the raw words that are people's names: capitalised
// words (not all capitals, not a known non-name) inside a sentence, and at
// a sentence's start when they are common first names or appear
// capitalised inside a sentence elsewhere.
func nameCandidates(raw []rawTok) map[int]bool {
	var inside map[string]bool
	capital := func(s string) bool {
		if len(s) < 2 || s[0] < 'A' || s[0] > 'Z' {
			return false
		}
		for k := 1; k < len(s); k++ {
			if s[k] < 'a' || s[k] > 'z' {
				return false
			}
		}
		return !notNames[strings.ToLower(s)]
	}
	for _, r := range raw {
		if r.kind == kWord && !r.sentStart && capital(r.surf) {
			if inside == nil {
				inside = map[string]bool{}
			}
			inside[r.surf] = true
		}
	}
	var out map[int]bool
	for i, r := range raw {
		if r.kind != kWord || !capital(r.surf) {
			continue
		}
		low := strings.ToLower(r.surf)
		if !r.sentStart || inside[r.surf] || firstNames[low] {
			if _, unit := unitWords[low]; unit || pronouns[low] {
				continue
			}
			if out == nil {
				out = map[int]bool{}
			}
			out[i] = true
		}
	}
	return out
}

// rawPhraseAt returns the length and replacement of the longest raw phrase
// (rawPhrases) at raw[i], class being raw[i]'s word class, or 0.
func rawPhraseAt(class wordClass, raw []rawTok, i int) (int, string) {
	if class&inPhraseStarts == 0 {
		return 0, ""
	}
	for n := min(5, len(raw)-i); n >= 2; n-- {
		phrase, ok := wordPhrase(n, func(k int) (string, bool) {
			if raw[i+k].kind != kWord {
				return "", false
			}
			return strings.ToLower(raw[i+k].surf), true
		})
		if r, found := rawPhrases[phrase]; ok && found {
			return n, r
		}
	}
	return 0, ""
}

// applySynonyms rewrites synonym phrases to their family's spelling and
// stems the remaining words.
func (p *prepared) applySynonyms(toks []etok) []etok {
	// rewrite in place, unless a replacement is longer than its phrase
	out := toks[:0]
	for _, t := range toks {
		if t.kind == kWord && expanding[t.key] {
			out = make([]etok, 0, len(toks)+4)
			break
		}
	}
	for i := 0; i < len(toks); {
		if toks[i].kind == kWord && toks[i].edit == "synonym" { // a raw phrase
			t := toks[i]
			t.key = p.stem(t.key)
			out = append(out, t)
			i++
			continue
		}
		if toks[i].kind == kWord {
			if n, repl := synonymAt(toks, i); n > 0 {
				first, last := toks[i], toks[i+n-1]
				surf := joinSurf(toks[i : i+n])
				for _, w := range strings.Fields(repl) {
					t := etok{key: p.stem(w), surf: surf, kind: kWord, edit: "synonym", start: first.start, end: last.end}
					if isDigit(w[0]) {
						t.kind, t.key = kNum, w
					}
					out = append(out, t)
				}
				i += n
				continue
			}
			t := toks[i]
			t.key = p.stem(t.key)
			out = append(out, t)
			i++
			continue
		}
		out = append(out, toks[i])
		i++
	}
	return out
}

// synonymAt returns the length and replacement of the longest synonym
// phrase at toks[i], or 0.
func synonymAt(toks []etok, i int) (int, string) {
	if !synonymStarts[toks[i].key] {
		return 0, ""
	}
	for n := min(maxPhrase, len(toks)-i); n >= 2; n-- {
		phrase, ok := wordPhrase(n, func(k int) (string, bool) { return toks[i+k].key, toks[i+k].kind == kWord })
		if !ok {
			continue
		}
		if r, found := synonyms[phrase]; found {
			return n, r
		}
	}
	if r, found := synonyms[toks[i].key]; found {
		return 1, r
	}
	return 0, ""
}

// wordPhrase joins the n words word(0), ..., word(n-1) with single spaces;
// ok is false, and the phrase cut short, when one of them is not a word.
func wordPhrase(n int, word func(k int) (w string, isWord bool)) (phrase string, ok bool) {
	var b strings.Builder
	for k := 0; k < n; k++ {
		w, isWord := word(k)
		if !isWord {
			return b.String(), false
		}
		if k > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	return b.String(), true
}

func joinSurf(toks []etok) string {
	parts := make([]string, len(toks))
	for i, t := range toks {
		parts[i] = strings.ToLower(t.surf)
	}
	return strings.Join(parts, " ")
}

// stem is the package stem, through the cache when there is one.
func (p *prepared) stem(w string) string {
	if p.stems == nil {
		return stem(w)
	}
	if s, ok := p.stems[w]; ok {
		return s
	}
	s := stem(w)
	if len(p.stems) < 1<<16 {
		p.stems[w] = s
	}
	return s
}

// stem returns the English stem of a lower-case word (Snowball).
func stem(w string) string {
	if len(w) <= 3 || w[0] >= 0x80 {
		return w
	}
	return english.Stem(w, true)
}

// operatorNames are the commands that are a function's name; \arctan and
// \text{arctan} read the same in flat form.
var operatorNames = setOf(`sin cos tan cot sec csc arcsin arccos arctan sinh cosh tanh log ln lg exp lim max min
	gcd lcm det deg dim ker sup inf arg mod bmod pmod`)

// flat returns prose as one string without anything that only lays it out:
// white space, $, braces, sentence punctuation, ~ and &, spacing and
// wrapper commands, environment names, empty groups; case folded and
// command aliases unified. Two texts with the same flat form differ only
// in where the $ and braces sit ("$f(0)=1,$f(2)=5$" and "$f(0) = 1$, $f(2)
// = 5$").
func flat(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case (c == '^' || c == '_') && strings.HasPrefix(s[i+1:], "{}"):
			i += 3
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '$' || c == '{' || c == '}' || c == ',' ||
			c == '.' || c == ';' || c == ':' || c == '~' || c == '&' || c == '?' || c == '!':
			i++
		case c == '\\':
			j := i + 1
			for j < len(s) && isLetter(s[j]) {
				j++
			}
			if j == i+1 {
				if j < len(s) && (s[j] == '{' || s[j] == '}' || s[j] == '$' || s[j] == '%') {
					b.WriteString(s[i : j+1])
				}
				i = j + 1
				continue
			}
			name := s[i+1 : j]
			if name == "begin" || name == "end" {
				if j < len(s) && s[j] == '{' {
					j = min(matchBrace(s, j, len(s))+1, len(s))
				}
				i = j
				continue
			}
			if a, ok := aliasCommands[name]; ok {
				name = a
			}
			switch {
			case textCommands[name] || spacingCommands[name] || skipCommands[name]:
			case operatorNames[name]:
				b.WriteString(name)
			default:
				b.WriteByte('\\')
				b.WriteString(name)
				b.WriteByte(' ')
			}
			i = j
		default:
			if c >= 'A' && c <= 'Z' {
				c |= 0x20
			}
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}
