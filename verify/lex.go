package verify

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/bigmath/bigmath/verify/internal/extract"
)

// tokKind classifies a token.
type tokKind uint8

const (
	tEOF   tokKind = iota
	tNum           // a number literal; see numLit
	tIdent         // a run of ASCII letters (the parser splits it) or a Greek/unknown command name
	tCmd           // a known LaTeX command: frac, sqrt, sin, pi, ...
	tOp            // an operator or bracket
	tText          // words from \text{...}
	tUnit          // a unit, currency or percent sign (canonical name)
	tSep           // "and" / "or" joining answers
	tBase          // a numeral with a base subscript: s digits, num.intPart the base
)

// numLit is a number literal as printed.
type numLit struct {
	intPart string // digits before the point, separators removed
	frac    string // digits after the point
	rep     string // repeating digits from \overline{...}
	exp     int    // power of ten from scientific notation
	point   bool   // a decimal point was printed
	sci     bool   // scientific notation was used
}

type token struct {
	k   tokKind
	s   string
	sp  bool // whitespace before the token
	num *numLit
}

type lexer struct {
	st    *state
	s     string
	i     int
	toks  []token
	sp    bool
	depth int
	nest  int
}

// stripWrappers removes math delimiters, a \boxed{} around the whole
// answer and trailing full stops.
func stripWrappers(s string) string {
	for range 10 {
		t := strings.TrimSpace(s)
		for strings.HasSuffix(t, ".") && !strings.HasSuffix(t, "..") {
			t = strings.TrimSpace(t[:len(t)-1])
		}
		switch {
		case len(t) >= 4 && strings.HasPrefix(t, "$$") && strings.HasSuffix(t, "$$"):
			t = t[2 : len(t)-2]
		case len(t) >= 2 && t[0] == '$' && t[len(t)-1] == '$' && !strings.HasSuffix(t, `\$`):
			t = t[1 : len(t)-1]
		case strings.HasPrefix(t, `\(`) && strings.HasSuffix(t, `\)`):
			t = t[2 : len(t)-2]
		case strings.HasPrefix(t, `\[`) && strings.HasSuffix(t, `\]`):
			t = t[2 : len(t)-2]
		case strings.HasPrefix(t, `\boxed{`) || strings.HasPrefix(t, `\fbox{`):
			open := strings.IndexByte(t, '{')
			if end := matchBrace(t, open); end == len(t)-1 {
				t = t[open+1 : end]
			}
		case strings.HasPrefix(t, `\boxed `):
			t = t[len(`\boxed `):]
		}
		if t == s {
			break
		}
		s = t
	}
	return strings.TrimSpace(s)
}

// matchBrace returns the index of the brace closing the one at open, or -1.
func matchBrace(s string, open int) int {
	if i, ok := extract.MatchBrace(s, open); ok {
		return i
	}
	return -1
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func (lx *lexer) emit(t token) error {
	t.sp = lx.sp
	lx.sp = false
	lx.toks = append(lx.toks, t)
	if len(lx.toks) > lx.st.b.MaxNodes {
		return errBudget
	}
	return lx.st.tick()
}

// skipCmds are commands with no meaning for the value.
var skipCmds = map[string]bool{
	"left": true, "right": true, "big": true, "Big": true, "bigg": true, "Bigg": true,
	"bigl": true, "bigr": true, "Bigl": true, "Bigr": true, "biggl": true, "biggr": true,
	"displaystyle": true, "textstyle": true, "scriptstyle": true, "limits": true, "nolimits": true,
	"quad": true, "qquad": true, "enspace": true, "thinspace": true, "medspace": true, "thickspace": true,
	"hfill": true, "nonumber": true, "notag": true, "strut": true, "ensuremath": true, "phantom": false,
}

// transparentCmds wrap a braced argument that is read as math.
var transparentCmds = map[string]bool{
	"mathbf": true, "boldsymbol": true, "bm": true, "mathit": true, "mathsf": true, "mathtt": true,
	"mathbb": false, "mathcal": true, "mathfrak": true, "boxed": true, "fbox": true, "underline": true,
	"hat": true, "vec": true, "bar": false, "tilde": true, "widehat": true, "widetilde": true,
	"overrightarrow": true, "overleftarrow": true, "dot": true, "ddot": true, "mathscr": true,
	"pmb": true, "ensuremath": true, "color": false,
}

// textCmds carry text that may be a word, a unit or a number.
var textCmds = map[string]bool{
	"text": true, "textbf": true, "textit": true, "textrm": true, "mbox": true, "textnormal": true,
	"mathrm": true, "operatorname": true, "textsf": true, "texttt": true, "hbox": true, "textup": true,
	"emph": true,
}

// opCmds map commands to operator tokens.
var opCmds = map[string]string{
	"cdot": "*", "times": "*", "ast": "*", "div": "/", "pm": "pm", "mp": "mp",
	"le": "<=", "leq": "<=", "leqslant": "<=", "ge": ">=", "geq": ">=", "geqslant": ">=",
	"lt": "<", "gt": ">", "ne": "!=", "neq": "!=", "approx": "approx", "simeq": "approx", "approxeq": "approx",
	"in": "in", "cup": "cup", "cap": "cap", "lfloor": "lfloor", "rfloor": "rfloor",
	"lceil": "lceil", "rceil": "rceil", "langle": "(", "rangle": ")", "vert": "|", "lvert": "|",
	"rvert": "|", "mid": "|", "ldots": "...", "cdots": "...", "dots": "...", "dotsc": "...",
	"vdots": "...", "colon": ":", "Vert": "|", "lbrace": `\{`, "rbrace": `\}`, "lbrack": "[", "rbrack": "]",
	"setminus": "setminus", "backslash": "setminus", "emptyset": "emptyset", "varnothing": "emptyset",
	"to": "to", "rightarrow": "to", "Rightarrow": "to", "implies": "to", "Longrightarrow": "to",
	"longrightarrow": "to", "iff": "to", "Leftrightarrow": "to", "therefore": "to",
	"land": "sep", "lor": "sep", "wedge": "sep", "vee": "sep",
}

// knownCmds are commands the parser handles itself.
var knownCmds = map[string]bool{
	"frac": true, "dfrac": true, "tfrac": true, "cfrac": true, "sqrt": true, "binom": true,
	"dbinom": true, "tbinom": true, "choose": false, "pi": true, "infty": true, "infinity": true,
	"sin": true, "cos": true, "tan": true, "sec": true, "csc": true, "cot": true,
	"arcsin": true, "arccos": true, "arctan": true, "arcsec": true, "arccsc": true, "arccot": true,
	"sinh": true, "cosh": true, "tanh": true, "ln": true, "log": true, "lg": true, "exp": true,
	"abs": true, "min": false, "max": false, "gcd": true, "lcm": true, "circ": true, "degree": true,
	"begin": true, "end": true, "overline": true, "e": false, "imath": true, "jmath": true,
	"sum": true, "prod": true, "int": true, "lim": true,
}

// greek letters are read as variable names.
var greek = map[string]bool{
	"alpha": true, "beta": true, "gamma": true, "delta": true, "epsilon": true, "varepsilon": true,
	"zeta": true, "eta": true, "theta": true, "vartheta": true, "iota": true, "kappa": true,
	"lambda": true, "mu": true, "nu": true, "xi": true, "rho": true, "sigma": true, "tau": true,
	"upsilon": true, "phi": true, "varphi": true, "chi": true, "psi": true, "omega": true,
	"Gamma": true, "Delta": true, "Theta": true, "Lambda": true, "Xi": true, "Pi": true,
	"Sigma": true, "Upsilon": true, "Phi": true, "Psi": true, "Omega": true, "ell": true,
}

// lex tokenizes an answer.
func (st *state) lex(s string) ([]token, error) {
	lx := &lexer{st: st, s: s}
	if err := lx.run(); err != nil {
		return nil, err
	}
	return lx.toks, nil
}

func (lx *lexer) sub(s string) error {
	lx.nest++
	if lx.nest > 20 {
		return errParse
	}
	saveS, saveI := lx.s, lx.i
	lx.s, lx.i = s, 0
	err := lx.run()
	lx.s, lx.i = saveS, saveI
	lx.nest--
	return err
}

// braceArg reads a {...} group (or one token-ish char) after position i.
func (lx *lexer) braceArg() (string, bool) {
	j := lx.i
	for j < len(lx.s) && (lx.s[j] == ' ' || lx.s[j] == '\t' || lx.s[j] == '\n') {
		j++
	}
	if j >= len(lx.s) || lx.s[j] != '{' {
		return "", false
	}
	end := matchBrace(lx.s, j)
	if end < 0 {
		return "", false
	}
	lx.i = end + 1
	return lx.s[j+1 : end], true
}

func (lx *lexer) run() error {
	s := lx.s
	for lx.i < len(s) {
		c := s[lx.i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '~':
			lx.sp = true
			lx.i++
		case c == '$':
			lx.i++
			if lx.i < len(s) && (isDigit(s[lx.i]) || s[lx.i] == '.') {
				if err := lx.emit(token{k: tUnit, s: "$"}); err != nil {
					return err
				}
			} else {
				lx.sp = true
			}
		case c == '\\':
			if err := lx.command(); err != nil {
				return err
			}
		case (isDigit(c) || c >= 'A' && c <= 'Z') && lx.baseNumeral():
		case isDigit(c) || c == '.' && lx.i+1 < len(s) && isDigit(s[lx.i+1]):
			if err := lx.number(); err != nil {
				return err
			}
		case (c == 'a' || c == 'p' || c == 'A' || c == 'P') && lx.clockMark():
		case isLetter(c):
			j := lx.i
			for j < len(s) && isLetter(s[j]) {
				j++
			}
			w := s[lx.i:j]
			lx.i = j
			if err := lx.letters(w, j < len(s) && (s[j] == '^' || s[j] == '_')); err != nil {
				return err
			}
		case c >= 0x80:
			r, n := utf8.DecodeRuneInString(s[lx.i:])
			lx.i += n
			var t token
			switch r {
			case 'π':
				t = token{k: tCmd, s: "pi"}
			case '∞':
				t = token{k: tCmd, s: "infty"}
			case '°':
				t = token{k: tUnit, s: "deg"}
			case '≤':
				t = token{k: tOp, s: "<="}
			case '≥':
				t = token{k: tOp, s: ">="}
			case '≠':
				t = token{k: tOp, s: "!="}
			case '×', '·', '⋅':
				t = token{k: tOp, s: "*"}
			case '−', '–':
				t = token{k: tOp, s: "-"}
			case '±':
				t = token{k: tOp, s: "pm"}
			case '√':
				t = token{k: tCmd, s: "sqrt"}
			case '∪':
				t = token{k: tOp, s: "cup"}
			case '∈':
				t = token{k: tOp, s: "in"}
			case '≈':
				t = token{k: tOp, s: "approx"}
			case '∅':
				t = token{k: tOp, s: "emptyset"}
			case '€':
				t = token{k: tUnit, s: "euro"}
			case '£':
				t = token{k: tUnit, s: "gbp"}
			case '¥':
				t = token{k: tUnit, s: "yen"}
			case 'ℝ':
				t = token{k: tCmd, s: "reals"}
			case '²':
				if err := lx.emit(token{k: tOp, s: "^"}); err != nil {
					return err
				}
				t = token{k: tNum, num: &numLit{intPart: "2"}}
			case '³':
				if err := lx.emit(token{k: tOp, s: "^"}); err != nil {
					return err
				}
				t = token{k: tNum, num: &numLit{intPart: "3"}}
			case '\u00a0', '\u2009', '\u202f':
				lx.sp = true
				continue
			default:
				return errParse
			}
			if err := lx.emit(t); err != nil {
				return err
			}
		default:
			if err := lx.punct(); err != nil {
				return err
			}
		}
	}
	return nil
}

// letters emits a run of plain letters. As in LaTeX, a superscript or
// subscript takes one letter: after ^ only the first letter of a run is the
// exponent (x^ab is x^a·b), and before ^ or _ (scripted) only the last
// letter carries it (xy^2 is x·y², ce^{-2x} is c·e^{-2x}). Runs that are
// words (function names, pi, units) are not split.
func (lx *lexer) letters(w string, scripted bool) error {
	lw := strings.ToLower(w)
	named := funcWords[lw] || lw == "pi" || lw == "inf" || lw == "infty" || lw == "infinity"
	if n := len(lx.toks); n > 0 && len(w) > 1 && lx.toks[n-1].k == tOp && lx.toks[n-1].s == "^" && !named {
		if err := lx.emit(token{k: tIdent, s: w[:1]}); err != nil {
			return err
		}
		w = w[1:]
	}
	// runs of four or more letters stay whole: they are words, not products
	if scripted && len(w) > 1 && len(w) <= 3 && !named && !isPlainUnit(w) {
		if err := lx.emit(token{k: tIdent, s: w[:len(w)-1]}); err != nil {
			return err
		}
		w = w[len(w)-1:]
	}
	return lx.emit(token{k: tIdent, s: w})
}

// baseNumeral lexes a numeral with a base subscript: 1011_2, A5_{11},
// 0.0011_2. Letters are digits only in upper case, in a base above 10, and
// the run holds a decimal digit (x_2 and A_1 are subscripted names).
func (lx *lexer) baseNumeral() bool {
	s := lx.s
	j, point, letters, digits := lx.i, false, false, false
	for j < len(s) && (isDigit(s[j]) || s[j] >= 'A' && s[j] <= 'Z' || s[j] == '.' && !point) {
		switch {
		case s[j] == '.':
			point = true
		case isDigit(s[j]):
			digits = true
		default:
			letters = true
		}
		j++
	}
	run := s[lx.i:j]
	if !digits || j >= len(s) || s[j] != '_' || strings.HasSuffix(run, ".") || strings.HasPrefix(run, ".") {
		return false
	}
	k := j + 1
	var bs string
	if k < len(s) && s[k] == '{' {
		end := strings.IndexByte(s[k:], '}')
		if end < 0 {
			return false
		}
		bs, k = strings.TrimSpace(s[k+1:k+end]), k+end+1
	} else {
		e := k
		for e < len(s) && isDigit(s[e]) {
			e++
		}
		bs, k = s[k:e], e
	}
	if !allDigits(bs) || len(bs) > 2 {
		return false
	}
	base := 0
	for _, d := range bs {
		base = base*10 + int(d-'0')
	}
	if base < 2 || base > 36 || letters && base <= 10 {
		return false
	}
	for _, c := range run {
		d := int(c - '0')
		if c >= 'A' {
			d = int(c-'A') + 10
		}
		if c != '.' && d >= base {
			return false
		}
	}
	if len(run) > lx.st.b.MaxDigits {
		return false
	}
	lx.i = k
	_ = lx.emit(token{k: tBase, s: run, num: &numLit{intPart: bs}})
	return true
}

// clockMark lexes a.m./p.m. (am, pm, AM, PM) after a number: a time of day.
func (lx *lexer) clockMark() bool {
	n := len(lx.toks)
	if n == 0 || lx.toks[n-1].k != tNum {
		return false
	}
	s := lx.s
	j := lx.i + 1
	if j < len(s) && s[j] == '.' {
		j++
	}
	if j >= len(s) || s[j] != 'm' && s[j] != 'M' {
		return false
	}
	j++
	if j < len(s) && s[j] == '.' {
		j++
	}
	if j < len(s) && isLetter(s[j]) {
		return false
	}
	mark := "am"
	if c := s[lx.i]; c == 'p' || c == 'P' {
		mark = "pm"
	}
	lx.i = j
	_ = lx.emit(token{k: tUnit, s: mark})
	return true
}

func (lx *lexer) punct() error {
	s := lx.s
	c := s[lx.i]
	lx.i++
	two := func(next byte, op string) bool {
		if lx.i < len(s) && s[lx.i] == next {
			lx.i++
			_ = lx.emit(token{k: tOp, s: op})
			return true
		}
		return false
	}
	switch c {
	case '<':
		if two('=', "<=") {
			return lx.st.tick()
		}
	case '>':
		if two('=', ">=") {
			return lx.st.tick()
		}
	case '!':
		if two('=', "!=") {
			return lx.st.tick()
		}
	case '=':
		if two('=', "=") || two('>', "to") {
			return lx.st.tick()
		}
	case '*':
		if two('*', "^") {
			return lx.st.tick()
		}
	case '%':
		return lx.emit(token{k: tUnit, s: "%"})
	case '(', '[':
		lx.depth++
	case ')', ']':
		lx.depth--
	case '+', '-', '/', '^', '_', '{', '}', '|', ',', ';', ':', '&', '\'', '?', '"', '#', '@':
	default:
		return errParse
	}
	switch c {
	case '?', '"', '#', '@':
		return errParse
	}
	return lx.emit(token{k: tOp, s: string(c)})
}

func (lx *lexer) command() error {
	s := lx.s
	i := lx.i + 1
	if i >= len(s) {
		lx.i = i
		return nil
	}
	c := s[i]
	if c == '\\' {
		// "\\" is a row separator, unless it is a JSON-doubled backslash
		// before a command name.
		j := i + 1
		for j < len(s) && isLetter(s[j]) {
			j++
		}
		name := s[i+1 : j]
		if name != "" && (knownCmds[name] || opCmds[name] != "" || textCmds[name] || skipCmds[name] || transparentCmds[name] || greek[name]) {
			lx.i = i
			return nil
		}
		lx.i = i + 1
		return lx.emit(token{k: tOp, s: `\\`})
	}
	if !isLetter(c) {
		lx.i = i + 1
		switch c {
		case '{':
			return lx.emit(token{k: tOp, s: `\{`})
		case '}':
			return lx.emit(token{k: tOp, s: `\}`})
		case '%':
			return lx.emit(token{k: tUnit, s: "%"})
		case '$':
			return lx.emit(token{k: tUnit, s: "$"})
		case '|':
			return lx.emit(token{k: tOp, s: "|"})
		case ',', ';', ':', '!', ' ', '>', '\t', '\n':
			lx.sp = true
			return nil
		case '(', ')', '[', ']':
			// stray math delimiters inside an answer
			lx.sp = true
			return nil
		case '#', '&', '_':
			return lx.emit(token{k: tOp, s: string(c)})
		}
		return errParse
	}
	j := i
	for j < len(s) && isLetter(s[j]) {
		j++
	}
	name := s[i:j]
	if !commandKnown(name) {
		// spaces stripped by a dataset: \piG is \pi G, \pit is \pi t
		for k := len(name) - 1; k >= 2; k-- {
			if knownCmds[name[:k]] || greek[name[:k]] {
				name, j = name[:k], i+k
				break
			}
		}
	}
	lx.i = j
	if lx.i < len(s) && s[lx.i] == '*' && (name == "operatorname" || name == "text") {
		lx.i++
	}
	switch {
	case skipCmds[name]:
		lx.sp = true
		if (name == "left" || name == "right") && lx.i < len(s) && s[lx.i] == '.' {
			lx.i++
		}
		return nil
	case name == "phantom" || name == "hspace" || name == "vspace" || name == "label" || name == "tag" || name == "color" || name == "textcolor" && false:
		lx.braceArg()
		lx.sp = true
		return nil
	case name == "textcolor":
		lx.braceArg()
		return nil
	case transparentCmds[name]:
		arg, ok := lx.braceArg()
		if !ok {
			return nil
		}
		if name == "boxed" || name == "fbox" {
			return lx.sub(arg)
		}
		return lx.sub(arg)
	case textCmds[name]:
		arg, ok := lx.braceArg()
		if !ok {
			return errParse
		}
		return lx.text(arg, name)
	case name == "overline" || name == "bar":
		arg, ok := lx.braceArg()
		if !ok {
			return errParse
		}
		if n := len(lx.toks); name == "overline" && n > 0 && lx.toks[n-1].k == tNum && allDigits(arg) && !lx.sp {
			lx.toks[n-1].num.rep = arg
			lx.toks[n-1].num.point = true
			return nil
		}
		// \overline{z}, \bar{z}: the complex conjugate (of a real
		// variable, the variable itself)
		if err := lx.emit(token{k: tCmd, s: "conj"}); err != nil {
			return err
		}
		if err := lx.emit(token{k: tOp, s: "{"}); err != nil {
			return err
		}
		if err := lx.sub(arg); err != nil {
			return err
		}
		return lx.emit(token{k: tOp, s: "}"})
	case name == "mathbb":
		// \mathbb{R}: the real line
		if arg, ok := lx.braceArg(); ok {
			if strings.TrimSpace(arg) == "R" {
				return lx.emit(token{k: tCmd, s: "reals"})
			}
			return lx.sub(arg)
		}
		return nil
	case name == "circ" || name == "degree":
		return lx.emit(token{k: tUnit, s: "deg"})
	case name == "begin" || name == "end":
		arg, ok := lx.braceArg()
		if !ok {
			return errParse
		}
		arg = strings.TrimSuffix(arg, "*")
		if name == "begin" && (arg == "array" || arg == "tabular") {
			lx.braceArg()
		}
		if name == "begin" && (arg == "pmatrix" || arg == "bmatrix" || arg == "Bmatrix" || arg == "vmatrix" || arg == "matrix" || arg == "smallmatrix") {
			// an optional [r] column alignment
			if lx.i < len(s) && s[lx.i] == '[' {
				if k := strings.IndexByte(s[lx.i:], ']'); k > 0 && k < 6 {
					lx.i += k + 1
				}
			}
		}
		return lx.emit(token{k: tOp, s: name + ":" + arg})
	case opCmds[name] != "":
		op := opCmds[name]
		if op == "sep" {
			return lx.emit(token{k: tSep, s: "and"})
		}
		return lx.emit(token{k: tOp, s: op})
	case knownCmds[name]:
		switch name {
		case "dfrac", "tfrac", "cfrac":
			name = "frac"
		case "dbinom", "tbinom":
			name = "binom"
		case "infinity":
			name = "infty"
		case "imath", "jmath":
			return lx.emit(token{k: tIdent, s: "i"})
		case "lg":
			name = "log"
		}
		return lx.emit(token{k: tCmd, s: name})
	case greek[name]:
		return lx.emit(token{k: tIdent, s: `\` + name})
	case name == "not":
		// \not= and friends
		if lx.i < len(s) && s[lx.i] == '=' {
			lx.i++
			return lx.emit(token{k: tOp, s: "!="})
		}
		return errParse
	case name == "prime":
		return lx.emit(token{k: tOp, s: "'"})
	case name == "and":
		return lx.emit(token{k: tSep, s: "and"})
	case name == "dollar" || name == "textdollar":
		return lx.emit(token{k: tUnit, s: "$"})
	case name == "euro":
		return lx.emit(token{k: tUnit, s: "euro"})
	case name == "pounds" || name == "textsterling":
		return lx.emit(token{k: tUnit, s: "gbp"})
	case name == "yen" || name == "textyen":
		return lx.emit(token{k: tUnit, s: "yen"})
	case name == "overset" || name == "underset" || name == "stackrel":
		lx.braceArg()
		return nil
	case name == "pmod" || name == "bmod" || name == "mod":
		return errParse
	}
	// An unknown command is read as a symbol name.
	return lx.emit(token{k: tIdent, s: `\` + name})
}

// specialCmds are the commands command handles by name.
var specialCmds = map[string]bool{
	"phantom": true, "hspace": true, "vspace": true, "label": true, "tag": true, "color": true,
	"textcolor": true, "overline": true, "bar": true, "mathbb": true, "textsterling": true, "yen": true, "textyen": true, "circ": true, "degree": true, "begin": true, "end": true,
	"not": true, "prime": true, "and": true, "dollar": true, "textdollar": true, "euro": true,
	"pounds": true, "overset": true, "underset": true, "stackrel": true, "pmod": true, "bmod": true, "mod": true,
}

// commandKnown reports a command name the lexer reads (rather than one it
// takes for a symbol).
func commandKnown(name string) bool {
	_, known := knownCmds[name]
	_, skip := skipCmds[name]
	_, tr := transparentCmds[name]
	return known || skip || tr || textCmds[name] || opCmds[name] != "" || greek[name] || specialCmds[name]
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// text handles the argument of \text-like commands.
func (lx *lexer) text(arg, cmd string) error {
	t := strings.TrimSpace(arg)
	if t == "" {
		lx.sp = true
		return nil
	}
	lt := strings.ToLower(t)
	switch lt {
	case "and", "or", ",", "und", "and/or", ";":
		return lx.emit(token{k: tSep, s: "and"})
	}
	if u, ok := unitAlias(t); ok {
		return lx.emit(token{k: tUnit, s: u})
	}
	// A unit word followed by more math (\text{ cm}^2 is handled by the
	// parser; "cm/s" here).
	if cmd == "mathrm" || cmd == "operatorname" || cmd == "mathit" {
		return lx.sub(arg)
	}
	c := t[0]
	if isDigit(c) || c == '-' || c == '(' || c == '[' || c == '.' || c == '\\' || c == '+' || c == '$' {
		return lx.sub(arg)
	}
	// words, possibly several: "and" between them separates answers
	if strings.Contains(" "+lt+" ", " and ") || strings.Contains(" "+lt+" ", " or ") {
		return lx.sub(arg)
	}
	if len(t) <= 2 && isLetter(t[0]) && (len(t) == 1 || isLetter(t[1])) {
		// \text{E}, \text{C}: a one-letter answer
		return lx.emit(token{k: tText, s: t})
	}
	if strings.HasPrefix(lt, "(") || strings.HasSuffix(lt, ")") {
		return lx.sub(arg)
	}
	return lx.emit(token{k: tText, s: t})
}

// number lexes a number literal with thousands separators, a decimal part,
// a repeating part and scientific notation.
func (lx *lexer) number() error {
	s := lx.s
	i := lx.i
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	intPart := s[start:i]
	var b strings.Builder
	grouped := false
	if len(intPart) >= 1 && len(intPart) <= 3 && intPart[0] != '0' {
		b.WriteString(intPart)
		for {
			j := sepEnd(s, i, lx.depth == 0)
			if j < 0 {
				break
			}
			b.WriteString(s[j : j+3])
			i = j + 3
			grouped = true
		}
		if grouped {
			intPart = b.String()
		}
	}
	nl := &numLit{intPart: intPart}
	if j := lx.decimalComma(i, grouped); j > 0 {
		nl.point, nl.frac = true, s[i+1:j]
		i = j
	} else if i < len(s) && s[i] == '.' && !(i+1 < len(s) && s[i+1] == '.') {
		j := i + 1
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		nl.point = true
		nl.frac = s[i+1 : j]
		i = j
	}
	if i+1 < len(s) && (s[i] == 'e' || s[i] == 'E') && !grouped {
		j := i + 1
		neg := false
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			neg = s[j] == '-'
			j++
		}
		k := j
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		if k > j && (k-j > 6 || k < len(s) && isLetter(s[k])) {
			// 1e999999999 or 2e3x: scientific notation we do not read; the
			// e is never taken for the constant (1e999999999 is not
			// 999999999e)
			if k-j > 6 {
				return fmt.Errorf("exponent of %d digits: %w", k-j, errBudget)
			}
			return fmt.Errorf("scientific notation before a letter: %w", errParse)
		}
		if k > j {
			e := 0
			for _, d := range s[j:k] {
				e = e*10 + int(d-'0')
			}
			if neg {
				e = -e
			}
			nl.exp, nl.sci = e, true
			i = k
		}
	}
	if len(nl.intPart)+len(nl.frac) > lx.st.b.MaxDigits {
		return errBudget
	}
	lx.i = i
	return lx.emit(token{k: tNum, num: nl})
}

// decimalComma reports where the digits after a decimal comma at i end, or
// 0. A comma is a decimal comma only where it cannot be a list separator
// or a thousands separator: no space around it, not exactly three digits
// after it, no further comma in the number, and a unit or currency bound
// to the number (3,5 cm; €2,50; 12,5 %; 2,5\text{ kg}).
func (lx *lexer) decimalComma(i int, grouped bool) int {
	s := lx.s
	if grouped || i+1 >= len(s) || s[i] != ',' || !isDigit(s[i+1]) {
		return 0
	}
	j := i + 1
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	if j-i-1 == 3 || j < len(s) && (s[j] == ',' || s[j] == '.') {
		return 0
	}
	if n := len(lx.toks); n > 0 && lx.toks[n-1].k == tUnit && currencySigns[lx.toks[n-1].s] {
		return j
	}
	rest := strings.TrimLeft(s[j:], " ~")
	rest = strings.TrimPrefix(rest, `\,`)
	rest = strings.TrimLeft(rest, " ")
	for _, pre := range []string{`\%`, "%", "€", `\euro`, `\text{`, `\mathrm{`, `\textnormal{`, `\mbox{`} {
		if strings.HasPrefix(rest, pre) {
			return j
		}
	}
	k := 0
	for k < len(rest) && isLetter(rest[k]) {
		k++
	}
	if k > 0 && (k == len(rest) || !isLetter(rest[k])) && isPlainUnit(rest[:k]) && strings.TrimSpace(rest[k:]) == "" {
		return j
	}
	return 0
}

// sepEnd reports where the next three-digit group starts after a thousands
// separator at i, or -1. Plain commas and spaces count only outside
// brackets (plain=true), where they cannot separate tuple entries.
func sepEnd(s string, i int, plain bool) int {
	three := func(j int) int {
		if j+3 <= len(s) && isDigit(s[j]) && isDigit(s[j+1]) && isDigit(s[j+2]) && (j+3 == len(s) || !isDigit(s[j+3])) {
			return j
		}
		return -1
	}
	skipSp := func(j int) int {
		for j < len(s) && s[j] == ' ' {
			j++
		}
		return j
	}
	switch {
	case strings.HasPrefix(s[i:], "{,}"):
		return three(skipSp(i + 3))
	case strings.HasPrefix(s[i:], `,\!`):
		return three(skipSp(i + 3))
	case strings.HasPrefix(s[i:], `\,`), strings.HasPrefix(s[i:], `\!`), strings.HasPrefix(s[i:], `\ `):
		return three(i + 2)
	case strings.HasPrefix(s[i:], "{,}\\!"):
		return three(i + 5)
	case plain && strings.HasPrefix(s[i:], ","):
		j := three(i + 1)
		if j < 0 {
			return -1
		}
		// "1,234.5" or "1,234" followed by a non-separator
		return j
	case plain && strings.HasPrefix(s[i:], " "):
		j := three(i + 1)
		if j < 0 || j+3 < len(s) && (s[j+3] == '/' || s[j+3] == '.' && false) {
			return -1
		}
		return j
	}
	return -1
}
