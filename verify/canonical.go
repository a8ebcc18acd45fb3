package verify

import (
	"fmt"
	"math/big"
	"sort"
	"strings"
)

// canonical returns the canonical string of a parsed answer: exact numbers
// as reduced fractions (a/b, a+bi), unordered collections sorted, other
// expressions printed with sorted sums and products.
func (s *state) canonical(n *node) string {
	nn, err := s.norm(n)
	if err != nil {
		nn = n
	}
	var b strings.Builder
	s.canon(&b, nn)
	return b.String()
}

func (s *state) canon(b *strings.Builder, n *node) {
	switch n.k {
	case nText:
		b.WriteString(strings.ToLower(strings.Join(strings.Fields(n.s), " ")))
		return
	case nUnit:
		s.canon(b, n.args[0])
		b.WriteString(" ")
		b.WriteString(n.s)
		return
	case nList, nSet, nUnion:
		parts := make([]string, len(n.args))
		for i, a := range n.args {
			var sb strings.Builder
			s.canon(&sb, a)
			parts[i] = sb.String()
		}
		if !hasSeq(n) {
			sort.Strings(parts)
			parts = dedupSorted(parts)
		}
		switch n.k {
		case nSet:
			b.WriteString("{" + strings.Join(parts, ",") + "}")
		case nUnion:
			b.WriteString(strings.Join(parts, " U "))
		default:
			b.WriteString(strings.Join(parts, ", "))
		}
		return
	case nTuple:
		b.WriteString(n.br.open())
		for i, a := range n.args {
			if i > 0 {
				b.WriteString(",")
			}
			s.canon(b, a)
		}
		b.WriteString(n.br.close())
		return
	case nRatio:
		for i, a := range n.args {
			if i > 0 {
				b.WriteString(":")
			}
			s.canon(b, a)
		}
		return
	case nMatrix:
		b.WriteString("[")
		for i, r := range n.args {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("[")
			for j, c := range r.args {
				if j > 0 {
					b.WriteString(",")
				}
				s.canon(b, c)
			}
			b.WriteString("]")
		}
		b.WriteString("]")
		return
	case nRel:
		for i, a := range n.args {
			if i > 0 {
				b.WriteString(n.rels[i-1].String())
			}
			s.canon(b, a)
		}
		return
	case nSeq:
		b.WriteString("...")
		return
	case nTime:
		m := n.val.Num().Int64()
		b.WriteString(fmt.Sprintf("%02d:%02d", m/60, m%60))
		return
	}
	if intLit(n) {
		b.WriteString(normDigits(n.s))
		return
	}
	if isScalar(n) && !hasVars(n) && infSign(n) == 0 && n.k != nBase {
		if v, ok, err := s.exact(n, nil); err == nil && ok && cqBits(v) <= maxCanonicalNumber*10/3 {
			if c := cqString(v); len(c) <= maxCanonicalNumber {
				b.WriteString(c)
				return
			}
		}
		if sd, ok := s.toSurd(n, 0); ok {
			if c := sd.String(); len(c) <= maxCanonicalNumber {
				b.WriteString(c)
				return
			}
		}
	}
	b.WriteString(printNode(n))
}

// maxCanonicalNumber bounds the length of an exact number written in a
// canonical string; longer values keep their printed expression (1/2006!).
const maxCanonicalNumber = 400

// cqBits is the bit length of an exact value's parts.
func cqBits(v cq) int {
	b := v.re.Num().BitLen() + v.re.Denom().BitLen()
	if v.im != nil {
		b += v.im.Num().BitLen() + v.im.Denom().BitLen()
	}
	return b
}

func dedupSorted(p []string) []string {
	out := p[:0]
	for i, x := range p {
		if i == 0 || x != p[i-1] {
			out = append(out, x)
		}
	}
	return out
}

func cqString(v cq) string {
	if v.isReal() {
		return v.re.RatString()
	}
	var b strings.Builder
	if v.re.Sign() != 0 {
		b.WriteString(v.re.RatString())
		if v.im.Sign() > 0 {
			b.WriteString("+")
		}
	}
	switch {
	case v.im.Cmp(big.NewRat(1, 1)) == 0:
	case v.im.Cmp(big.NewRat(-1, 1)) == 0:
		b.WriteString("-")
	default:
		b.WriteString(v.im.RatString())
		b.WriteString("*")
	}
	b.WriteString("i")
	return b.String()
}

// printNode prints an expression deterministically: sums and products with
// their terms sorted, every compound operand parenthesized.
func printNode(n *node) string {
	var b strings.Builder
	printTo(&b, n, 0)
	return b.String()
}

func printTo(b *strings.Builder, n *node, depth int) {
	if depth > 1000 {
		b.WriteString("…")
		return
	}
	if n == nil {
		return
	}
	sub := func(x *node) string {
		var sb strings.Builder
		printTo(&sb, x, depth+1)
		return sb.String()
	}
	paren := func(x *node) string {
		s := sub(x)
		switch x.k {
		case nNum:
			if x.val.Sign() >= 0 && x.val.IsInt() {
				return s
			}
		case nVar, nConst, nFunc, nBase:
			return s
		}
		return "(" + s + ")"
	}
	switch n.k {
	case nNum:
		if intLit(n) {
			// the printed digits: no binary-to-decimal conversion
			b.WriteString(normDigits(n.s))
		} else {
			b.WriteString(n.val.RatString())
		}
	case nConst:
		b.WriteString(n.cst.String())
	case nVar:
		b.WriteString(n.s)
	case nBase:
		b.WriteString(n.s + "_" + n.val.RatString())
	case nAdd, nMul:
		parts := make([]string, len(n.args))
		for i, a := range n.args {
			if n.k == nAdd {
				parts[i] = sub(a)
			} else {
				parts[i] = paren(a)
			}
		}
		sort.Strings(parts)
		sep := "+"
		if n.k == nMul {
			sep = "*"
		}
		b.WriteString(strings.Join(parts, sep))
	case nNeg:
		b.WriteString("-" + paren(n.args[0]))
	case nDiv:
		b.WriteString(paren(n.args[0]) + "/" + paren(n.args[1]))
	case nPow:
		b.WriteString(paren(n.args[0]) + "^" + paren(n.args[1]))
	case nFunc:
		b.WriteString(n.fn.String())
		if n.fn.bigOp() {
			b.WriteString("_" + n.ops[0])
		}
		b.WriteString("(")
		for i, a := range n.args {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(sub(a))
		}
		b.WriteString(")")
	case nFact:
		b.WriteString(paren(n.args[0]) + "!")
	case nDeg:
		b.WriteString(paren(n.args[0]) + "deg")
	case nPM:
		if n.args[0] != nil {
			b.WriteString(sub(n.args[0]))
		}
		op := "pm"
		if n.has(flagMinusPlus) {
			op = "mp"
		}
		b.WriteString(op + paren(n.args[1]))
	case nText:
		b.WriteString(n.s)
	case nUnit:
		b.WriteString(sub(n.args[0]) + " " + n.s)
	case nSeq:
		b.WriteString("...")
	default:
		open, close := "<", ">"
		if n.k == nTuple {
			open, close = n.br.open(), n.br.close()
		}
		b.WriteString(kindName(n.k) + open)
		for i, a := range n.args {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(sub(a))
		}
		if n.k == nRel {
			for i, r := range n.rels {
				if i == 0 {
					b.WriteString(";")
				} else {
					b.WriteString(",")
				}
				b.WriteString(r.String())
			}
		}
		b.WriteString(close)
	}
}

// kindOf classifies a parsed answer.
func (s *state) kindOf(n *node) Kind {
	if clockTime(n) != nil {
		return KindTime
	}
	switch n.k {
	case nText:
		return KindText
	case nUnit:
		return s.kindOf(n.args[0])
	case nSet, nList:
		return KindSet
	case nUnion:
		return KindInterval
	case nTuple:
		if len(n.args) == 2 && (n.br != brParen || infSign(n.args[0]) != 0 || infSign(n.args[1]) != 0) {
			return KindInterval
		}
		return KindTuple
	case nRatio:
		if clockLike(n) {
			return KindTime
		}
		return KindRatio
	case nTime:
		return KindTime
	case nBase:
		return KindBase
	case nMatrix:
		return KindMatrix
	case nRel:
		if allRels(n.rels, relEq) {
			return KindEquation
		}
		return KindInequality
	case nSeq:
		return KindExpression
	case nDeg:
		return s.kindOf(n.args[0])
	}
	if hasPM(n) {
		return KindSet
	}
	if hasVars(n) {
		return KindExpression
	}
	if infSign(n) != 0 {
		return KindReal
	}
	v, ok, err := s.exact(n, nil)
	if err != nil || !ok {
		if sd, ok := s.toSurd(n, 0); ok && len(sd.nonzero()) <= 1 && (len(sd.nonzero()) == 0 || sd.nonzero()[0] == 1) {
			// √12·√3 is the integer 6
			if q := sd[1]; q == nil || q.IsInt() {
				return KindInteger
			}
			return KindRational
		}
		return KindReal
	}
	if !v.isReal() {
		return KindComplex
	}
	if v.re.IsInt() {
		return KindInteger
	}
	return KindRational
}

// fastAnswer handles the most common check, two plain integers, without
// parsing.
func fastAnswer(gold, answer string) (Verdict, bool) {
	g, ok1 := plainInt(strings.TrimSpace(gold))
	p, ok2 := plainInt(answer)
	if !ok1 || !ok2 {
		return Verdict{}, false
	}
	v := Verdict{Kind: KindInteger, GoldCanonical: g, PredCanonical: p, Reason: ReasonNotEqual}
	if g == p {
		v.Correct, v.Reward, v.Reason = true, 1, ReasonEqual
	}
	return v, true
}

// plainInt normalizes an optionally signed run of at most 40 digits.
func plainInt(s string) (string, bool) {
	if len(s) == 0 || len(s) > 40 {
		return "", false
	}
	neg := false
	if s[0] == '-' {
		neg, s = true, s[1:]
	}
	if s == "" {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return "", false
		}
	}
	s = strings.TrimLeft(s, "0")
	if s == "" {
		return "0", true
	}
	if neg {
		return "-" + s, true
	}
	return s, true
}

// normDigits strips leading zeros from a digit string.
func normDigits(d string) string {
	d = strings.TrimLeft(d, "0")
	if d == "" {
		return "0"
	}
	return d
}
