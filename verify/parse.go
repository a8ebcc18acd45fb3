package verify

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
)

type parser struct {
	st      *state
	toks    []token
	pos     int
	depth   int
	absOpen int
}

func (p *parser) peek() token {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return token{k: tEOF}
}

func (p *parser) peekAt(k int) token {
	if p.pos+k < len(p.toks) {
		return p.toks[p.pos+k]
	}
	return token{k: tEOF}
}

func (p *parser) next() token {
	t := p.peek()
	if p.pos < len(p.toks) {
		p.pos++
	}
	return t
}

func (p *parser) isOp(s string) bool {
	t := p.peek()
	return t.k == tOp && t.s == s
}

// takeOp consumes the next token when it is one of the operators ops and
// returns it, else it returns "".
func (p *parser) takeOp(ops ...string) string {
	t := p.peek()
	if t.k == tOp && slices.Contains(ops, t.s) {
		p.pos++
		return t.s
	}
	return ""
}

func (p *parser) expect(s string) error {
	if !p.isOp(s) {
		return fmt.Errorf("expected %q at token %d: %w", s, p.pos, errParse)
	}
	p.pos++
	return nil
}

// mkAfter parses the right operand with parse and makes k(left, right).
func (p *parser) mkAfter(k nkind, left *node, parse func() (*node, error)) (*node, error) {
	right, err := parse()
	if err != nil {
		return nil, err
	}
	return p.mk(k, "", left, right)
}

// flatten appends right to left when left is a k node already, else makes
// k(left, right): sums and products stay flat.
func (p *parser) flatten(k nkind, left, right *node) (*node, error) {
	if left.k == k {
		left.args = append(left.args, right)
		return left, nil
	}
	return p.mk(k, "", left, right)
}

func (p *parser) mk(k nkind, s string, args ...*node) (*node, error) {
	p.st.nodes++
	if p.st.nodes > p.st.b.MaxNodes {
		return nil, errBudget
	}
	return &node{k: k, s: s, args: args, dec: -1}, nil
}

// mkConst makes a constant node.
func (p *parser) mkConst(c constID) (*node, error) {
	n, err := p.mk(nConst, c.String())
	if err == nil {
		n.cst = c
	}
	return n, err
}

// mkFunc makes a function application.
func (p *parser) mkFunc(f funcID, args ...*node) (*node, error) {
	n, err := p.mk(nFunc, f.String(), args...)
	if err == nil {
		n.fn = f
	}
	return n, err
}

// mkPM makes a ± (op "pm") or ∓ (op "mp") node.
func (p *parser) mkPM(op string, l, r *node) (*node, error) {
	f := nflag(0)
	if op == "mp" {
		f = flagMinusPlus
	}
	return p.mkFlag(nPM, f, l, r)
}

// mkFlag makes a node of kind k carrying the flag f.
func (p *parser) mkFlag(k nkind, f nflag, args ...*node) (*node, error) {
	n, err := p.mk(k, "", args...)
	if err == nil {
		n.flags = f
	}
	return n, err
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > p.st.b.MaxDepth {
		return errBudget
	}
	return p.st.tick()
}

func (p *parser) leave() { p.depth-- }

// parseAnswer parses one answer (gold or prediction) into an AST.
func (st *state) parseAnswer(s string) (*node, error) {
	if len(s) > st.b.MaxInputLen {
		return nil, fmt.Errorf("input of %d bytes: %w", len(s), errBudget)
	}
	s = stripWrappers(s)
	if s == "" {
		return nil, fmt.Errorf("empty answer: %w", errParse)
	}
	toks, err := st.lex(s)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, fmt.Errorf("empty answer: %w", errParse)
	}
	if toks[0].k == tOp && toks[0].s == "approx" {
		// "\approx 8.24": the value itself
		toks = toks[1:]
		if len(toks) == 0 {
			return nil, fmt.Errorf("empty answer: %w", errParse)
		}
	}
	p := &parser{st: st, toks: toks}
	if v, ok := wordsNumber(toks); ok {
		n := &node{k: nNum, val: new(big.Rat).SetInt(v), s: v.String(), dec: -1, raw: rawKey(s)}
		return n, nil
	}
	if n := p.wordAnswer(); n != nil {
		n.raw = rawKey(s)
		return n, nil
	}
	n, err := p.parseTop()
	if err != nil {
		return nil, err
	}
	if p.pos != len(p.toks) {
		return nil, fmt.Errorf("unexpected token %d %q: %w", p.pos, p.peek().s, errParse)
	}
	n.raw = rawKey(s)
	return n, nil
}

// rawKey is the answer text with spacing and formatting commands removed;
// two answers with the same key are the same answer.
func rawKey(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '$' {
			// "7 3/4" is not "73/4"
			if j := i + 1; b.Len() > 0 && isDigit(b.String()[b.Len()-1]) {
				for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r') {
					j++
				}
				if j < len(s) && isDigit(s[j]) {
					b.WriteByte(' ')
				}
				i = j - 1
			}
			continue
		}
		if c == '\\' && i+1 < len(s) {
			j := i + 1
			for j < len(s) && isLetter(s[j]) {
				j++
			}
			name := s[i+1 : j]
			if skipCmds[name] || textCmds[name] || name == "mathbf" || name == "boxed" {
				i = j - 1
				continue
			}
			if name == "dfrac" || name == "tfrac" {
				b.WriteString(`\frac`)
				i = j - 1
				continue
			}
			if j == i+1 && (s[j] == ',' || s[j] == '!' || s[j] == ';' || s[j] == ' ' || s[j] == ':') {
				i = j
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

var funcWords = map[string]bool{
	"sin": true, "cos": true, "tan": true, "sec": true, "csc": true, "cot": true,
	"arcsin": true, "arccos": true, "arctan": true, "arcsec": true, "arccsc": true, "arccot": true,
	"asin": true, "acos": true, "atan": true, "sinh": true, "cosh": true, "tanh": true,
	"ln": true, "log": true, "exp": true, "sqrt": true, "abs": true, "floor": true, "ceil": true,
	"gcd": true, "lcm": true,
}

// wordAnswer recognizes an answer made only of words ("odd", "Monday",
// "no solution"): returned as text.
func (p *parser) wordAnswer() *node {
	var words []string
	long := false
	for _, t := range p.toks {
		switch t.k {
		case tIdent:
			if strings.HasPrefix(t.s, `\`) {
				return nil
			}
			lw := strings.ToLower(t.s)
			if len(t.s) >= 3 && !funcWords[lw] && lw != "pi" && lw != "inf" && lw != "infty" && !isPlainUnit(t.s) {
				long = true
			}
			words = append(words, t.s)
		case tText:
			long = true
			words = append(words, t.s)
		default:
			return nil
		}
	}
	if !long || len(words) > 40 {
		return nil
	}
	return &node{k: nText, s: strings.Join(words, " "), dec: -1}
}

func (p *parser) atItemEnd() bool {
	t := p.peek()
	switch t.k {
	case tEOF, tSep:
		return true
	case tOp:
		switch t.s {
		case ",", ";", ")", "]", `\}`, "}", "&", `\\`, "=", "<", ">", "<=", ">=", "!=", "in", ":", "cup", "approx":
			return true
		}
		if strings.HasPrefix(t.s, "end:") {
			return true
		}
	case tIdent:
		return t.s == "and" || t.s == "or"
	}
	return false
}

// isListSep reports whether t separates the answers of a list.
func (t token) isListSep() bool {
	switch t.k {
	case tSep:
		return true
	case tOp:
		return t.s == "," || t.s == ";"
	case tIdent:
		return t.s == "and" || t.s == "or"
	}
	return false
}

// parseTop parses a comma/and separated list of answers.
func (p *parser) parseTop() (*node, error) {
	var items []*node
	var groups [][]*node
	semi := false
	for {
		for p.peek().isListSep() {
			if p.isOp(";") {
				semi = true
				groups = append(groups, items)
				items = nil
			}
			p.pos++
		}
		if p.peek().k == tEOF {
			break
		}
		it, err := p.parseItem()
		if err != nil {
			return nil, err
		}
		items = append(items, it)
		if !p.peek().isListSep() {
			break
		}
	}
	if semi {
		// "p=5, q=2; p=7, q=2": each ;-group of assignments is one solution
		groups = append(groups, items)
		items = nil
		for _, g := range groups {
			if len(g) == 0 {
				continue
			}
			if len(g) > 1 && allAssignments(g) {
				t, err := p.mk(nTuple, "")
				if err != nil {
					return nil, err
				}
				for _, a := range g {
					t.args = append(t.args, a.args[1])
				}
				items = append(items, t)
				continue
			}
			items = append(items, g...)
		}
	}
	switch len(items) {
	case 0:
		return nil, errParse
	case 1:
		return items[0], nil
	}
	n, err := p.mk(nList, "")
	if err != nil {
		return nil, err
	}
	n.args = items
	return n, nil
}

// allAssignments reports whether every item is "name = value" with
// distinct names.
func allAssignments(items []*node) bool {
	seen := map[string]bool{}
	for _, a := range items {
		if a.k != nRel || len(a.rels) != 1 || a.rels[0] != relEq || a.args[0].k != nVar || seen[a.args[0].s] {
			return false
		}
		seen[a.args[0].s] = true
	}
	return true
}

// level is one binary level of the precedence climb above sums: the
// operator tokens it joins and the node kind it builds. Levels bind more
// tightly from first to last; sums and products below them have their own
// rules (signs, implicit multiplication, units).
type level struct {
	kind nkind
	op   func(string) bool
}

var levels = [...]level{
	{nRel, func(s string) bool { _, ok := relByToken[s]; return ok }}, // a = b < c
	{nRatio, func(s string) bool { return s == ":" }},                 // a:b:c
	{nUnion, func(s string) bool { return s == "cup" }},               // A ∪ B
}

// parseItem parses a relation chain, a ratio, a union or an expression.
func (p *parser) parseItem() (*node, error) { return p.climb(0) }

// climb parses the operands of levels[i] joined by its operators.
func (p *parser) climb(i int) (*node, error) {
	if i == len(levels) {
		return p.parseSum()
	}
	lv := levels[i]
	at := func() bool { t := p.peek(); return t.k == tOp && lv.op(t.s) }
	first, err := p.climb(i + 1)
	if err != nil || !at() {
		return first, err
	}
	n, err := p.mk(lv.kind, "", first)
	if err != nil {
		return nil, err
	}
	for at() {
		t := p.next()
		if lv.kind == nRatio && p.isOp("...") {
			// 1:2:3:\ldots
			p.pos++
			s, err := p.mk(nSeq, "")
			if err != nil {
				return nil, err
			}
			n.args = append(n.args, s)
			continue
		}
		x, err := p.climb(i + 1)
		if err != nil {
			return nil, err
		}
		n.args = append(n.args, x)
		if lv.kind == nRel {
			n.rels = append(n.rels, relByToken[t.s])
		}
	}
	if lv.kind == nRel {
		dropApprox(n)
	}
	return n, nil
}

// dropApprox rewrites \approx in a relation chain: "x = 1/3 \approx 0.33"
// is x = 1/3 (an approximation after an exact value is commentary); a
// leading \approx is read as =.
func dropApprox(rel *node) {
	for i, op := range rel.rels {
		if op == relApprox {
			if i > 0 && allRels(rel.rels[:i], relEq) {
				rel.rels, rel.args = rel.rels[:i], rel.args[:i+1]
				return
			}
			rel.rels[i] = relEq
		}
	}
}

// labelUnit names a trailing text label: a known unit when the words name
// one ("square inches" is in2), else "label:<words>".
func labelUnit(words string) string {
	w := strings.ToLower(strings.Join(strings.Fields(strings.Trim(words, " .")), " "))
	if u, ok := unitAlias(w); ok {
		return u
	}
	for _, pre := range []string{"square ", "sq ", "sq. "} {
		if rest, ok := strings.CutPrefix(w, pre); ok {
			if u, ok := unitAlias(rest); ok {
				if _, known := units[u+"2"]; known {
					return u + "2"
				}
				return u + "^2"
			}
		}
	}
	for _, pre := range []string{"cubic "} {
		if rest, ok := strings.CutPrefix(w, pre); ok {
			if u, ok := unitAlias(rest); ok {
				return u + "3"
			}
		}
	}
	return "label:" + w
}

// unitAhead reports a unit at the current position that ends the item,
// returning its canonical name and the number of tokens it spans.
func (p *parser) unitAhead() (string, int) {
	t := p.peek()
	name := ""
	switch t.k {
	case tText:
		// a trailing label such as \text{ students}: a unit of its own kind
		if p.pos > 0 && p.peekAt(1).k == tEOF || p.peekAt(1).k == tSep || p.peekAt(1).k == tOp && (p.peekAt(1).s == "," || p.peekAt(1).s == ";") {
			return labelUnit(t.s), 1
		}
		return "", 0
	case tUnit:
		name = t.s
	case tIdent:
		name, _ = plainUnit(t.s)
	}
	if name == "" {
		return "", 0
	}
	n := 1
	// cm^2, m^{3}
	if p.peekAt(1).k == tOp && p.peekAt(1).s == "^" {
		e := p.peekAt(2)
		if e.k == tNum && (e.num.intPart == "2" || e.num.intPart == "3") {
			name += e.num.intPart
			n = 3
		} else if e.k == tOp && e.s == "{" && p.peekAt(3).k == tNum && p.peekAt(4).k == tOp && p.peekAt(4).s == "}" {
			name += p.peekAt(3).num.intPart
			n = 5
		}
	}
	// "square units", "per hour" and other trailing words are part of the unit text
	save := p.pos
	p.pos += n
	for p.peek().k == tUnit || p.peek().k == tText {
		if p.peek().k == tText {
			name += " " + strings.ToLower(p.peek().s)
		}
		p.pos++
		n++
	}
	end := p.atItemEnd()
	p.pos = save
	if !end {
		return "", 0
	}
	return name, n
}

func (p *parser) parseSum() (*node, error) {
	left, err := p.parseTerm()
	if err != nil {
		return nil, err
	}
	for {
		op := p.takeOp("+", "-", "pm", "mp")
		if op == "" {
			break
		}
		right, err := p.parseTerm()
		if err != nil {
			return nil, err
		}
		if left, err = p.addTerm(op, left, right); err != nil {
			return nil, err
		}
	}
	if u, n := p.unitAhead(); n > 0 {
		p.pos += n
		return p.mk(nUnit, u, left)
	}
	return left, nil
}

// addTerm joins the term right to the sum left with the operator op: +,
// -, or ± and ∓.
func (p *parser) addTerm(op string, left, right *node) (*node, error) {
	switch op {
	case "pm", "mp":
		return p.mkPM(op, left, right)
	case "-":
		var err error
		if right, err = p.mk(nNeg, "", right); err != nil {
			return nil, err
		}
	}
	return p.flatten(nAdd, left, right)
}

// startsFactor reports whether the token can begin an implicitly
// multiplied factor.
func (p *parser) startsFactor() bool {
	t := p.peek()
	switch t.k {
	case tNum:
		return true
	case tIdent:
		lw := strings.ToLower(t.s)
		if lw == "and" || lw == "or" {
			return false
		}
		if isPlainUnit(t.s) {
			if u, _ := p.unitAhead(); u != "" {
				return false
			}
		}
		return true
	case tCmd:
		switch t.s {
		case "sum", "prod", "int", "lim":
			return false
		}
		return true
	case tOp:
		switch t.s {
		case "(", "{", "lfloor", "lceil", `\{`:
			return true
		case "|":
			return p.absOpen == 0
		}
		return strings.HasPrefix(t.s, "begin:")
	}
	return false
}

func (p *parser) parseTerm() (*node, error) {
	left, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		var right *node
		switch {
		case t.k == tOp && t.s == "*":
			p.pos++
			if right, err = p.parseUnary(); err != nil {
				return nil, err
			}
		case t.k == tOp && t.s == "/":
			p.pos++
			den, err := p.parseUnary()
			if err != nil {
				return nil, err
			}
			if left, err = p.mk(nDiv, "", left, den); err != nil {
				return nil, err
			}
			continue
		case p.startsFactor():
			if t.k == tNum && lastIsNum(left) {
				return nil, fmt.Errorf("two numbers in a row: %w", errParse)
			}
			if right, err = p.parsePower(); err != nil {
				return nil, err
			}
		default:
			return left, nil
		}
		if left, err = p.flatten(nMul, left, right); err != nil {
			return nil, err
		}
	}
}

func lastIsNum(n *node) bool {
	for n.k == nMul {
		n = n.args[len(n.args)-1]
	}
	return n.k == nNum || n.k == nPow && n.args[1].k == nNum
}

func (p *parser) parseUnary() (*node, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	t := p.peek()
	if t.k == tOp {
		switch t.s {
		case "-":
			p.pos++
			x, err := p.parseUnary()
			if err != nil {
				return nil, err
			}
			if x.k == nNeg {
				return x.args[0], nil
			}
			return p.mk(nNeg, "", x)
		case "+":
			p.pos++
			return p.parseUnary()
		case "pm", "mp":
			p.pos++
			x, err := p.parseTerm()
			if err != nil {
				return nil, err
			}
			return p.mkPM(t.s, nil, x)
		}
	}
	if t.k == tUnit && currencySigns[t.s] {
		// $5, €30, £2, ¥100
		p.pos++
		x, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		return p.mk(nUnit, t.s, x)
	}
	return p.parsePower()
}

// degAhead consumes ^\circ or ^{\circ} after '^'.
func (p *parser) degAhead() bool {
	if p.peek().k == tUnit && p.peek().s == "deg" {
		p.pos++
		return true
	}
	if p.isOp("{") && p.peekAt(1).k == tUnit && p.peekAt(1).s == "deg" && p.peekAt(2).k == tOp && p.peekAt(2).s == "}" {
		p.pos += 3
		return true
	}
	return false
}

func (p *parser) parsePower() (*node, error) {
	base, err := p.parsePostfix()
	if err != nil {
		return nil, err
	}
	for p.isOp("^") {
		p.pos++
		if p.degAhead() {
			if u := p.tempAhead(); u != "" {
				return p.mk(nUnit, u, base)
			}
			if base, err = p.mk(nDeg, "", base); err != nil {
				return nil, err
			}
			continue
		}
		if base, err = p.mkAfter(nPow, base, p.parseExponent); err != nil {
			return nil, err
		}
		// a^b^c is a^(b^c): parseExponent already took the tower.
		for p.isOp("!") {
			p.pos++
			if base, err = p.mk(nFact, "", base); err != nil {
				return nil, err
			}
		}
	}
	if p.peek().k == tUnit && p.peek().s == "deg" {
		// 30°, 25°C
		p.pos++
		if u := p.tempAhead(); u != "" {
			return p.mk(nUnit, u, base)
		}
		return p.mk(nDeg, "", base)
	}
	return base, nil
}

// parseExponent parses the exponent after '^': a braced group, a signed
// single factor, or a single token.
func (p *parser) parseExponent() (*node, error) {
	if p.isOp("{") {
		return p.parseGroup()
	}
	if op := p.takeOp("-", "+"); op != "" {
		x, err := p.parseExponent()
		if err != nil {
			return nil, err
		}
		if op == "-" {
			return p.mk(nNeg, "", x)
		}
		return x, nil
	}
	// x^ab: the lexer gives the exponent its first letter only
	return p.parsePowerNoPostfixPow()
}

func (p *parser) parsePowerNoPostfixPow() (*node, error) {
	base, err := p.parsePostfix()
	if err != nil {
		return nil, err
	}
	if p.takeOp("^") != "" {
		return p.mkAfter(nPow, base, p.parseExponent)
	}
	return base, nil
}

// items parses items separated by "," or ";", up to where closed, when
// set, reports the closing bracket (before the first item or after a
// separator).
func (p *parser) items(closed func() bool) ([]*node, error) {
	var items []*node
	for {
		if closed != nil && closed() {
			return items, nil
		}
		it, err := p.parseItem()
		if err != nil {
			return nil, err
		}
		items = append(items, it)
		if !p.isOp(",") && !p.isOp(";") {
			return items, nil
		}
		p.pos++
	}
}

// parseGroup parses {...} content as one item (or a braced list).
func (p *parser) parseGroup() (*node, error) {
	if err := p.expect("{"); err != nil {
		return nil, err
	}
	if p.isOp("}") {
		p.pos++
		return nil, fmt.Errorf("empty group: %w", errParse)
	}
	items, err := p.items(nil)
	if err != nil {
		return nil, err
	}
	if err := p.expect("}"); err != nil {
		return nil, err
	}
	if len(items) == 1 {
		return items[0], nil
	}
	n, err := p.mkFlag(nList, flagBraced)
	if err != nil {
		return nil, err
	}
	n.args = items
	return n, nil
}

func (p *parser) parsePostfix() (*node, error) {
	x, err := p.parsePrimary()
	if err != nil {
		return nil, err
	}
	for {
		switch {
		case p.isOp("!"):
			p.pos++
			if x, err = p.mk(nFact, "", x); err != nil {
				return nil, err
			}
		case p.isOp("'"):
			p.pos++
			x = &node{k: nVar, s: varName(x) + "'", dec: -1}
		default:
			return x, nil
		}
	}
}

func varName(n *node) string {
	if n.k == nVar {
		return n.s
	}
	return "?"
}

func (p *parser) numNode(nl *numLit) (*node, error) {
	n, err := p.mk(nNum, "")
	if err != nil {
		return nil, err
	}
	if nl.intPart == "" && nl.frac == "" {
		return nil, errParse
	}
	r, ok := parseDecimal(nl.intPart, nl.frac)
	if !ok {
		return nil, errParse
	}
	if nl.rep != "" {
		// 0.1\overline{6}: add rep / (10^len(frac) * (10^len(rep) - 1))
		rp, _ := new(big.Int).SetString(nl.rep, 10)
		d := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(len(nl.rep))), nil)
		d.Sub(d, big.NewInt(1))
		d.Mul(d, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(len(nl.frac))), nil))
		r.Add(r, new(big.Rat).SetFrac(rp, d))
	}
	if nl.sci {
		if nl.exp > p.st.b.MaxDigits || -nl.exp > p.st.b.MaxDigits {
			return nil, errBudget
		}
		e := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(nl.exp))), nil)
		if nl.exp >= 0 {
			r.Mul(r, new(big.Rat).SetInt(e))
		} else {
			r.Quo(r, new(big.Rat).SetInt(e))
		}
	}
	n.val = r
	if nl.point && nl.rep == "" && !nl.sci {
		n.dec = len(nl.frac)
	}
	n.s = nl.intPart
	if nl.point {
		n.s += "." + nl.frac
	}
	return n, nil
}

// parseDecimal returns the exact value of the digits int.frac.
func parseDecimal(intPart, frac string) (*big.Rat, bool) {
	digits := intPart + frac
	if digits == "" {
		return nil, false
	}
	if len(digits) <= 18 && len(frac) <= 18 {
		var v int64
		for i := 0; i < len(digits); i++ {
			v = v*10 + int64(digits[i]-'0')
		}
		d := int64(1)
		for range len(frac) {
			d *= 10
		}
		return big.NewRat(v, d), true
	}
	num, ok := new(big.Int).SetString(digits, 10)
	if !ok {
		return nil, false
	}
	den := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(len(frac))), nil)
	return new(big.Rat).SetFrac(num, den), true
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// intLit reports whether n is a plain integer literal.
func intLit(n *node) bool {
	return n != nil && n.k == nNum && n.dec < 0 && n.val.IsInt() && !strings.Contains(n.s, ".")
}

func (p *parser) parsePrimary() (*node, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	t := p.next()
	switch t.k {
	case tEOF:
		return nil, fmt.Errorf("unexpected end: %w", errParse)
	case tNum:
		n, err := p.numNode(t.num)
		if err != nil {
			return nil, err
		}
		// base subscript: 1011_2
		if p.isOp("_") && !t.num.point {
			save := p.pos
			p.pos++
			var b *node
			if p.isOp("{") {
				b, err = p.parseGroup()
			} else if p.peek().k == tNum {
				b, err = p.numNode(p.next().num)
			}
			if err == nil && b != nil && intLit(b) {
				return p.baseNum(t.num.intPart, b)
			}
			p.pos = save
			return nil, fmt.Errorf("bad subscript: %w", errParse)
		}
		if w := p.peek(); w.k == tIdent && scaleWords[strings.ToLower(w.s)] > 0 {
			// 5 million, 2.5 billion
			p.pos++
			n.val = new(big.Rat).Mul(n.val, big.NewRat(scaleWords[strings.ToLower(w.s)], 1))
			n.dec, n.s = -1, n.val.RatString()
			return n, nil
		}
		if intLit(n) {
			if p.ordinal(t.num.intPart) {
				return n, nil
			}
			return p.maybeMixed(n)
		}
		return n, nil
	case tBase:
		n, err := p.mk(nBase, t.s)
		if err != nil {
			return nil, err
		}
		b, _ := new(big.Int).SetString(t.num.intPart, 10)
		n.val = new(big.Rat).SetInt(b)
		return n, nil
	case tIdent:
		return p.ident(t)
	case tText:
		return p.mkText(t.s)
	case tCmd:
		return p.command(t)
	case tUnit:
		return nil, fmt.Errorf("unit %q in an expression: %w", t.s, errParse)
	case tSep:
		return nil, fmt.Errorf("separator in an expression: %w", errParse)
	}
	// operators that open something
	switch t.s {
	case "(", "[":
		return p.bracket(t.s)
	case "{":
		p.pos--
		return p.parseGroup()
	case `\{`:
		return p.set()
	case "|":
		p.absOpen++
		x, err := p.parseSum()
		p.absOpen--
		if err != nil {
			return nil, err
		}
		if err := p.expect("|"); err != nil {
			return nil, err
		}
		return p.mkFunc(fnAbs, x)
	case "lfloor", "lceil":
		x, err := p.parseSum()
		if err != nil {
			return nil, err
		}
		closer, f := "rfloor", fnFloor
		if t.s == "lceil" {
			closer, f = "rceil", fnCeil
		}
		if err := p.expect(closer); err != nil {
			return nil, err
		}
		return p.mkFunc(f, x)
	case "emptyset":
		return p.mk(nSet, "")
	case "...":
		return p.mk(nSeq, "")
	}
	if strings.HasPrefix(t.s, "begin:") {
		return p.matrix(strings.TrimPrefix(t.s, "begin:"))
	}
	return nil, fmt.Errorf("unexpected %q: %w", t.s, errParse)
}

// ordinal consumes the suffix of an ordinal after the digits: 12th,
// 21st, 12^{th}, 12^{\mathrm{th}}. The suffix must be the right one for the
// number; an ordinal is its number (the 12th grade answers "which grade").
func (p *parser) ordinal(digits string) bool {
	want := "th"
	if n := len(digits); n < 2 || digits[n-2] != '1' {
		switch digits[n-1] {
		case '1':
			want = "st"
		case '2':
			want = "nd"
		case '3':
			want = "rd"
		}
	}
	is := func(k int) bool { t := p.peekAt(k); return t.k == tIdent && strings.ToLower(t.s) == want }
	switch {
	case is(0) && !p.peek().sp:
		p.pos++
	case p.isOp("^") && is(1):
		p.pos += 2
	case p.isOp("^") && p.peekAt(1).k == tOp && p.peekAt(1).s == "{" && is(2) && p.peekAt(3).k == tOp && p.peekAt(3).s == "}":
		p.pos += 4
	default:
		return false
	}
	// "12th grade", "3rd place": a plain word after an ordinal is its label
	if t := p.peek(); t.k == tIdent && len(t.s) >= 3 && !strings.HasPrefix(t.s, `\`) && !funcWords[strings.ToLower(t.s)] {
		if n := p.peekAt(1); n.k == tEOF || n.k == tSep || n.k == tOp && (n.s == "," || n.s == ";") {
			p.toks[p.pos].k = tText
		}
	}
	return true
}

// tempAhead reads the C or F after a degree sign (25°C, 25^\circ\text{C})
// at the end of an item: a temperature unit.
func (p *parser) tempAhead() string {
	t := p.peek()
	if (t.k == tIdent || t.k == tText) && (t.s == "C" || t.s == "F") {
		save := p.pos
		p.pos++
		end := p.atItemEnd()
		p.pos = save
		if end {
			p.pos++
			return "deg" + t.s
		}
	}
	return ""
}

func (p *parser) mkText(s string) (*node, error) {
	n, err := p.mk(nText, s)
	return n, err
}

func (p *parser) baseNum(digits string, b *node) (*node, error) {
	base := b.val.Num().Int64()
	if !b.val.Num().IsInt64() || base < 2 || base > 36 {
		return nil, fmt.Errorf("base %s: %w", b.val, errParse)
	}
	for _, c := range digits {
		if int64(c-'0') >= base {
			return nil, fmt.Errorf("digit %c in base %d: %w", c, base, errParse)
		}
	}
	n, err := p.mk(nBase, digits)
	if err != nil {
		return nil, err
	}
	n.val = big.NewRat(base, 1)
	return n, nil
}

// maybeMixed reads a mixed number after an integer literal: 2\frac12, 7 3/4.
func (p *parser) maybeMixed(whole *node) (*node, error) {
	t := p.peek()
	if t.k == tCmd && t.s == "frac" {
		save, saveNodes := p.pos, p.st.nodes
		p.pos++
		num, err1 := p.fracArg()
		den, err2 := p.fracArg()
		if err1 == nil && err2 == nil && intLit(num) && intLit(den) && num.val.Cmp(den.val) < 0 && den.val.Sign() > 0 && !p.isOp("^") {
			f, err := p.mk(nDiv, "", num, den)
			if err != nil {
				return nil, err
			}
			return p.mkFlag(nAdd, flagMixed, whole, f)
		}
		p.pos, p.st.nodes = save, saveNodes
		return whole, nil
	}
	if t.k == tNum && t.sp && p.peekAt(1).k == tOp && p.peekAt(1).s == "/" && p.peekAt(2).k == tNum {
		a, b := t.num, p.peekAt(2).num
		if !a.point && !b.point && !a.sci && !b.sci && !(p.peekAt(3).k == tOp && p.peekAt(3).s == "^") {
			num, den, err := both(p.numNode, a, b)
			if err != nil {
				return nil, err
			}
			if num.val.Cmp(den.val) < 0 && den.val.Sign() > 0 {
				p.pos += 3
				f, err := p.mk(nDiv, "", num, den)
				if err != nil {
					return nil, err
				}
				return p.mkFlag(nAdd, flagMixed, whole, f)
			}
		}
	}
	return whole, nil
}

func (p *parser) mkLetter(c string) (*node, error) {
	switch c {
	case "e":
		return p.mkConst(cE)
	case "i":
		return p.mkConst(cI)
	}
	return p.mk(nVar, c)
}

// ident turns a letter run into constants, functions or a product of
// one-letter variables.
func (p *parser) ident(t token) (*node, error) {
	w := t.s
	if strings.HasPrefix(w, `\`) {
		return p.subscripted(w[1:])
	}
	lw := strings.ToLower(w)
	switch lw {
	case "pi":
		return p.mkConst(cPi)
	case "inf", "infty", "infinity", "oo":
		return p.mkConst(cInf)
	case "and", "or":
		return nil, fmt.Errorf("%q in an expression: %w", w, errParse)
	}
	if funcWords[lw] && w == lw {
		if lw == "sqrt" {
			return p.sqrt()
		}
		return p.function(funcByName[lw])
	}
	if len(w) >= 4 {
		// a plain word in an expression is prose, not a product of variables
		return nil, fmt.Errorf("word %q: %w", w, errParse)
	}
	var f *node
	for i := 0; i < len(w); i++ {
		var x *node
		var err error
		if i == len(w)-1 {
			x, err = p.subscripted(w[i:])
		} else {
			x, err = p.mkLetter(w[i : i+1])
		}
		if err != nil {
			return nil, err
		}
		if f == nil {
			f = x
		} else if f.k == nMul {
			f.args = append(f.args, x)
		} else if f, err = p.mk(nMul, "", f, x); err != nil {
			return nil, err
		}
	}
	return f, nil
}

// subscripted reads a variable with an optional subscript: x_1, a_{37}.
func (p *parser) subscripted(name string) (*node, error) {
	if !p.isOp("_") {
		if len(name) == 1 {
			return p.mkLetter(name)
		}
		return p.mk(nVar, name)
	}
	p.pos++
	var sub string
	t := p.peek()
	switch {
	case t.k == tNum:
		p.pos++
		sub = t.num.intPart
		if t.num.point {
			sub += "." + t.num.frac
		}
	case t.k == tIdent:
		p.pos++
		sub = t.s
	case t.k == tOp && t.s == "{":
		end := p.pos + 1
		var b strings.Builder
		for end < len(p.toks) && !(p.toks[end].k == tOp && p.toks[end].s == "}") {
			tk := p.toks[end]
			switch tk.k {
			case tNum:
				b.WriteString(tk.num.intPart)
				if tk.num.point {
					b.WriteString("." + tk.num.frac)
				}
			default:
				b.WriteString(tk.s)
			}
			end++
			if end-p.pos > 20 {
				return nil, errParse
			}
		}
		if end >= len(p.toks) {
			return nil, errParse
		}
		sub = b.String()
		p.pos = end + 1
	default:
		return nil, fmt.Errorf("bad subscript: %w", errParse)
	}
	return p.mk(nVar, name+"_"+sub)
}

// fracArg reads one argument of \frac: a group, or a single digit/letter.
func (p *parser) fracArg() (*node, error) {
	t := p.peek()
	switch {
	case t.k == tOp && t.s == "{":
		return p.parseGroup()
	case t.k == tNum && !t.num.point && len(t.num.intPart) > 1:
		d := t.num.intPart[:1]
		nl := *t.num
		nl.intPart = nl.intPart[1:]
		p.toks[p.pos].num = &nl
		return p.numNode(&numLit{intPart: d})
	case t.k == tIdent && len(t.s) > 1 && !strings.HasPrefix(t.s, `\`):
		p.toks[p.pos].s = t.s[1:]
		return p.mkLetter(t.s[:1])
	case t.k == tNum || t.k == tIdent:
		p.pos++
		if t.k == tNum {
			return p.numNode(t.num)
		}
		return p.ident(t)
	case t.k == tCmd:
		p.pos++
		return p.command(t)
	}
	return nil, fmt.Errorf("bad argument: %w", errParse)
}

// fracArgs parses the two arguments of \frac or \binom.
func (p *parser) fracArgs() (a, b *node, err error) {
	if a, err = p.fracArg(); err == nil {
		b, err = p.fracArg()
	}
	return a, b, err
}

// both applies f to x and then to y, stopping at the first error.
func both[T, R any](f func(T) (R, error), x, y T) (fx, fy R, err error) {
	if fx, err = f(x); err == nil {
		fy, err = f(y)
	}
	return fx, fy, err
}

func (p *parser) command(t token) (*node, error) {
	switch t.s {
	case "frac":
		num, den, err := p.fracArgs()
		if err != nil {
			return nil, err
		}
		return p.mk(nDiv, "", num, den)
	case "binom":
		a, b, err := p.fracArgs()
		if err != nil {
			return nil, err
		}
		return p.mkFunc(fnBinom, a, b)
	case "sqrt":
		return p.sqrt()
	case "pi":
		return p.mkConst(cPi)
	case "infty":
		return p.mkConst(cInf)
	case "int", "lim":
		return nil, fmt.Errorf("\\%s is not supported: %w", t.s, errParse)
	case "reals":
		// \mathbb{R} = (-\infty, \infty)
		lo, hi, err := both(p.mkConst, cInf, cInf)
		if err != nil {
			return nil, err
		}
		if lo, err = p.mk(nNeg, "", lo); err != nil {
			return nil, err
		}
		return p.mk(nTuple, "", lo, hi)
	}
	f, ok := funcByName[t.s]
	switch {
	case !ok:
		return nil, fmt.Errorf("\\%s: %w", t.s, errParse)
	case f.bigOp():
		return p.bigOp(f)
	}
	return p.function(f)
}

// bigOp parses \sum_{k=a}^{b} body and \prod likewise: args body, a, b,
// ops the bound variable.
func (p *parser) bigOp(f funcID) (*node, error) {
	if err := p.expect("_"); err != nil {
		return nil, err
	}
	lower, err := p.fracArg()
	if err != nil {
		return nil, err
	}
	if lower.k != nRel || len(lower.rels) != 1 || lower.rels[0] != relEq ||
		lower.args[0].k != nVar && !lower.args[0].isConst(cI) && !lower.args[0].isConst(cE) {
		return nil, fmt.Errorf("\\%s needs a lower bound k=a: %w", f, errParse)
	}
	if err := p.expect("^"); err != nil {
		return nil, err
	}
	upper, err := p.parseExponent()
	if err != nil {
		return nil, err
	}
	body, err := p.parseTerm()
	if err != nil {
		return nil, err
	}
	n, err := p.mkFunc(f, body, lower.args[1], upper)
	if err != nil {
		return nil, err
	}
	n.ops = []string{lower.args[0].s}
	if lower.args[0].k == nConst {
		// \sum_{i=1}^{n} i: here i is the index, not the imaginary unit
		rebind(body, lower.args[0].cst)
	}
	return n, nil
}

// rebind turns the constant c (i or e) into a variable inside n.
func rebind(n *node, c constID) {
	if n == nil {
		return
	}
	if n.isConst(c) {
		n.k, n.cst = nVar, cNone
		return
	}
	for _, a := range n.args {
		rebind(a, c)
	}
}

func (p *parser) sqrt() (*node, error) {
	var idx *node
	if p.isOp("[") {
		p.pos++
		var err error
		if idx, err = p.parseSum(); err != nil {
			return nil, err
		}
		if err := p.expect("]"); err != nil {
			return nil, err
		}
	}
	var arg *node
	var err error
	if p.isOp("(") {
		if arg, err = p.parenArg(); err != nil {
			return nil, err
		}
	} else if arg, err = p.fracArg(); err != nil {
		return nil, err
	}
	if idx != nil {
		return p.mkFunc(fnRoot, arg, idx)
	}
	return p.mkFunc(fnSqrt, arg)
}

// multiArg parses f(a, b, ...) of two or more arguments.
func (p *parser) multiArg(f funcID) (*node, error) {
	if err := p.expect("("); err != nil {
		return nil, err
	}
	n, err := p.mkFunc(f)
	if err != nil {
		return nil, err
	}
	for {
		x, err := p.parseSum()
		if err != nil {
			return nil, err
		}
		n.args = append(n.args, x)
		if !p.isOp(",") {
			break
		}
		p.pos++
	}
	if len(n.args) < 2 {
		return nil, fmt.Errorf("%s of one argument: %w", f, errParse)
	}
	return n, p.expect(")")
}

// pushConj writes the conjugate of n without a conjugate node where the
// rules are plain: conj(i) = -i, variables and other constants are real,
// conjugation passes through + − × ÷, integer powers, powers of e and the
// functions with real coefficients that are analytic everywhere (exp, sin,
// cos, ...). It returns nil where it does not know (√ and ln of values
// that may be negative), and the caller keeps the conjugate node.
func (p *parser) pushConj(n *node) *node {
	// conjArgs copies n with the conjugate pushed into each argument, or
	// gives nil.
	conjArgs := func(n *node) *node {
		args := make([]*node, len(n.args))
		for i, a := range n.args {
			if args[i] = p.pushConj(a); args[i] == nil {
				return nil
			}
		}
		c := *n
		c.args, c.exState = args, 0
		return &c
	}
	switch n.k {
	case nNum, nVar, nBase:
		return n
	case nConst:
		if n.cst == cI {
			return &node{k: nNeg, args: []*node{n}, dec: -1}
		}
		return n
	case nAdd, nMul, nNeg, nDiv:
		return conjArgs(n)
	case nPow:
		e := n.args[1]
		if e.k == nNeg {
			e = e.args[0]
		}
		if !intLit(e) && !n.args[0].isConst(cE) {
			return nil
		}
		return conjArgs(n)
	case nFunc:
		switch n.fn {
		case fnExp, fnSin, fnCos, fnTan, fnSec, fnCsc, fnCot, fnSinh, fnCosh, fnTanh:
			return conjArgs(n)
		case fnAbs:
			return n
		case fnSqrt, fnRoot, fnLn, fnLog:
			// of a positive rational: real
			if x, ok, err := p.st.exact(n.args[0], nil); err == nil && ok && x.isReal() && x.re.Sign() > 0 {
				return n
			}
		}
	}
	return nil
}

// parenArg parses "(" sum ")".
func (p *parser) parenArg() (*node, error) {
	if err := p.expect("("); err != nil {
		return nil, err
	}
	x, err := p.parseSum()
	if err != nil {
		return nil, err
	}
	return x, p.expect(")")
}

// function parses a named function application: \sin^2(x), \log_2 8, \ln x,
// \gcd(12, 18).
func (p *parser) function(name funcID) (*node, error) {
	if name == fnGcd || name == fnLcm {
		return p.multiArg(name)
	}
	var pow, base *node
	var err error
	for {
		if p.isOp("^") && pow == nil {
			p.pos++
			if pow, err = p.parseExponent(); err != nil {
				return nil, err
			}
			continue
		}
		if p.isOp("_") && name == fnLog && base == nil {
			p.pos++
			if base, err = p.fracArg(); err != nil {
				return nil, err
			}
			continue
		}
		break
	}
	if pow != nil && pow.k == nNeg && intLit(pow.args[0]) && pow.args[0].val.Cmp(big.NewRat(1, 1)) == 0 {
		if inv, ok := inverseTrig[name]; ok {
			name, pow = inv, nil
		}
	}
	var arg *node
	switch {
	case p.isOp("("):
		if arg, err = p.parenArg(); err != nil {
			return nil, err
		}
		// \sin(x)^2
		if p.isOp("^") && pow == nil {
			p.pos++
			if pow, err = p.parseExponent(); err != nil {
				return nil, err
			}
		}
	case p.isOp("{"):
		if arg, err = p.parseGroup(); err != nil {
			return nil, err
		}
	default:
		// \sin 2x, \ln e^3, \cos 60^\circ: a product of simple factors
		if arg, err = p.parsePower(); err != nil {
			return nil, err
		}
		for {
			t := p.peek()
			simple := t.k == tIdent && !funcWords[strings.ToLower(t.s)] && !isPlainUnit(t.s) || t.k == tCmd && t.s == "pi"
			if !simple {
				break
			}
			if arg, err = p.mkAfter(nMul, arg, p.parsePower); err != nil {
				return nil, err
			}
		}
	}
	if name == fnConj && pow == nil {
		if c := p.pushConj(arg); c != nil {
			return c, nil
		}
	}
	f, err := p.mkFunc(name, arg)
	if err != nil {
		return nil, err
	}
	if base != nil {
		f.args = append(f.args, base)
	}
	if pow != nil {
		return p.mk(nPow, "", f, pow)
	}
	return f, nil
}

// bracket parses (...) or [...]: a group, a tuple or an interval.
func (p *parser) bracket(open string) (*node, error) {
	items, err := p.items(func() bool { return p.isOp(")") || p.isOp("]") })
	if err != nil {
		return nil, err
	}
	t := p.next()
	if t.k != tOp || (t.s != ")" && t.s != "]") {
		return nil, fmt.Errorf("unclosed %q: %w", open, errParse)
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("empty brackets: %w", errParse)
	}
	if len(items) == 1 && (open == "(" && t.s == ")" || open == "[" && t.s == "]") {
		it := items[0]
		if it.k == nTuple || it.k == nMatrix || it.k == nList {
			return it, nil
		}
		if open == "[" && it.k != nRel {
			return it, nil
		}
		return it, nil
	}
	if len(items) == 1 {
		return nil, fmt.Errorf("half-open group: %w", errParse)
	}
	n, err := p.mk(nTuple, "")
	if err != nil {
		return nil, err
	}
	n.br = bracketOf(open, t.s)
	n.args = items
	return n, nil
}

func (p *parser) set() (*node, error) {
	n, err := p.mk(nSet, "")
	if err != nil {
		return nil, err
	}
	for !p.isOp(`\}`) {
		it, err := p.parseItem()
		if err != nil {
			return nil, err
		}
		n.args = append(n.args, it)
		if p.isOp(",") || p.isOp(";") || p.peek().k == tSep {
			p.pos++
			continue
		}
		if !p.isOp(`\}`) {
			return nil, fmt.Errorf("unclosed set: %w", errParse)
		}
	}
	p.pos++
	return n, nil
}

func (p *parser) matrix(env string) (*node, error) {
	m, err := p.mk(nMatrix, env)
	if err != nil {
		return nil, err
	}
	row, err := p.mk(nList, "")
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.k == tOp && strings.HasPrefix(t.s, "end:") {
			p.pos++
			if len(row.args) > 0 {
				m.args = append(m.args, row)
			}
			break
		}
		if t.k == tEOF {
			return nil, fmt.Errorf("unclosed matrix: %w", errParse)
		}
		if t.k == tOp && t.s == "&" {
			return nil, fmt.Errorf("empty matrix cell: %w", errParse)
		}
		if t.k == tOp && t.s == `\\` {
			p.pos++
			if len(row.args) > 0 {
				m.args = append(m.args, row)
			}
			if row, err = p.mk(nList, ""); err != nil {
				return nil, err
			}
			continue
		}
		cell, err := p.parseItem()
		if err != nil {
			return nil, err
		}
		row.args = append(row.args, cell)
		if p.isOp("&") {
			p.pos++
		}
	}
	if len(m.args) == 0 {
		return nil, fmt.Errorf("empty matrix: %w", errParse)
	}
	cols := len(m.args[0].args)
	for _, r := range m.args {
		if len(r.args) != cols {
			return nil, fmt.Errorf("ragged matrix: %w", errParse)
		}
	}
	return m, nil
}
