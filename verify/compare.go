package verify

import (
	"errors"
	"math/big"
	"slices"
	"sort"
	"strings"
)

// equal decides whether the prediction p equals the gold g under the
// package policy (see doc.go).
func (s *state) equal(g, p *node) (bool, error) {
	if g.raw != "" && g.raw == p.raw {
		return true, nil
	}
	gn, pn, err := both(s.norm, g, p)
	if err != nil {
		return false, err
	}
	return s.eq(gn, pn, 0)
}

// norm rewrites a parsed answer into comparable form: ± expanded into a
// set, degrees and percent at the top as units, unions of sets merged.
func (s *state) norm(n *node) (*node, error) {
	if err := s.tick(); err != nil {
		return nil, err
	}
	switch n.k {
	case nDeg:
		return &node{k: nUnit, s: "deg", args: []*node{n.args[0]}, dec: -1}, nil
	case nUnit, nRatio:
		if t := clockTime(n); t != nil {
			return t, nil
		}
	}
	switch n.k {
	case nList, nSet, nTuple, nRatio, nUnion, nMatrix, nRel, nUnit:
		out := &node{k: n.k, s: n.s, br: n.br, flags: n.flags, rels: n.rels, ops: n.ops, dec: -1, args: make([]*node, 0, len(n.args))}
		for _, a := range n.args {
			x, err := s.norm(a)
			if err != nil {
				return nil, err
			}
			// a ± inside a list or set adds both values
			if (n.k == nList || n.k == nSet) && x.k == nSet && x.has(flagPM) {
				out.args = append(out.args, x.args...)
				continue
			}
			out.args = append(out.args, x)
		}
		if n.k == nUnion {
			allSets := true
			for _, a := range out.args {
				if a.k != nSet && a.k != nList {
					allSets = false
				}
			}
			if allSets {
				set := &node{k: nSet, dec: -1}
				for _, a := range out.args {
					set.args = append(set.args, a.args...)
				}
				return set, nil
			}
			return s.mergeIntervals(out), nil
		}
		out.flags &^= flagBraced
		return out, nil
	case nMul, nAdd, nNeg, nDiv:
		if hasMatrix(n, 0) {
			if m := matArith(n, 0); m != nil {
				return s.norm(m)
			}
		}
	}
	if hasPM(n) {
		vs, err := expandPM(n, 0)
		if err != nil {
			return nil, err
		}
		return &node{k: nSet, flags: flagPM, args: vs, dec: -1}, nil
	}
	return n, nil
}

func hasPM(n *node) bool {
	if n == nil {
		return false
	}
	if n.k == nPM {
		return true
	}
	for _, a := range n.args {
		if hasPM(a) {
			return true
		}
	}
	return false
}

// expandPM returns the variants of n with each ± replaced by + and -.
func expandPM(n *node, depth int) ([]*node, error) {
	if depth > 4 {
		return nil, errBudget
	}
	if n == nil {
		return []*node{nil}, nil
	}
	if n.k == nPM {
		var out []*node
		lefts, err := expandPM(n.args[0], depth+1)
		if err != nil {
			return nil, err
		}
		rights, err := expandPM(n.args[1], depth+1)
		if err != nil {
			return nil, err
		}
		for _, l := range lefts {
			for _, r := range rights {
				neg := &node{k: nNeg, args: []*node{r}, dec: -1}
				plus, minus := r, neg
				if n.has(flagMinusPlus) {
					plus, minus = neg, r
				}
				if l == nil {
					out = append(out, plus, minus)
				} else {
					out = append(out, &node{k: nAdd, args: []*node{l, plus}, dec: -1}, &node{k: nAdd, args: []*node{l, minus}, dec: -1})
				}
			}
		}
		return out, nil
	}
	if !hasPM(n) {
		return []*node{n}, nil
	}
	variants := []*node{{k: n.k, fn: n.fn, cst: n.cst, br: n.br, flags: n.flags, s: n.s, val: n.val, dec: n.dec, rels: n.rels, ops: n.ops}}
	for _, a := range n.args {
		as, err := expandPM(a, depth+1)
		if err != nil {
			return nil, err
		}
		var next []*node
		for _, v := range variants {
			for _, x := range as {
				c := *v
				c.args = append(append([]*node(nil), v.args...), x)
				next = append(next, &c)
			}
		}
		if len(next) > 16 {
			return nil, errBudget
		}
		variants = next
	}
	return variants, nil
}

func isScalar(n *node) bool {
	switch n.k {
	case nNum, nConst, nVar, nAdd, nMul, nNeg, nDiv, nPow, nFunc, nFact, nDeg, nBase, nPM:
		return true
	}
	return false
}

// isAssignLike reports whether the left side of an equation names the
// answer (x, f(x), a_3, |AB|, A:B, (p,q)) rather than being an expression.
func isAssignLike(n *node) bool {
	hasVar := false
	var walk func(n *node, top bool) bool
	walk = func(n *node, top bool) bool {
		switch n.k {
		case nNum, nBase:
			return false
		case nAdd, nPM:
			return false
		case nVar:
			hasVar = true
			return true
		case nConst:
			if n.cst == cE || n.cst == cI {
				hasVar = true
				return true
			}
			return false
		}
		for _, a := range n.args {
			if !walk(a, false) {
				return false
			}
		}
		return true
	}
	return walk(n, true) && hasVar
}

// eq compares a normalized gold and prediction.
func (s *state) eq(g, p *node, depth int) (bool, error) {
	if depth > 50 {
		return false, errBudget
	}
	if err := s.tick(); err != nil {
		return false, err
	}
	// units: one side only is fine; both sides must be the same quantity
	if g.k == nUnit || p.k == nUnit {
		return s.eqUnits(g, p, depth)
	}
	if g.k == nText || p.k == nText {
		return textKey(g) == textKey(p), nil
	}
	if g.k == nRel || p.k == nRel {
		return s.eqRel(g, p, depth)
	}
	if g.k == nList && p.k == nUnion || g.k == nUnion && p.k == nList {
		// "x < -3 or x > 3" against (-∞,-3) ∪ (3,∞), in the direction an
		// inequality gold accepts its interval only
		if g.k == nList {
			if u := s.inequalityUnion(g); u != nil {
				return s.eq(u, p, depth+1)
			}
		}
		return false, nil
	}
	switch g.k {
	case nList, nSet:
		switch p.k {
		case nList, nSet:
			if hasSeq(g) || hasSeq(p) {
				return s.eqOrdered(g.args, p.args, depth)
			}
			return s.eqUnordered(g.args, p.args, depth)
		case nTuple:
			// a bare list matches a point (1,2), never an interval [1,2]
			if g.k == nList && (p.br == brParen || len(p.args) > 2 && p.br.matched()) {
				return s.eqOrdered(g.args, p.args, depth)
			}
			return false, nil
		}
		if g.k == nSet && len(g.args) == 1 && isScalar(p) {
			return s.eq(g.args[0], p, depth+1)
		}
		return false, nil
	case nTuple:
		switch p.k {
		case nTuple:
			if len(g.args) == 2 || len(p.args) == 2 {
				if g.br != p.br {
					return false, nil
				}
			} else if !g.br.matched() || !p.br.matched() {
				if g.br != p.br {
					return false, nil
				}
			}
			return s.eqOrdered(g.args, p.args, depth)
		case nList:
			if g.br == brParen || len(g.args) > 2 && g.br.matched() {
				return s.eqOrdered(g.args, p.args, depth)
			}
			return false, nil
		case nMatrix:
			return s.eqVector(p, g, depth)
		case nUnion:
			if len(p.args) == 1 {
				return s.eq(g, p.args[0], depth+1)
			}
		}
		return false, nil
	case nUnion:
		if p.k == nUnion {
			return s.eqUnordered(g.args, p.args, depth)
		}
		if len(g.args) == 1 {
			return s.eq(g.args[0], p, depth+1)
		}
		return false, nil
	case nMatrix:
		if p.k == nMatrix {
			if len(g.args) != len(p.args) || len(g.args[0].args) != len(p.args[0].args) {
				return false, nil
			}
			for i := range g.args {
				ok, err := s.eqOrdered(g.args[i].args, p.args[i].args, depth)
				if err != nil || !ok {
					return false, err
				}
			}
			return true, nil
		}
		if p.k == nTuple {
			return s.eqVector(g, p, depth)
		}
		return false, nil
	case nRatio:
		switch {
		case p.k == nRatio:
			if ok, err := s.eqOrdered(g.args, p.args, depth); err != nil || ok {
				return ok, err
			}
			// 9:24 is 3:8, unless both are clock times (12:00 is not 1:00)
			if clockLike(g) && clockLike(p) {
				return false, nil
			}
			return s.proportionalRatio(g.args, p.args), nil
		case p.k == nTime:
			return timeMatches(p, g), nil
		case isScalar(p) && len(g.args) == 2 && !clockLike(g):
			// the ratio 3:8 is the number 3/8
			return s.scalarEq(&node{k: nDiv, args: g.args, dec: -1}, p)
		}
		return false, nil
	case nTime:
		switch p.k {
		case nTime:
			return g.val.Cmp(p.val) == 0, nil
		case nRatio:
			return timeMatches(g, p), nil
		}
		return false, nil
	case nSeq:
		return p.k == nSeq, nil
	}
	if !isScalar(g) || !isScalar(p) {
		return false, nil
	}
	return s.scalarEq(g, p)
}

func hasSeq(n *node) bool {
	for _, a := range n.args {
		if a.k == nSeq {
			return true
		}
	}
	return false
}

// eqVector compares a one-row or one-column matrix with a tuple.
func (s *state) eqVector(m, t *node, depth int) (bool, error) {
	var cells []*node
	switch {
	case len(m.args) == 1:
		cells = m.args[0].args
	case len(m.args[0].args) == 1:
		for _, r := range m.args {
			cells = append(cells, r.args[0])
		}
	default:
		return false, nil
	}
	return s.eqOrdered(cells, t.args, depth)
}

func (s *state) eqOrdered(a, b []*node, depth int) (bool, error) {
	if len(a) != len(b) {
		return false, nil
	}
	for i := range a {
		ok, err := s.eq(a[i], b[i], depth+1)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// eqUnordered compares two collections as sets: every element of each
// side equals some element of the other.
func (s *state) eqUnordered(a, b []*node, depth int) (bool, error) {
	if len(a)*len(b) > 10000 {
		return false, errBudget
	}
	matchedB := make([]bool, len(b))
	for _, x := range a {
		found, err := someEq(len(b), func(j int) (bool, error) { return s.eq(x, b[j], depth+1) }, func(j int) { matchedB[j] = true })
		if err != nil || !found {
			return false, err
		}
	}
	for j, y := range b {
		if matchedB[j] {
			continue
		}
		found, err := someEq(len(a), func(i int) (bool, error) { return s.eq(a[i], y, depth+1) }, nil)
		if err != nil || !found {
			return false, err
		}
	}
	return true, nil
}

// someEq calls eq on the indexes 0 to n-1 and reports whether it is true
// for one of them: with mark set it goes through them all and marks each
// that is, else it stops at the first.
func someEq(n int, eq func(j int) (bool, error), mark func(j int)) (bool, error) {
	found := false
	for j := range n {
		ok, err := eq(j)
		if err != nil {
			return false, err
		}
		if ok {
			found = true
			if mark == nil {
				break
			}
			mark(j)
		}
	}
	return found, nil
}

func textKey(n *node) string {
	var t string
	if n.k == nText {
		t = n.s
	} else {
		t = printNode(n)
	}
	t = strings.ToLower(strings.Join(strings.Fields(t), " "))
	t = strings.Trim(t, " .()")
	return t
}

func (s *state) eqUnits(g, p *node, depth int) (bool, error) {
	gx, gu := g, ""
	if g.k == nUnit {
		gx, gu = g.args[0], g.s
	}
	px, pu := p, ""
	if p.k == nUnit {
		px, pu = p.args[0], p.s
	}
	if (gu == "%") != (pu == "%") && (gu == "" || pu == "") && isScalar(gx) && isScalar(px) {
		// a percent on one side: 25% is both its number (25) and its value
		// (1/4, 0.25)
		ok, err := s.eq(gx, px, depth+1)
		if err != nil || ok {
			return ok, err
		}
		hundred := ratNode(big.NewRat(100, 1))
		if gu == "%" {
			gx = &node{k: nDiv, args: []*node{gx, hundred}, dec: -1}
		} else {
			px = &node{k: nDiv, args: []*node{px, hundred}, dec: -1}
		}
		return s.scalarEq(gx, px)
	}
	if gu == "" || pu == "" || gu == pu || strings.HasPrefix(gu, "label:") || strings.HasPrefix(pu, "label:") {
		return s.eq(gx, px, depth+1)
	}
	gd, gf, ok1 := unitFactor(gu)
	pd, pf, ok2 := unitFactor(pu)
	if !ok1 || !ok2 || gd != pd {
		return false, nil
	}
	// same quantity in convertible units: compare in the base unit
	gs := &node{k: nMul, args: []*node{gx, {k: nNum, val: gf, dec: -1}}, dec: -1}
	ps := &node{k: nMul, args: []*node{px, {k: nNum, val: pf, dec: -1}}, dec: -1}
	if !isScalar(gx) || !isScalar(px) {
		return false, nil
	}
	return s.scalarEq(gs, ps)
}

// eqRel handles equations, inequalities and memberships on either side.
func (s *state) eqRel(g, p *node, depth int) (bool, error) {
	if g.k == nRel && p.k == nRel {
		return s.relEqual(g, p, depth)
	}
	if p.k == nRel {
		// a prediction chain ending in the gold's value: x = 3, a = b = 101
		if allRels(p.rels, relEq) {
			return s.eq(g, p.args[len(p.args)-1], depth+1)
		}
		if len(p.rels) == 1 && p.rels[0] == relIn && isAssignLike(p.args[0]) {
			return s.eq(g, p.args[1], depth+1)
		}
		return false, nil
	}
	// gold is a relation, prediction is a value
	if len(g.rels) == 1 && g.rels[0] == relEq && isAssignLike(g.args[0]) {
		return s.eq(g.args[1], p, depth+1)
	}
	if len(g.rels) == 1 && g.rels[0] == relIn && isAssignLike(g.args[0]) {
		return s.eq(g.args[1], p, depth+1)
	}
	if allRels(g.rels, relEq) && len(g.args) > 2 && isAssignLike(g.args[len(g.args)-2]) {
		// 1 = a = x = 0: a chain ending in an assignment
		return s.eq(g.args[len(g.args)-1], p, depth+1)
	}
	// an inequality gold accepts the interval it describes (not the reverse)
	if iv := inequalityInterval(g); iv != nil {
		return s.eq(iv, p, depth+1)
	}
	return false, nil
}

// allRels reports a non-empty chain of the relation r only.
func allRels(rels []relOp, r relOp) bool {
	for _, o := range rels {
		if o != r {
			return false
		}
	}
	return len(rels) > 0
}

func hasVars(n *node) bool { return hasFree(n, nil) }

// hasFree reports a variable of n not in bound (indices of enclosing sums).
func hasFree(n *node, bound []string) bool {
	if n.k == nVar {
		return !slices.Contains(bound, n.s)
	}
	if n.k == nFunc && n.fn.bigOp() {
		return hasFree(n.args[0], append(bound[:len(bound):len(bound)], n.ops[0])) ||
			hasFree(n.args[1], bound) || hasFree(n.args[2], bound)
	}
	for _, a := range n.args {
		if a != nil && hasFree(a, bound) {
			return true
		}
	}
	return false
}

// inequalityInterval turns "x > a", "a < x <= b" (one variable-like middle,
// numeric bounds) into an interval.
func inequalityInterval(g *node) *node {
	inf := constNode(cInf)
	ninf := &node{k: nNeg, args: []*node{inf}, dec: -1}
	isBound := func(n *node) bool { return !hasVars(n) && isScalar(n) }
	mk := func(lo, hi *node, loOpen, hiOpen bool) *node {
		var b bracket
		if !loOpen {
			b |= brLoClosed
		}
		if !hiOpen {
			b |= brHiClosed
		}
		return &node{k: nTuple, br: b, args: []*node{lo, hi}, dec: -1}
	}
	switch len(g.rels) {
	case 1:
		l, r, op := g.args[0], g.args[1], g.rels[0]
		if isBound(l) && (isAssignLike(r) || r.isFunc(fnAbs)) {
			l, r = r, l
			op = op.flip()
		}
		if l.isFunc(fnAbs) && isAssignLike(l.args[0]) && isBound(r) && !r.isConst(cInf) {
			// |x| >= a: (-∞,-a] ∪ [a,∞); |x| < a: (-a,a)
			neg := &node{k: nNeg, args: []*node{r}, dec: -1}
			switch op {
			case relGt, relGe:
				return &node{k: nUnion, args: []*node{mk(ninf, neg, true, op == relGt), mk(r, inf, op == relGt, true)}, dec: -1}
			case relLt, relLe:
				return mk(neg, r, op == relLt, op == relLt)
			}
			return nil
		}
		if !isAssignLike(l) || !isBound(r) {
			return nil
		}
		switch op {
		case relGt:
			return mk(r, inf, true, true)
		case relGe:
			return mk(r, inf, false, true)
		case relLt:
			return mk(ninf, r, true, true)
		case relLe:
			return mk(ninf, r, true, false)
		}
	case 2:
		a, x, b := g.args[0], g.args[1], g.args[2]
		o1, o2 := g.rels[0], g.rels[1]
		if !isAssignLike(x) || !isBound(a) || !isBound(b) {
			return nil
		}
		if o1.greater() && o2.greater() {
			a, b = b, a
			o1, o2 = o2.flip(), o1.flip()
		}
		if o1.less() && o2.less() {
			return mk(a, b, o1 == relLt, o2 == relLt)
		}
	}
	return nil
}

// inequalityUnion turns a list of inequalities in one variable ("x < -3 or
// x > 3") into the union of their intervals; nil for anything else.
func (s *state) inequalityUnion(l *node) *node {
	u := &node{k: nUnion, dec: -1}
	name := ""
	for _, a := range l.args {
		if a.k != nRel {
			return nil
		}
		iv := inequalityInterval(a)
		if iv == nil {
			return nil
		}
		v := printNode(inequalityVar(a))
		if name != "" && v != name {
			return nil
		}
		name = v
		if iv.k == nUnion {
			u.args = append(u.args, iv.args...)
		} else {
			u.args = append(u.args, iv)
		}
	}
	return s.mergeIntervals(u)
}

// inequalityVar returns the variable-like side of an inequality.
func inequalityVar(g *node) *node {
	v := g.args[1]
	if len(g.args) == 2 && isAssignLike(g.args[0]) {
		v = g.args[0]
	}
	if v.isFunc(fnAbs) {
		// |x| >= 3 is about x
		return v.args[0]
	}
	return v
}

func (s *state) relEqual(g, p *node, depth int) (bool, error) {
	// membership prediction against an inequality gold: -2 <= x <= 7 vs x ∈ [-2,7]
	if len(p.rels) == 1 && p.rels[0] == relIn && !(len(g.rels) == 1 && g.rels[0] == relIn) {
		iv := inequalityInterval(g)
		if iv == nil || printNode(inequalityVar(g)) != printNode(p.args[0]) {
			return false, nil
		}
		return s.eq(iv, p.args[1], depth+1)
	}
	if len(g.args) == 2 && len(p.args) == 2 {
		gop, pop := g.rels[0], p.rels[0]
		if gop == relIn || pop == relIn {
			if gop != pop {
				return false, nil
			}
			ok, err := s.eq(g.args[0], p.args[0], depth+1)
			if err != nil || !ok {
				return false, err
			}
			return s.eq(g.args[1], p.args[1], depth+1)
		}
		if gop == relEq && pop == relEq || gop == relNe && pop == relNe {
			if !isScalar(g.args[0]) || !isScalar(g.args[1]) || !isScalar(p.args[0]) || !isScalar(p.args[1]) {
				ok, err := s.eqOrdered(g.args, p.args, depth)
				if err != nil || ok {
					return ok, err
				}
				return s.eqOrdered(g.args, []*node{p.args[1], p.args[0]}, depth)
			}
			return s.proportional(diff(g.args[0], g.args[1]), diff(p.args[0], p.args[1]), false)
		}
		gf, gs, ok1 := ineqForm(g)
		pf, ps, ok2 := ineqForm(p)
		if !ok1 || !ok2 || gs != ps {
			return false, nil
		}
		return s.proportional(gf, pf, true)
	}
	// chains
	if allRels(g.rels, relEq) && allRels(p.rels, relEq) {
		ok, err := s.eq(g.args[len(g.args)-1], p.args[len(p.args)-1], depth+1)
		if err != nil || !ok {
			return false, err
		}
		return s.eq(g.args[0], p.args[0], depth+1)
	}
	if len(g.args) == len(p.args) {
		ga, go1 := orient(g)
		pa, po := orient(p)
		if !slices.Equal(go1, po) {
			return false, nil
		}
		return s.eqOrdered(ga, pa, depth)
	}
	return false, nil
}

// orient writes an inequality chain with < / <= (reversing a > chain).
func orient(n *node) ([]*node, []relOp) {
	if len(n.rels) > 0 && n.rels[0].greater() {
		args := make([]*node, len(n.args))
		rels := make([]relOp, len(n.rels))
		for i := range n.args {
			args[i] = n.args[len(n.args)-1-i]
		}
		for i := range n.rels {
			rels[i] = n.rels[len(n.rels)-1-i].flip()
		}
		return args, rels
	}
	return n.args, n.rels
}

func diff(a, b *node) *node {
	return &node{k: nAdd, args: []*node{a, {k: nNeg, args: []*node{b}, dec: -1}}, dec: -1}
}

// ineqForm writes a single inequality as f > 0 (strict) or f >= 0.
func ineqForm(n *node) (*node, bool, bool) {
	l, r := n.args[0], n.args[1]
	if !isScalar(l) || !isScalar(r) {
		return nil, false, false
	}
	switch n.rels[0] {
	case relGt:
		return diff(l, r), true, true
	case relGe:
		return diff(l, r), false, true
	case relLt:
		return diff(r, l), true, true
	case relLe:
		return diff(r, l), false, true
	}
	return nil, false, false
}

// proportional decides whether f = c·h for a constant c != 0 (c > 0 when
// positive is set), by evaluation at deterministic sample points.
func (s *state) proportional(f, h *node, positive bool) (bool, error) {
	names := varNames(f, h)
	ratio := &node{k: nDiv, args: []*node{f, h}, dec: -1}
	var ref env
	var refVal cq
	refExact := false
	sp, err := s.newSampler(names, f, h)
	if err != nil {
		return false, err
	}
	// the reference point fixes the constant; need more points must agree
	good := 0
	for good < sp.need+1 {
		pt, more := sp.next()
		if !more {
			break
		}
		// rational at this point (the common case): compare exactly
		x, ok, err := s.exact(ratio, pt)
		if err != nil && errors.Is(err, errBudget) {
			return false, err
		}
		if err == nil && ok {
			if ref == nil {
				if !x.isReal() || x.re.Sign() == 0 || positive && x.re.Sign() < 0 {
					return false, nil
				}
				ref, refVal, refExact = pt, x, true
				good++
				continue
			}
			if refExact {
				if !cqEqual(x, refVal) {
					return false, nil
				}
				good++
				continue
			}
		}
		if _, err := s.definedAt(ratio, pt); err != nil {
			if errors.Is(err, errBudget) {
				return false, err
			}
			continue
		}
		if ref == nil {
			ref = pt
			sg, err := s.signAt(f, h, pt)
			if err != nil {
				return false, err
			}
			if sg == 0 || positive && sg < 0 {
				return false, nil
			}
			good++
			continue
		}
		defined, eq, err := definedEq(s.numEqual(ratio, pt, ratio, ref))
		if !defined {
			continue
		}
		if err != nil || !eq {
			return false, err
		}
		good++
	}
	if len(names) == 0 {
		return good > 0, nil
	}
	if good < sp.min+1 {
		return s.sameTree(f, h), nil
	}
	return true, nil
}

func cqEqual(a, b cq) bool {
	if a.re.Cmp(b.re) != 0 {
		return false
	}
	ai, bi := a.im, b.im
	if ai == nil {
		ai = new(big.Rat)
	}
	if bi == nil {
		bi = new(big.Rat)
	}
	return ai.Cmp(bi) == 0
}

// definedAt evaluates n at pt cheaply to learn whether it is defined.
func (s *state) definedAt(n *node, pt env) (bool, error) {
	if _, ok, err := s.exact(n, pt); err != nil {
		return false, err
	} else if ok {
		return true, nil
	}
	e := &bev{s: s, prec: 128, vars: pt}
	if _, err := e.eval(n); err != nil {
		if errors.Is(err, errUndecided) {
			return true, nil
		}
		return false, err
	}
	return true, nil
}

// signAt returns the sign of f/h at pt (0 when f is zero there).
func (s *state) signAt(f, h *node, pt env) (int, error) {
	fx, ok1, err := s.exact(f, pt)
	if err != nil {
		return 0, err
	}
	hx, ok2, err := s.exact(h, pt)
	if err != nil {
		return 0, err
	}
	if ok1 && ok2 && fx.isReal() && hx.isReal() {
		return fx.re.Sign() * hx.re.Sign(), nil
	}
	for _, prec := range []uint{128, 512} {
		e := &bev{s: s, prec: prec, vars: pt}
		a, err := e.eval(f)
		if err != nil {
			return 0, err
		}
		b, err := e.eval(h)
		if err != nil {
			return 0, err
		}
		ra, err1 := realOf(a)
		rb, err2 := realOf(b)
		if err1 != nil || err2 != nil {
			return 1, nil
		}
		if lower(ra).Sign() > 0 && lower(rb).Sign() > 0 {
			return ra.m.Sign() * rb.m.Sign(), nil
		}
	}
	return 0, nil
}

func (s *state) sameTree(a, b *node) bool { return printNode(a) == printNode(b) }

func varNames(ns ...*node) []string {
	set := map[string]bool{}
	var walk func(n *node, bound []string)
	walk = func(n *node, bound []string) {
		if n == nil {
			return
		}
		if n.k == nVar && !slices.Contains(bound, n.s) {
			set[n.s] = true
		}
		if n.k == nFunc && n.fn.bigOp() {
			walk(n.args[0], append(bound[:len(bound):len(bound)], n.ops[0]))
			walk(n.args[1], bound)
			walk(n.args[2], bound)
			return
		}
		for _, a := range n.args {
			walk(a, bound)
		}
	}
	for _, n := range ns {
		walk(n, nil)
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// scalarEq compares two scalar expressions: exact rationals exactly,
// other constants by certified ball evaluation, expressions in variables
// at sample points; then the decimal rules of the policy.
func (s *state) scalarEq(g, p *node) (bool, error) {
	if gi, pi := infSign(g), infSign(p); gi != 0 || pi != 0 {
		return gi == pi, nil
	}
	if g.k == nBase || p.k == nBase {
		return baseEqual(g, p), nil
	}
	names := varNames(g, p)
	if len(names) > 0 {
		return s.exprEqual(g, p, names)
	}
	defined, eq, err := definedEq(s.numEqual(g, nil, p, nil))
	if !defined {
		return s.sameTree(g, p), nil
	}
	if err != nil {
		return false, err
	}
	if eq {
		return true, nil
	}
	if s.sig > 0 {
		return s.sigEqual(g, p)
	}
	// a rounded decimal gold: the prediction is compared at the gold's
	// printed precision (at least two significant digits)
	if gd, gv, ok := decLit(g); ok && gd >= 1 && sigDigits(g) >= 2 {
		// only a value without a finite decimal expansion (1/3, π) can
		// stand behind a rounded gold; a terminating prediction (1.54
		// for the gold 1.5) must be the same number
		if x, ok, err := s.exact(p, nil); err == nil && ok && (!x.isReal() || terminating(x.re)) {
			return false, nil
		}
		return s.within(p, gv, gd)
	}
	// a decimal prediction of an irrational or non-terminating gold: only
	// with at least minApproxDigits significant digits, correctly rounded
	if pd, pv, ok := decLit(p); ok && sigDigits(p) >= minApproxDigits {
		return s.within(g, pv, pd)
	}
	return false, nil
}

// baseEqual compares base-b numerals: the same base and digits, or a gold
// numeral against the same digits written without the subscript. The
// decimal value alone never matches (52_8 is not 42: the question asked for
// base 8).
func baseEqual(g, p *node) bool {
	digits := func(n *node) (string, string) {
		switch {
		case n.k == nBase:
			return strings.TrimLeft(strings.ToLower(n.s), "0"), n.val.RatString()
		case intLit(n):
			return strings.TrimLeft(n.s, "0"), ""
		}
		return "\x00", "?"
	}
	gd, gb := digits(g)
	pd, pb := digits(p)
	if gd != pd {
		return false
	}
	return gb == pb || g.k == nBase && pb == ""
}

// terminating reports whether r has a finite decimal expansion (its
// reduced denominator has no prime factors but 2 and 5).
func terminating(r *big.Rat) bool {
	d := new(big.Int).Set(r.Denom())
	d.Rsh(d, d.TrailingZeroBits())
	five := big.NewInt(5)
	m := new(big.Int)
	for d.Cmp(big.NewInt(1)) > 0 {
		q, rem := new(big.Int).QuoRem(d, five, m)
		if rem.Sign() != 0 {
			return false
		}
		d = q
	}
	return true
}

// minApproxDigits is the minimum number of significant digits a decimal
// prediction needs to stand for a gold value with no finite decimal
// expansion (see doc.go).
const minApproxDigits = 12

func infSign(n *node) int {
	switch {
	case n.isConst(cInf):
		return 1
	case n.k == nNeg && n.args[0].isConst(cInf):
		return -1
	}
	return 0
}

// decLit reports a decimal literal (possibly negated): its printed number
// of fractional digits and its value.
func decLit(n *node) (int, *big.Rat, bool) {
	neg := false
	if n.k == nNeg {
		neg, n = true, n.args[0]
	}
	if n.k != nNum || n.dec < 0 {
		return 0, nil, false
	}
	v := n.val
	if neg {
		v = new(big.Rat).Neg(v)
	}
	return n.dec, v, true
}

func sigDigits(n *node) int {
	if n.k == nNeg {
		n = n.args[0]
	}
	d := strings.TrimLeft(strings.Replace(n.s, ".", "", 1), "0")
	return len(d)
}

// within reports whether |x - c| <= 10^-d / 2, i.e. whether x rounds to the
// decimal c printed with d fractional digits.
func (s *state) within(x *node, c *big.Rat, d int) (bool, error) {
	if d > 400 {
		return false, nil
	}
	h := new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Mul(big.NewInt(2), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d)), nil)))
	xv, ok, err := s.exact(x, nil)
	if err != nil {
		return false, nil
	}
	if ok {
		if !xv.isReal() {
			return false, nil
		}
		diff := new(big.Rat).Sub(xv.re, c)
		return diff.Abs(diff).Cmp(h) <= 0, nil
	}
	for _, prec := range []uint{128, 512} {
		e := &bev{s: s, prec: prec}
		b, err := e.eval(x)
		if err != nil {
			if errors.Is(err, errBudget) && !errors.Is(err, errUndecided) {
				return false, err
			}
			continue
		}
		rb, err := realOf(b)
		if err != nil {
			return false, nil
		}
		diff := new(big.Float).SetPrec(prec).Sub(rb.m, new(big.Float).SetPrec(prec).SetRat(c))
		diff.Abs(diff)
		hf := new(big.Float).SetPrec(prec).SetRat(h)
		hi := new(big.Float).SetPrec(prec).Add(diff, rb.r)
		lo := new(big.Float).SetPrec(prec).Sub(diff, rb.r)
		if hi.Cmp(hf) <= 0 {
			return true, nil
		}
		if lo.Cmp(hf) > 0 {
			return false, nil
		}
	}
	return false, nil
}

// sigEqual compares at Options.SignificantDigits significant digits, at
// the gold's magnitude.
func (s *state) sigEqual(g, p *node) (bool, error) {
	e := &bev{s: s, prec: 256}
	gb, pb, err := both(e.eval, g, p)
	if err != nil {
		return false, nil
	}
	gr, err1 := realOf(gb)
	pr, err2 := realOf(pb)
	if err1 != nil || err2 != nil || gr.m.Sign() == 0 {
		return false, nil
	}
	// unit = 10^(floor(log10|g|) - N + 1)
	gf, _ := new(big.Float).Abs(gr.m).Float64()
	if gf == 0 {
		return false, nil
	}
	ex := 0
	for gf >= 10 {
		gf /= 10
		ex++
	}
	for gf < 1 {
		gf *= 10
		ex--
	}
	k := ex - s.sig + 1
	round := func(x *big.Float) *big.Int {
		y := new(big.Float).SetPrec(256).Set(x)
		t := new(big.Float).SetPrec(256).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(k))), nil))
		if k >= 0 {
			y.Quo(y, t)
		} else {
			y.Mul(y, t)
		}
		half := big.NewFloat(0.5)
		if y.Sign() < 0 {
			y.Sub(y, half)
		} else {
			y.Add(y, half)
		}
		i, _ := y.Int(nil)
		return i
	}
	return round(gr.m).Cmp(round(pr.m)) == 0, nil
}

// definedEq takes the result of a numeric comparison and reports whether
// both sides were defined (and real) where they were compared: a domain or
// unsupported error means they were not, and is dropped; eq and any other
// error pass through.
func definedEq(eq bool, err error) (defined, _ bool, _ error) {
	if err != nil && (errors.Is(err, errDomain) || errors.Is(err, errUnsupported)) {
		return false, false, nil
	}
	return true, eq, err
}

// exprEqual compares expressions in variables at random rational points
// (see sample.go for the bound on a wrong "equal"): equal at every point
// drawn where both sides are defined.
func (s *state) exprEqual(g, p *node, names []string) (bool, error) {
	sp, err := s.newSampler(names, g, p)
	if err != nil {
		return false, err
	}
	good, from := 0, 0
	for good < sp.need {
		pt, ok := sp.next()
		if !ok {
			break
		}
		ok, top, err := s.numEqualFrom(g, pt, p, pt, from)
		if top {
			// values that needed the top precision once will again
			from = len(precisions) - 1
		}
		defined, eq, err := definedEq(ok, err)
		if !defined {
			continue // try another point
		}
		if err != nil || !eq {
			return false, err
		}
		good++
	}
	if good < sp.min {
		return s.sameTree(g, p), nil
	}
	return true, nil
}

// precisions are the working precisions of the ball comparison; equality
// is only concluded at the last one, when the two values agree to within
// 2^-(320-64) = 2^-256 relative (about 77 significant digits).
var precisions = [...]uint{128, 320}

// numEqual compares a at point ea with b at point eb. Exact rationals are
// compared exactly; otherwise balls are evaluated at increasing precision
// until they are disjoint (not equal) or, at the top precision, the
// difference is within a radius below 2^-(prec-64) relative (equal).
func (s *state) numEqual(a *node, ea env, b *node, eb env) (bool, error) {
	eq, _, err := s.numEqualFrom(a, ea, b, eb, 0)
	return eq, err
}

// numEqualFrom is numEqual starting at precisions[from]; top reports that
// the ball comparison reached the top precision.
func (s *state) numEqualFrom(a *node, ea env, b *node, eb env, from int) (eq, top bool, err error) {
	x, okx, err := s.exact(a, ea)
	if err != nil {
		return false, false, err
	}
	y, oky, err := s.exact(b, eb)
	if err != nil {
		return false, false, err
	}
	if okx && oky {
		if x.re.Cmp(y.re) != 0 {
			return false, false, nil
		}
		xi, yi := x.im, y.im
		if xi == nil {
			xi = new(big.Rat)
		}
		if yi == nil {
			yi = new(big.Rat)
		}
		return xi.Cmp(yi) == 0, false, nil
	}
	prec := precisions[0]
	if from > 0 {
		prec = precisions[len(precisions)-1]
	}
	for range 8 {
		ea2 := &bev{s: s, prec: prec, vars: ea}
		eb2 := &bev{s: s, prec: prec, vars: eb}
		ba, err := ea2.eval(a)
		var bb cball
		if err == nil {
			bb, err = eb2.eval(b)
		}
		if err != nil && !errors.Is(err, errUndecided) {
			return false, top, err
		}
		// equality needs the top precision and more than twice the
		// magnitude span of the values met (2^1000+√2 vs 2^1000+1+√2)
		need := precisions[len(precisions)-1]
		if sp := uint(2*max(ea2.span, eb2.span) + 256); sp > need {
			need = sp
		}
		top = prec >= need
		if err == nil {
			res, decided := compareBalls(ba, bb, prec, top)
			if decided {
				return res, top, nil
			}
		}
		next := max(need, 2*prec)
		if prec < need {
			next = need
		}
		if next > maxPrec {
			break
		}
		prec = next
	}
	return false, top, errUndecided
}

// maxPrec bounds the working precision of the ball comparison.
const maxPrec = 1 << 13

// compareBalls returns (equal, decided).
func compareBalls(a, b cball, prec uint, top bool) (bool, bool) {
	zero := ball{new(big.Float), new(big.Float)}
	ai, bi := zero, zero
	if a.im != nil {
		ai = *a.im
	}
	if b.im != nil {
		bi = *b.im
	}
	sepRe, smallRe := separated(a.re, b.re, prec)
	sepIm, smallIm := separated(ai, bi, prec)
	if sepRe || sepIm {
		return false, true
	}
	if top && smallRe && smallIm {
		return true, true
	}
	return false, false
}

// separated reports whether two real balls are disjoint, and whether the
// combined radius is tiny relative to their size (overwhelming evidence
// of equality).
func separated(a, b ball, prec uint) (bool, bool) {
	d := new(big.Float).SetPrec(prec+64).Sub(a.m, b.m)
	d.Abs(d)
	r := new(big.Float).SetPrec(64).SetMode(big.AwayFromZero).Add(a.r, b.r)
	// radii are computed at 64 bits; 2^-32 relative slack covers their own
	// rounding over any number of operations we allow
	r.Add(r, new(big.Float).SetMantExp(r, -32))
	if d.Cmp(r) > 0 {
		return true, false
	}
	scale := new(big.Float).SetPrec(64).Abs(a.m)
	if t := new(big.Float).Abs(b.m); t.Cmp(scale) > 0 {
		scale = t
	}
	if scale.Cmp(big.NewFloat(1)) < 0 {
		scale = big.NewFloat(1)
	}
	lim := new(big.Float).SetMantExp(scale, -int(prec)+64)
	return false, r.Cmp(lim) <= 0
}

// hasMatrix reports a matrix among the operands of sums, products,
// negations and quotients at the top of n.
func hasMatrix(n *node, depth int) bool {
	switch n.k {
	case nMatrix:
		return true
	case nMul, nAdd, nNeg, nDiv:
		if depth > 50 {
			return false
		}
		for _, a := range n.args {
			if hasMatrix(a, depth+1) {
				return true
			}
		}
	}
	return false
}

// matArith evaluates scalar multiples, sums and products of matrices into
// one matrix of expressions: 2A, A+B, AB, -A, A/2. It returns nil when n
// holds no matrix or the shapes do not fit.
func matArith(n *node, depth int) *node {
	if depth > 50 {
		return nil
	}
	cell := func(m *node, i, j int) *node { return m.args[i].args[j] }
	build := func(rows, cols int, f func(i, j int) *node) *node {
		m := &node{k: nMatrix, dec: -1}
		for i := range rows {
			r := &node{k: nList, dec: -1}
			for j := range cols {
				r.args = append(r.args, f(i, j))
			}
			m.args = append(m.args, r)
		}
		return m
	}
	scale := func(m *node, k *node) *node {
		return build(len(m.args), len(m.args[0].args), func(i, j int) *node {
			return &node{k: nMul, args: []*node{k, cell(m, i, j)}, dec: -1}
		})
	}
	switch n.k {
	case nMatrix:
		return n
	case nNeg:
		if m := matArith(n.args[0], depth+1); m != nil {
			return scale(m, ratNode(big.NewRat(-1, 1)))
		}
	case nDiv:
		if m := matArith(n.args[0], depth+1); m != nil && matArith(n.args[1], depth+1) == nil && isScalar(n.args[1]) {
			return scale(m, &node{k: nDiv, args: []*node{ratNode(big.NewRat(1, 1)), n.args[1]}, dec: -1})
		}
	case nAdd:
		var acc *node
		for _, a := range n.args {
			m := matArith(a, depth+1)
			if m == nil {
				return nil
			}
			if acc == nil {
				acc = m
				continue
			}
			if len(m.args) != len(acc.args) || len(m.args[0].args) != len(acc.args[0].args) {
				return nil
			}
			prev := acc
			acc = build(len(m.args), len(m.args[0].args), func(i, j int) *node {
				return &node{k: nAdd, args: []*node{cell(prev, i, j), cell(m, i, j)}, dec: -1}
			})
		}
		return acc
	case nMul:
		var acc *node
		var scalars []*node
		for _, a := range n.args {
			m := matArith(a, depth+1)
			switch {
			case m == nil && isScalar(a):
				scalars = append(scalars, a)
			case m == nil:
				return nil
			case acc == nil:
				acc = m
			default:
				// (r×k)(k×c)
				k := len(acc.args[0].args)
				if len(m.args) != k {
					return nil
				}
				prev := acc
				acc = build(len(prev.args), len(m.args[0].args), func(i, j int) *node {
					sum := &node{k: nAdd, dec: -1}
					for t := range k {
						sum.args = append(sum.args, &node{k: nMul, args: []*node{cell(prev, i, t), cell(m, t, j)}, dec: -1})
					}
					return sum
				})
			}
		}
		if acc == nil {
			return nil
		}
		for _, k := range scalars {
			acc = scale(acc, k)
		}
		return acc
	}
	return nil
}

// mergeIntervals writes a union of intervals with exact ends as disjoint
// intervals in increasing order ([1,3] ∪ [3,5] is [1,5]); a union that
// becomes one interval is that interval. Unions with other parts, or ends
// that are not exact, are left alone.
func (s *state) mergeIntervals(u *node) *node {
	type iv struct {
		lo, hi         *big.Rat // nil: -∞ or +∞
		loC, hiC       bool
		loNode, hiNode *node
	}
	end := func(n *node) (*big.Rat, int, bool) {
		if sg := infSign(n); sg != 0 {
			return nil, sg, true
		}
		x, ok, err := s.exact(n, nil)
		if err != nil || !ok || !x.isReal() {
			return nil, 0, false
		}
		return x.re, 0, true
	}
	less := func(a, b *big.Rat, aInf, bInf int) int { // compare with infinities
		switch {
		case aInf != 0 || bInf != 0:
			return aInf - bInf
		}
		return a.Cmp(b)
	}
	var ivs []iv
	var loInf, hiInf []int
	for _, a := range u.args {
		if a.k != nTuple || len(a.args) != 2 {
			return u
		}
		lo, li, ok1 := end(a.args[0])
		hi, hs, ok2 := end(a.args[1])
		if !ok1 || !ok2 || li > 0 || hs < 0 || less(lo, hi, li, hs) > 0 {
			return u
		}
		ivs = append(ivs, iv{lo, hi, a.br&brLoClosed != 0, a.br&brHiClosed != 0, a.args[0], a.args[1]})
		loInf, hiInf = append(loInf, li), append(hiInf, hs)
	}
	idx := make([]int, len(ivs))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool {
		i, j := idx[a], idx[b]
		if c := less(ivs[i].lo, ivs[j].lo, loInf[i], loInf[j]); c != 0 {
			return c < 0
		}
		return ivs[i].loC && !ivs[j].loC
	})
	var out []int
	merged := false
	for _, i := range idx {
		if len(out) > 0 {
			k := out[len(out)-1]
			c := less(ivs[i].lo, ivs[k].hi, loInf[i], hiInf[k])
			if c < 0 || c == 0 && (ivs[i].loC || ivs[k].hiC) && loInf[i] == 0 {
				merged = true
				switch d := less(ivs[i].hi, ivs[k].hi, hiInf[i], hiInf[k]); {
				case d > 0:
					ivs[k].hi, ivs[k].hiC, ivs[k].hiNode, hiInf[k] = ivs[i].hi, ivs[i].hiC, ivs[i].hiNode, hiInf[i]
				case d == 0:
					ivs[k].hiC = ivs[k].hiC || ivs[i].hiC
				}
				if less(ivs[i].lo, ivs[k].lo, loInf[i], loInf[k]) == 0 {
					ivs[k].loC = ivs[k].loC || ivs[i].loC
				}
				continue
			}
		}
		out = append(out, i)
	}
	if !merged {
		return u
	}
	res := &node{k: nUnion, dec: -1}
	for _, k := range out {
		var b bracket
		if ivs[k].loC {
			b |= brLoClosed
		}
		if ivs[k].hiC {
			b |= brHiClosed
		}
		res.args = append(res.args, &node{k: nTuple, br: b, args: []*node{ivs[k].loNode, ivs[k].hiNode}, dec: -1})
	}
	if len(res.args) == 1 {
		return res.args[0]
	}
	return res
}

// clockLike reports a ratio printed as a clock time: h:mm with h < 24
// and two printed minute digits below 60 (12:00, 4:30).
func clockLike(n *node) bool {
	if n.k != nRatio || len(n.args) != 2 {
		return false
	}
	h, m := n.args[0], n.args[1]
	return intLit(h) && intLit(m) && len(m.s) == 2 && h.val.Cmp(big.NewRat(24, 1)) < 0 && m.val.Cmp(big.NewRat(60, 1)) < 0
}

// clockTime reads a time with a.m. or p.m.: 4:30 p.m., 4 pm (hours 1 to
// 12); nil for anything else.
func clockTime(n *node) *node {
	var hour, min *node
	var mark string
	switch {
	case n.k == nUnit && (n.s == "am" || n.s == "pm"):
		hour, mark = n.args[0], n.s
	case n.k == nRatio && len(n.args) == 2 && n.args[1].k == nUnit && (n.args[1].s == "am" || n.args[1].s == "pm"):
		hour, min, mark = n.args[0], n.args[1].args[0], n.args[1].s
	default:
		return nil
	}
	if !intLit(hour) || !hour.val.Num().IsInt64() {
		return nil
	}
	h := hour.val.Num().Int64()
	m := int64(0)
	if min != nil {
		if !intLit(min) || len(min.s) != 2 || min.val.Num().Int64() >= 60 {
			return nil
		}
		m = min.val.Num().Int64()
	}
	if h < 1 || h > 12 {
		return nil
	}
	h %= 12
	if mark == "pm" {
		h += 12
	}
	return &node{k: nTime, val: big.NewRat(h*60+m, 1), dec: -1}
}

// timeMatches compares a time of day with a clock-like ratio: the same
// time on a 24-hour clock, or on a 12-hour clock when the ratio has no
// a.m./p.m. (4:30 for 4:30 p.m.).
func timeMatches(t, r *node) bool {
	if !clockLike(r) {
		return false
	}
	h, m := r.args[0].val.Num().Int64(), r.args[1].val.Num().Int64()
	want := t.val.Num().Int64()
	if h*60+m == want {
		return true
	}
	return h >= 1 && h <= 12 && (h%12)*60+m+720 == want || h >= 1 && h <= 12 && (h%12)*60+m == want
}

// proportionalRatio reports a:b:c = k·(d:e:f) for exact non-zero parts.
func (s *state) proportionalRatio(a, b []*node) bool {
	if len(a) != len(b) || len(a) < 2 {
		return false
	}
	val := func(n *node) *big.Rat {
		x, ok, err := s.exact(n, nil)
		if err != nil || !ok || !x.isReal() || x.re.Sign() == 0 {
			return nil
		}
		return x.re
	}
	a0, b0 := val(a[0]), val(b[0])
	if a0 == nil || b0 == nil {
		return false
	}
	for i := 1; i < len(a); i++ {
		ai, bi := val(a[i]), val(b[i])
		if ai == nil || bi == nil {
			return false
		}
		if new(big.Rat).Mul(ai, b0).Cmp(new(big.Rat).Mul(bi, a0)) != 0 {
			return false
		}
	}
	return true
}
