package normalize

import (
	"html"
	"strings"
)

// maxPasses bounds the fixed-point iteration in Text. Every rule shrinks the
// text or leaves it alone, so two passes settle all inputs seen so far; the
// bound only guards against a rule interaction nobody has found yet.
const maxPasses = 6

// Text returns the canonical form of a problem statement: one line of text
// with canonical Unicode, white space, math delimiters, LaTeX commands and
// no HTML markup or calculator notes. The rules are listed in the package
// documentation. Text is idempotent: Text(Text(s)) == Text(s).
func Text(s string) string { return fixedPoint(s, false) }

// Display returns the problem statement for showing to people and models: the
// rules of Text, except that line breaks survive (a run of white space that
// holds a line break becomes one "\n"), so that lists, options and [asy]
// code (whose // comments end at the line break) keep their meaning. Use
// Text for keys and comparison, Display for text that is served. Display is
// idempotent, and Text(Display(s)) == Text(s).
func Display(s string) string { return fixedPoint(s, true) }

func fixedPoint(s string, lines bool) string {
	t := passAt(s, 0, lines)
	for range maxPasses {
		u := passAt(t, 0, lines)
		if u == t {
			return t
		}
		t = u
	}
	return t
}

// StripCalculatorNotes removes GSM8K calculator annotations such as
// <<48+24=72>> from s and leaves everything else untouched. A "<<" without a
// matching ">>" on the same line, or whose content has no "=", is kept.
func StripCalculatorNotes(s string) string {
	if !strings.Contains(s, "<<") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if n := calcNoteLen(s, i); n > 0 {
			i += n
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// calcNoteLen returns the length of the calculator note starting at s[i], or
// 0 if none starts there. A note is "<<" expr "=" result ">>" with no angle
// brackets or line breaks inside, at most 256 bytes long.
func calcNoteLen(s string, i int) int {
	if !strings.HasPrefix(s[i:], "<<") {
		return 0
	}
	hasEq := false
	for j := i + 2; j < len(s) && j < i+256; j++ {
		switch s[j] {
		case '=':
			hasEq = true
		case '<', '\n', '\r':
			return 0
		case '>':
			if hasEq && j+1 < len(s) && s[j+1] == '>' {
				return j + 2 - i
			}
			return 0
		}
	}
	return 0
}

// writer accumulates the output of one pass with the few bits of state the
// rules need: a pending space, whether the last byte written is a math
// delimiter, and whether we are inside math.
type writer struct {
	out       []byte
	space     bool // a space is pending before the next visible byte
	newline   bool // the pending space holds a line break (Display only)
	lines     bool // keep line breaks (Display)
	lastDelim bool // the last byte written is a $ delimiter
	inMath    bool
	depth     int // nesting of \frac arguments being rewritten
}

func (w *writer) flushSpace() {
	if w.space && len(w.out) > 0 {
		if w.newline {
			w.out = append(w.out, '\n')
		} else {
			w.out = append(w.out, ' ')
		}
	}
	w.space, w.newline = false, false
}

func (w *writer) byte(c byte) {
	w.flushSpace()
	w.out = append(w.out, c)
	w.lastDelim = false
}

func (w *writer) str(s string) {
	if s == "" {
		return
	}
	w.flushSpace()
	w.out = append(w.out, s...)
	w.lastDelim = false
}

// delim writes a math delimiter: delimiters that touch merge into one, and
// space just inside math is dropped.
func (w *writer) delim() {
	if w.lastDelim {
		w.space, w.newline = false, false
		return
	}
	if w.inMath {
		w.space, w.newline = false, false // "$ x $" closes as "$x$"
	} else {
		w.flushSpace()
	}
	w.out = append(w.out, '$')
	w.lastDelim = true
	w.inMath = !w.inMath
}

// spaceOut records white space; right after an opening delimiter it is
// dropped.
func (w *writer) spaceOut() {
	if w.lastDelim && w.inMath {
		return
	}
	w.space = true
}

// maxDepth bounds the nesting of \frac arguments that are rewritten; deeper
// groups are copied as they are, so that pathological input stays linear.
const maxDepth = 16

// passAt applies every rule once; depth is the \frac nesting, lines keeps
// line breaks (Display).
func passAt(s string, depth int, lines bool) string {
	if hasControls(s) {
		s = repairControls(s)
	}
	if !isASCII(s) {
		s = foldUnicode(s)
	}
	w := writer{out: make([]byte, 0, len(s)), depth: depth, lines: lines}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			w.spaceOut()
			if c == '\n' && w.lines && w.space {
				w.newline = true
			}
			i++
		case c == '$':
			for i < len(s) && s[i] == '$' {
				i++
			}
			w.delim()
		case c == '\\':
			i = command(&w, s, i)
		case c == '<' || c == '&':
			if n := w.markup(s, i); n > 0 {
				i += n
				continue
			}
			w.byte(c)
			i++
		case c == '{' && strings.HasPrefix(s[i:], "{,}"):
			w.byte(',') // 10{,}000: a comma that TeX should not space
			i += 3
		case (c == '^' || c == '_') && i+3 < len(s) && s[i+1] == '{' && isAlnum(s[i+2]) && s[i+3] == '}':
			w.byte(c)
			w.byte(s[i+2])
			i += 4
		default:
			w.byte(c)
			i++
		}
	}
	return string(w.out)
}

// command handles a backslash at s[i] and returns the index after what it
// consumed.
func command(w *writer, s string, i int) int {
	if i+1 >= len(s) {
		w.byte('\\')
		return i + 1
	}
	c := s[i+1]
	if !isLetter(c) {
		switch c {
		case '(', ')', '[', ']':
			w.delim()
		case ',':
			// a thin space between digits is a thousands separator: 10\,000
			if len(w.out) > 0 && isDigit(w.out[len(w.out)-1]) && !w.space && i+2 < len(s) && isDigit(s[i+2]) {
				return i + 2
			}
			w.spaceOut()
		case ';', ':', '>', ' ', '\t', '\n', '\r':
			w.spaceOut()
		case '!':
			// negative thin space: nothing
		default:
			w.byte('\\')
			w.byte(c)
		}
		return i + 2
	}
	j := i + 1
	for j < len(s) && isLetter(s[j]) {
		j++
	}
	name := s[i+1 : j]
	switch name {
	case "dfrac", "tfrac", "frac":
		w.str(`\frac`)
		return args(w, s, j, 2)
	case "dbinom", "tbinom", "binom":
		w.str(`\binom`)
		return args(w, s, j, 2)
	case "sqrt":
		w.str(`\sqrt`)
		k := skipSpace(s, j)
		if k < len(s) && s[k] == '[' {
			return j // optional index: leave as written
		}
		return args(w, s, j, 1)
	case "left", "right", "middle", "big", "Big", "bigg", "Bigg",
		"bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "Biggl", "Biggr",
		"bigm", "Bigm", "biggm", "Biggm":
		k := skipSpace(s, j)
		if k < len(s) && s[k] == '.' && name != "middle" {
			return k + 1
		}
		return k
	case "displaystyle", "textstyle", "scriptstyle":
		return skipSpace(s, j)
	case "quad", "qquad", "enspace", "enskip", "thinspace", "medspace",
		"thickspace", "negthinspace", "space", "nobreakspace":
		w.spaceOut()
		return j
	case "hspace", "hskip", "vspace":
		w.spaceOut()
		k := skipSpace(s, j)
		if k < len(s) && s[k] == '*' {
			k++
		}
		if end, ok := groupWithin(s, k, maxArg); ok {
			return end
		}
		return j
	case "begin", "end":
		if end, ok := groupWithin(s, j, 64); ok {
			switch s[j+1 : end-1] {
			case "equation", "equation*", "displaymath", "math":
				w.delim()
				return end
			}
		}
	}
	w.str(s[i:j])
	// A command name ends at the first non-letter; a space after it is only a
	// separator and is kept as one pending space by the main loop.
	return j
}

// args writes n arguments of a command in braced form and returns the index
// after them. An unbraced argument is one character or one command. If an
// argument is missing, the text is left as it is.
func args(w *writer, s string, i, n int) int {
	for range n {
		k := skipSpace(s, i)
		if k >= len(s) {
			return i
		}
		switch c := s[k]; {
		case c == '{':
			end, ok := groupWithin(s, k, maxArg)
			if !ok {
				return i
			}
			w.byte('{')
			if w.depth < maxDepth {
				w.str(passAt(s[k+1:end-1], w.depth+1, w.lines))
			} else {
				w.str(s[k+1 : end-1])
			}
			w.byte('}')
			i = end
		case c == '\\' && k+1 < len(s) && isLetter(s[k+1]):
			e := k + 1
			for e < len(s) && isLetter(s[e]) {
				e++
			}
			w.byte('{')
			w.str(s[k:e])
			w.byte('}')
			i = e
		case isAlnum(c):
			w.byte('{')
			w.byte(c)
			w.byte('}')
			i = k + 1
		default:
			return i
		}
	}
	return i
}

// group returns the index after the balanced {...} group starting at s[i].
// Escaped braces (\{ \}) do not count. ok is false when s[i] is not "{" or
// the group is not closed.
func group(s string, i int) (end int, ok bool) { return groupWithin(s, i, len(s)) }

// maxArg bounds how far Text looks for the end of a command argument: a
// longer argument is left as written, which keeps unclosed input linear.
const maxArg = 2048

// groupWithin is group, looking at most limit bytes ahead.
func groupWithin(s string, i, limit int) (end int, ok bool) {
	if i >= len(s) || s[i] != '{' {
		return 0, false
	}
	depth := 0
	for j := i; j < len(s) && j-i < limit; j++ {
		switch s[j] {
		case '\\':
			j++ // skip the escaped byte
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return j + 1, true
			}
		}
	}
	return 0, false
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	return i
}

// htmlTags lists the tags that are removed (replaced by "" or a space) or
// rewritten. Anything else that starts with "<" is kept: in math text it is
// usually a comparison.
var htmlTags = map[string]string{
	"br": " ", "p": " ", "div": " ", "li": " ", "ul": " ", "ol": " ", "tr": " ", "td": " ", "th": " ",
	"table": " ", "tbody": " ", "thead": " ", "hr": " ",
	"span": "", "b": "", "i": "", "u": "", "em": "", "strong": "", "font": "", "small": "", "code": "",
	"sup": "^{", "/sup": "}", "sub": "_{", "/sub": "}",
}

// markup writes what the calculator note, HTML tag or HTML entity at s[i]
// stands for and returns its length; it returns 0 when none is there.
func (w *writer) markup(s string, i int) int {
	var (
		n         int
		repl      string
		ok, space bool
	)
	if s[i] == '<' {
		if n := calcNoteLen(s, i); n > 0 {
			return n
		}
		n, repl, ok = htmlTag(s, i)
		space = repl == " "
	} else {
		n, repl, ok = entity(s, i)
		space = strings.TrimSpace(repl) == ""
	}
	switch {
	case !ok:
		return 0
	case space:
		w.spaceOut()
	default:
		w.str(repl)
	}
	return n
}

// htmlTag recognises a known HTML tag at s[i] and returns its length and
// replacement.
func htmlTag(s string, i int) (n int, repl string, ok bool) {
	j := i + 1
	closing := j < len(s) && s[j] == '/'
	if closing {
		j++
	}
	k := j
	for k < len(s) && k-j < 8 && isLetter(s[k]) {
		k++
	}
	if k == j {
		return 0, "", false
	}
	name := strings.ToLower(s[j:k])
	if closing {
		name = "/" + name
	}
	repl, known := htmlTags[name]
	if !known && closing {
		repl, known = htmlTags[name[1:]]
	}
	if !known {
		return 0, "", false
	}
	// attributes: up to ">" within 200 bytes, no "<" inside
	for e := k; e < len(s) && e < k+200; e++ {
		switch s[e] {
		case '>':
			attrs := strings.TrimSpace(s[k:e])
			// "<b and c>" is a comparison, not a bold tag: attributes need "=".
			if e == k || (s[k] == ' ' || s[k] == '/' || s[k] == '\t' || s[k] == '\n') &&
				(attrs == "" || attrs == "/" || strings.Contains(attrs, "=")) {
				return e + 1 - i, repl, true
			}
			return 0, "", false
		case '<':
			return 0, "", false
		}
	}
	return 0, "", false
}

// entity decodes an HTML character reference at s[i] ("&amp;", "&#39;",
// "&#x2F;"); the terminating ";" is required.
func entity(s string, i int) (n int, repl string, ok bool) {
	j := i + 1
	if j < len(s) && s[j] == '#' {
		j++
		if j < len(s) && (s[j] == 'x' || s[j] == 'X') {
			j++
		}
	}
	k := j
	for k < len(s) && k-j < 10 && isAlnum(s[k]) {
		k++
	}
	if k == j || k >= len(s) || s[k] != ';' {
		return 0, "", false
	}
	ref := s[i : k+1]
	dec := html.UnescapeString(ref)
	if dec == ref {
		return 0, "", false
	}
	if !isASCII(dec) {
		dec = foldUnicode(dec)
	}
	return k + 1 - i, dec, true
}

// indexWhere returns the index of the first occurrence of sub in s at or
// after from at which ok holds, or -1 when there is none.
func indexWhere(s, sub string, from int, ok func(j int) bool) int {
	for from < len(s) {
		j := strings.Index(s[from:], sub)
		if j < 0 {
			return -1
		}
		j += from
		if ok(j) {
			return j
		}
		from = j + 1
	}
	return -1
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isAlnum(c byte) bool  { return isLetter(c) || isDigit(c) }

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
