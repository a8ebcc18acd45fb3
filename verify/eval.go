package verify

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// errDomain marks an undefined value (division by zero, log of zero).
var errDomain = errors.New("undefined value")

// errUnsupported marks a node that has no numeric value (free variable,
// text, structure).
var errUnsupported = errors.New("no numeric value")

// cq is an exact complex rational; im == nil means a real number.
type cq struct {
	re, im *big.Rat
}

func (a cq) isReal() bool { return a.im == nil || a.im.Sign() == 0 }

// env assigns exact values to variables at one sample point.
type env map[string]cq

var ratOne = big.NewRat(1, 1)

func (s *state) ratOK(r *big.Rat) error {
	if !s.bitsOK(r.Num().BitLen()) || !s.bitsOK(r.Denom().BitLen()) {
		return errBudget
	}
	return s.tick()
}

// exact evaluates n to an exact complex rational. ok=false (with a nil
// error) means the value is not rational (it needs ball evaluation).
func (s *state) exact(n *node, vars env) (v cq, ok bool, err error) {
	if len(vars) == 0 {
		switch n.exState {
		case 1:
			return n.ex, true, nil
		case 2:
			return cq{}, false, nil
		}
		v, ok, err = s.exact1(n, vars)
		if err == nil {
			if ok {
				n.exState, n.ex = 1, v
			} else {
				n.exState = 2
			}
		}
		return v, ok, err
	}
	return s.exact1(n, vars)
}

func (s *state) exact1(n *node, vars env) (v cq, ok bool, err error) {
	if err := s.tick(); err != nil {
		return cq{}, false, err
	}
	switch n.k {
	case nNum:
		return cq{re: n.val}, true, nil
	case nBase:
		base := int(n.val.Num().Int64())
		ip, fp, _ := strings.Cut(n.s, ".")
		x, ok := new(big.Int).SetString(ip+fp, base)
		if !ok {
			return cq{}, false, errParse
		}
		r := new(big.Rat).SetInt(x)
		if len(fp) > 0 {
			// 0.0011_2 = 11_2 / 2^4
			r.Quo(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(int64(base)), big.NewInt(int64(len(fp))), nil)))
		}
		return cq{re: r}, true, nil
	case nConst:
		switch n.cst {
		case cI:
			return cq{re: new(big.Rat), im: big.NewRat(1, 1)}, true, nil
		case cInf:
			return cq{}, false, errUnsupported
		}
		return cq{}, false, nil
	case nVar:
		if x, ok := vars[n.s]; ok {
			return x, true, nil
		}
		return cq{}, false, fmt.Errorf("free variable %s: %w", n.s, errUnsupported)
	case nAdd:
		return s.exactFold(n.args, vars, cq{re: new(big.Rat)}, cadd, func(x cq) error { return s.ratOK(x.re) })
	case nMul:
		return s.exactFold(n.args, vars, cq{re: big.NewRat(1, 1)}, cmul, s.cqOK)
	case nNeg:
		x, ok, err := s.exact(n.args[0], vars)
		if !ok || err != nil {
			return cq{}, ok, err
		}
		return cneg(x), true, nil
	case nDiv:
		a, b, ok1, ok2, err := s.exactPair(n, vars)
		if err != nil {
			return cq{}, false, err
		}
		if !ok1 || !ok2 {
			return cq{}, false, nil
		}
		q, err := cdiv(a, b)
		if err != nil {
			return cq{}, false, err
		}
		return q, true, s.cqOK(q)
	case nPow:
		return s.exactPow(n, vars)
	case nFact:
		x, ok, err := s.exact(n.args[0], vars)
		if !ok || err != nil {
			return cq{}, ok, err
		}
		k, err := s.smallInt(x)
		if err != nil {
			return cq{}, false, err
		}
		if k < 0 {
			return cq{}, false, errDomain
		}
		if k > 2 && !s.bitsOK(int(float64(k)*log2(float64(k)))) {
			return cq{}, false, errBudget
		}
		f := new(big.Int).MulRange(1, k)
		if k > 1000 {
			if err := s.checkTime(); err != nil {
				return cq{}, false, err
			}
		}
		return cq{re: new(big.Rat).SetInt(f)}, true, nil
	case nFunc:
		if n.fn.bigOp() {
			return s.exactBigOp(n, vars)
		}
		if n.fn == fnGcd || n.fn == fnLcm {
			return s.exactGcd(n, vars)
		}
		return s.exactFunc(n, vars)
	case nDeg:
		x, ok, err := s.exact(n.args[0], vars)
		if !ok || err != nil {
			return cq{}, ok, err
		}
		if x.isReal() && x.re.Sign() == 0 {
			return cq{re: new(big.Rat)}, true, nil
		}
		return cq{}, false, nil
	}
	return cq{}, false, fmt.Errorf("%s node: %w", kindName(n.k), errUnsupported)
}

func log2(x float64) float64 {
	b := 0.0
	for x >= 2 {
		x /= 2
		b++
	}
	return b + 1
}

func (s *state) cqOK(x cq) error {
	if err := s.ratOK(x.re); err != nil {
		return err
	}
	if x.im != nil {
		return s.ratOK(x.im)
	}
	return nil
}

func (s *state) smallInt(x cq) (int64, error) {
	if !x.isReal() || !x.re.IsInt() {
		return 0, fmt.Errorf("not an integer: %w", errUnsupported)
	}
	if !x.re.Num().IsInt64() {
		return 0, errBudget
	}
	k := x.re.Num().Int64()
	if k > int64(s.b.MaxExponent) || k < -int64(s.b.MaxExponent) {
		return 0, errBudget
	}
	return k, nil
}

func cadd(a, b cq) cq {
	r := cq{re: new(big.Rat).Add(a.re, b.re)}
	if a.im != nil || b.im != nil {
		r.im = new(big.Rat)
		if a.im != nil {
			r.im.Add(r.im, a.im)
		}
		if b.im != nil {
			r.im.Add(r.im, b.im)
		}
	}
	return r
}

func cneg(a cq) cq {
	r := cq{re: new(big.Rat).Neg(a.re)}
	if a.im != nil {
		r.im = new(big.Rat).Neg(a.im)
	}
	return r
}

func cmul(a, b cq) cq {
	if a.isReal() && b.isReal() {
		return cq{re: new(big.Rat).Mul(a.re, b.re)}
	}
	ai, bi := a.im, b.im
	if ai == nil {
		ai = new(big.Rat)
	}
	if bi == nil {
		bi = new(big.Rat)
	}
	re := new(big.Rat).Mul(a.re, b.re)
	re.Sub(re, new(big.Rat).Mul(ai, bi))
	im := new(big.Rat).Mul(a.re, bi)
	im.Add(im, new(big.Rat).Mul(ai, b.re))
	return cq{re: re, im: im}
}

func cdiv(a, b cq) (cq, error) {
	if b.isReal() {
		if b.re.Sign() == 0 {
			return cq{}, errDomain
		}
		r := cq{re: new(big.Rat).Quo(a.re, b.re)}
		if a.im != nil {
			r.im = new(big.Rat).Quo(a.im, b.re)
		}
		return r, nil
	}
	// a / b = a * conj(b) / |b|^2
	n2 := new(big.Rat).Mul(b.re, b.re)
	n2.Add(n2, new(big.Rat).Mul(b.im, b.im))
	c := cmul(a, cq{re: b.re, im: new(big.Rat).Neg(b.im)})
	c.re.Quo(c.re, n2)
	c.im.Quo(c.im, n2)
	return c, nil
}

// exactFold folds the exact values of args into acc with op, checking every
// partial result with check; ok is false when an argument has no exact
// value (the arguments are still all evaluated, for their errors).
func (s *state) exactFold(args []*node, vars env, acc cq, op func(a, b cq) cq, check func(cq) error) (cq, bool, error) {
	allOK := true
	for _, a := range args {
		x, ok, err := s.exact(a, vars)
		if err != nil {
			return cq{}, false, err
		}
		if !ok {
			allOK = false
			continue
		}
		if allOK {
			acc = op(acc, x)
			if err := check(acc); err != nil {
				return cq{}, false, err
			}
		}
	}
	return acc, allOK, nil
}

// exactPair returns the exact values of a binary node's two arguments and
// whether each has one.
func (s *state) exactPair(n *node, vars env) (a, b cq, okA, okB bool, err error) {
	if a, okA, err = s.exact(n.args[0], vars); err != nil {
		return cq{}, cq{}, false, false, err
	}
	if b, okB, err = s.exact(n.args[1], vars); err != nil {
		return cq{}, cq{}, false, false, err
	}
	return a, b, okA, okB, nil
}

func (s *state) exactPow(n *node, vars env) (cq, bool, error) {
	b, e, ok1, ok2, err := s.exactPair(n, vars)
	if err != nil {
		return cq{}, false, err
	}
	if !ok2 {
		return cq{}, false, nil
	}
	if !e.isReal() {
		return cq{}, false, nil
	}
	if !ok1 {
		return cq{}, false, nil
	}
	if e.re.IsInt() {
		k, err := s.smallInt(e)
		if err != nil {
			return cq{}, false, err
		}
		return s.cpowInt(b, k)
	}
	// rational exponent p/q of a positive rational: exact when perfect powers.
	if !b.isReal() || b.re.Sign() < 0 {
		return cq{}, false, nil
	}
	if b.re.Sign() == 0 {
		if e.re.Sign() > 0 {
			return cq{re: new(big.Rat)}, true, nil
		}
		return cq{}, false, errDomain
	}
	q := e.re.Denom()
	if !q.IsInt64() || q.Int64() > 64 {
		return cq{}, false, nil
	}
	r, ok := ratRoot(b.re, q.Int64())
	if !ok {
		return cq{}, false, nil
	}
	pn := e.re.Num()
	if !pn.IsInt64() {
		return cq{}, false, errBudget
	}
	return s.cpowInt(cq{re: r}, pn.Int64())
}

func (s *state) cpowInt(b cq, k int64) (cq, bool, error) {
	if k > int64(s.b.MaxExponent) || k < -int64(s.b.MaxExponent) {
		return cq{}, false, errBudget
	}
	neg := k < 0
	if neg {
		k = -k
	}
	if b.isReal() {
		bits := b.re.Num().BitLen() + b.re.Denom().BitLen()
		if bits > 1 && !s.bitsOK(int(k)*(bits-1)) {
			return cq{}, false, errBudget
		}
		num := new(big.Int).Exp(b.re.Num(), big.NewInt(k), nil)
		den := new(big.Int).Exp(b.re.Denom(), big.NewInt(k), nil)
		if neg {
			if num.Sign() == 0 {
				return cq{}, false, errDomain
			}
			num, den = den, num
		}
		return cq{re: new(big.Rat).SetFrac(num, den)}, true, nil
	}
	res := cq{re: big.NewRat(1, 1)}
	x := b
	for k > 0 {
		if k&1 == 1 {
			res = cmul(res, x)
			if err := s.cqOK(res); err != nil {
				return cq{}, false, err
			}
		}
		k >>= 1
		if k > 0 {
			x = cmul(x, x)
			if err := s.cqOK(x); err != nil {
				return cq{}, false, err
			}
		}
	}
	if neg {
		r, err := cdiv(cq{re: big.NewRat(1, 1)}, res)
		return r, err == nil, err
	}
	return res, true, nil
}

// ratRoot returns the exact q-th root of a positive rational, if any.
func ratRoot(x *big.Rat, q int64) (*big.Rat, bool) {
	a, ok1 := intRoot(x.Num(), q)
	b, ok2 := intRoot(x.Denom(), q)
	if !ok1 || !ok2 {
		return nil, false
	}
	return new(big.Rat).SetFrac(a, b), true
}

// intRoot returns the exact q-th root of a non-negative integer, if any.
func intRoot(x *big.Int, q int64) (*big.Int, bool) {
	if x.Sign() < 0 {
		return nil, false
	}
	if q == 2 {
		r := new(big.Int).Sqrt(x)
		return r, new(big.Int).Mul(r, r).Cmp(x) == 0
	}
	if x.BitLen() <= 1 {
		return new(big.Int).Set(x), true
	}
	// Newton iteration from above.
	r := new(big.Int).Lsh(big.NewInt(1), uint(x.BitLen()/int(q)+1))
	qb := big.NewInt(q)
	q1 := big.NewInt(q - 1)
	for range 4000 {
		// r' = ((q-1) r + x / r^(q-1)) / q
		t := new(big.Int).Exp(r, q1, nil)
		t.Quo(x, t)
		t.Add(t, new(big.Int).Mul(q1, r))
		t.Quo(t, qb)
		if t.Cmp(r) >= 0 {
			break
		}
		r = t
	}
	return r, new(big.Int).Exp(r, qb, nil).Cmp(x) == 0
}

func (s *state) exactFunc(n *node, vars env) (cq, bool, error) {
	x, ok, err := s.exact(n.args[0], vars)
	if err != nil || !ok {
		if err == nil && n.fn == fnBinom {
			return cq{}, false, fmt.Errorf("binom of a non-rational: %w", errUnsupported)
		}
		return cq{}, false, err
	}
	switch n.fn {
	case fnSqrt:
		if !x.isReal() {
			return cq{}, false, nil
		}
		if x.re.Sign() < 0 {
			r, ok := ratRoot(new(big.Rat).Neg(x.re), 2)
			if !ok {
				return cq{}, false, nil
			}
			return cq{re: new(big.Rat), im: r}, true, nil
		}
		r, ok := ratRoot(x.re, 2)
		return cq{re: r}, ok, nil
	case fnRoot:
		k, ok, err := s.exact(n.args[1], vars)
		if err != nil || !ok {
			return cq{}, false, err
		}
		q, err := s.smallInt(k)
		if err != nil || q < 2 || q > 64 {
			return cq{}, false, fmt.Errorf("root index: %w", errUnsupported)
		}
		if !x.isReal() {
			return cq{}, false, nil
		}
		if x.re.Sign() < 0 {
			if q%2 == 0 {
				return cq{}, false, nil
			}
			r, ok := ratRoot(new(big.Rat).Neg(x.re), q)
			if !ok {
				return cq{}, false, nil
			}
			return cq{re: r.Neg(r)}, true, nil
		}
		r, ok := ratRoot(x.re, q)
		return cq{re: r}, ok, nil
	case fnConj:
		if x.im == nil {
			return x, true, nil
		}
		return cq{re: x.re, im: new(big.Rat).Neg(x.im)}, true, nil
	case fnAbs:
		if x.isReal() {
			return cq{re: new(big.Rat).Abs(x.re)}, true, nil
		}
		m := new(big.Rat).Mul(x.re, x.re)
		m.Add(m, new(big.Rat).Mul(x.im, x.im))
		r, ok := ratRoot(m, 2)
		return cq{re: r}, ok, nil
	case fnFloor, fnCeil:
		if !x.isReal() {
			return cq{}, false, errUnsupported
		}
		q := new(big.Int).Quo(x.re.Num(), x.re.Denom())
		// Quo truncates toward zero
		if !x.re.IsInt() {
			if n.fn == fnFloor && x.re.Sign() < 0 {
				q.Sub(q, big.NewInt(1))
			}
			if n.fn == fnCeil && x.re.Sign() > 0 {
				q.Add(q, big.NewInt(1))
			}
		}
		return cq{re: new(big.Rat).SetInt(q)}, true, nil
	case fnBinom:
		k, ok, err := s.exact(n.args[1], vars)
		if err != nil || !ok {
			return cq{}, false, err
		}
		nn, err := s.smallInt(x)
		if err != nil {
			return cq{}, false, err
		}
		kk, err := s.smallInt(k)
		if err != nil {
			return cq{}, false, err
		}
		if kk < 0 || nn < 0 || kk > nn {
			return cq{re: new(big.Rat)}, true, nil
		}
		if !s.bitsOK(int(nn)) {
			return cq{}, false, errBudget
		}
		return cq{re: new(big.Rat).SetInt(new(big.Int).Binomial(nn, kk))}, true, nil
	case fnSin, fnTan, fnArcsin, fnArctan, fnSinh, fnTanh:
		if x.isReal() && x.re.Sign() == 0 {
			return cq{re: new(big.Rat)}, true, nil
		}
	case fnCos, fnCosh, fnExp:
		if x.isReal() && x.re.Sign() == 0 {
			return cq{re: big.NewRat(1, 1)}, true, nil
		}
	case fnLn:
		if x.isReal() && x.re.Cmp(ratOne) == 0 {
			return cq{re: new(big.Rat)}, true, nil
		}
	case fnLog:
		if len(n.args) == 1 && x.isReal() && x.re.Cmp(ratOne) == 0 {
			return cq{re: new(big.Rat)}, true, nil
		}
		if len(n.args) == 2 {
			b, ok, err := s.exact(n.args[1], vars)
			if err != nil || !ok {
				return cq{}, false, err
			}
			if r, ok := exactLog(x, b); ok {
				return cq{re: r}, true, nil
			}
		} else if r, ok := exactLog(x, cq{re: big.NewRat(10, 1)}); ok {
			return cq{re: r}, true, nil
		}
	}
	return cq{}, false, nil
}

// exactGcd evaluates gcd and lcm of integers (non-negative results; the
// gcd of zeros is 0, an lcm with a zero is 0).
func (s *state) exactGcd(n *node, vars env) (cq, bool, error) {
	acc := new(big.Int)
	for i, a := range n.args {
		x, ok, err := s.exact(a, vars)
		if err != nil || !ok {
			return cq{}, false, err
		}
		if !x.isReal() || !x.re.IsInt() {
			return cq{}, false, fmt.Errorf("%s of a non-integer: %w", n.fn, errUnsupported)
		}
		v := new(big.Int).Abs(x.re.Num())
		if !s.bitsOK(v.BitLen()) || !s.bitsOK(acc.BitLen()+v.BitLen()) {
			return cq{}, false, errBudget
		}
		switch {
		case i == 0:
			acc = v
		case n.fn == fnGcd:
			acc.GCD(nil, nil, acc, v)
		case acc.Sign() == 0 || v.Sign() == 0:
			acc.SetInt64(0)
		default:
			g := new(big.Int).GCD(nil, nil, acc, v)
			acc.Mul(acc, v.Quo(v, g))
		}
	}
	return cq{re: new(big.Rat).SetInt(acc)}, true, nil
}

// exactLog returns log_b(x) when it is an integer or the reciprocal of one
// (log_2 8 = 3, log_8 2 = 1/3, log_2 (1/4) = -2).
func exactLog(x, b cq) (*big.Rat, bool) {
	if !x.isReal() || !b.isReal() || x.re.Sign() <= 0 || b.re.Sign() <= 0 || b.re.Cmp(ratOne) == 0 {
		return nil, false
	}
	// only integer or unit-fraction bases (2, 10, 1/2): the powers tried
	// below then grow by at least one bit per step
	if !b.re.IsInt() && b.re.Num().Cmp(big.NewInt(1)) != 0 {
		return nil, false
	}
	try := func(v, base *big.Rat) (int64, bool) {
		// v = base^k for integer k?
		inv := false
		if v.Cmp(ratOne) < 0 && base.Cmp(ratOne) > 0 || v.Cmp(ratOne) > 0 && base.Cmp(ratOne) < 0 {
			v = new(big.Rat).Inv(v)
			inv = true
		}
		p := new(big.Rat).Set(ratOne)
		limit := int64(v.Num().BitLen()+v.Denom().BitLen()) + 1
		for k := int64(0); k <= limit && k <= 4096; k++ {
			c := p.Cmp(v)
			if c == 0 {
				if inv {
					return -k, true
				}
				return k, true
			}
			if base.Cmp(ratOne) > 0 && c > 0 || base.Cmp(ratOne) < 0 && c < 0 {
				return 0, false
			}
			p.Mul(p, base)
		}
		return 0, false
	}
	if k, ok := try(x.re, b.re); ok {
		return big.NewRat(k, 1), true
	}
	if k, ok := try(b.re, x.re); ok && k != 0 {
		return big.NewRat(1, k), true
	}
	return nil, false
}

func kindName(k nkind) string {
	names := [...]string{"number", "constant", "variable", "sum", "product", "negation", "quotient", "power",
		"function", "factorial", "plus-minus", "degrees", "base numeral", "tuple", "set", "list", "union",
		"matrix", "relation", "text", "unit", "ellipsis", "ratio", "time"}
	if int(k) < len(names) {
		return names[k]
	}
	return "node"
}

// maxLoopTerms bounds a sum or product evaluated term by term.
const maxLoopTerms = 2000

// bigOpRange returns the bounds of a sum or product.
func (s *state) bigOpRange(n *node, vars env) (lo, hi int64, err error) {
	a, ok1, err := s.exact(n.args[1], vars)
	if err != nil {
		return 0, 0, err
	}
	b, ok2, err := s.exact(n.args[2], vars)
	if err != nil {
		return 0, 0, err
	}
	if !ok1 || !ok2 || !a.isReal() || !b.isReal() || !a.re.IsInt() || !b.re.IsInt() ||
		!a.re.Num().IsInt64() || !b.re.Num().IsInt64() {
		return 0, 0, fmt.Errorf("bounds of a %s: %w", n.s, errUnsupported)
	}
	lo, hi = a.re.Num().Int64(), b.re.Num().Int64()
	if lo < -1e15 || hi > 1e15 {
		return 0, 0, errBudget
	}
	return lo, hi, nil
}

func withVar(vars env, name string, k int64) env {
	e := make(env, len(vars)+1)
	for key, v := range vars {
		e[key] = v
	}
	e[name] = cq{re: big.NewRat(k, 1)}
	return e
}

// exactBigOp evaluates a sum or product exactly: term by term for up to
// maxLoopTerms terms, or, for a sum whose body is a polynomial of degree d
// in the bound variable, by interpolating the partial sums (a polynomial of
// degree d+1) from d+2 values.
func (s *state) exactBigOp(n *node, vars env) (cq, bool, error) {
	lo, hi, err := s.bigOpRange(n, vars)
	if err != nil {
		return cq{}, false, err
	}
	k := n.ops[0]
	acc := cq{re: new(big.Rat)}
	if n.fn == fnProd {
		acc = cq{re: big.NewRat(1, 1)}
	}
	if hi < lo {
		return acc, true, nil
	}
	count := hi - lo + 1
	if count <= maxLoopTerms {
		for i := lo; i <= hi; i++ {
			x, ok, err := s.exact(n.args[0], withVar(vars, k, i))
			if err != nil || !ok {
				return cq{}, ok, err
			}
			if n.fn == fnSum {
				acc = cadd(acc, x)
			} else {
				acc = cmul(acc, x)
			}
			if err := s.cqOK(acc); err != nil {
				return cq{}, false, err
			}
		}
		return acc, true, nil
	}
	d, ok := polyDegree(n.args[0], k)
	if n.fn != fnSum || !ok || d > 40 {
		return cq{}, false, fmt.Errorf("%s of %d terms: %w", n.s, count, errBudget)
	}
	// partial sums S(j) = sum_{i=lo}^{lo+j} f(i), j = 0..d+1
	m := d + 2
	ys := make([]cq, m)
	run := cq{re: new(big.Rat)}
	for j := 0; j < m; j++ {
		x, ok, err := s.exact(n.args[0], withVar(vars, k, lo+int64(j)))
		if err != nil || !ok {
			return cq{}, ok, err
		}
		run = cadd(run, x)
		ys[j] = run
	}
	// Lagrange interpolation at t = count-1
	t := big.NewRat(count-1, 1)
	res := cq{re: new(big.Rat)}
	for j := 0; j < m; j++ {
		w := big.NewRat(1, 1)
		for i := 0; i < m; i++ {
			if i == j {
				continue
			}
			num := new(big.Rat).Sub(t, big.NewRat(int64(i), 1))
			w.Mul(w, num.Quo(num, big.NewRat(int64(j-i), 1)))
		}
		res = cadd(res, cmul(ys[j], cq{re: w}))
		if err := s.cqOK(res); err != nil {
			return cq{}, false, err
		}
	}
	return res, true, nil
}

// polyDegree returns the degree of n as a polynomial in the variable k,
// when it syntactically is one.
func polyDegree(n *node, k string) (int, bool) {
	switch n.k {
	case nNum, nConst, nBase:
		return 0, true
	case nVar:
		if n.s == k {
			return 1, true
		}
		return 0, true
	case nNeg:
		return polyDegree(n.args[0], k)
	case nAdd, nMul:
		total := 0
		for _, a := range n.args {
			d, ok := polyDegree(a, k)
			if !ok {
				return 0, false
			}
			if n.k == nAdd {
				total = max(total, d)
			} else {
				total += d
			}
		}
		return total, true
	case nDiv:
		a, ok1 := polyDegree(n.args[0], k)
		b, ok2 := polyDegree(n.args[1], k)
		return a, ok1 && ok2 && b == 0
	case nPow:
		b, ok := polyDegree(n.args[0], k)
		if !ok {
			return 0, false
		}
		if b == 0 {
			e, ok := polyDegree(n.args[1], k)
			return 0, ok && e == 0
		}
		if !intLit(n.args[1]) || !n.args[1].val.Num().IsInt64() || n.args[1].val.Num().Int64() > 64 {
			return 0, false
		}
		return b * int(n.args[1].val.Num().Int64()), true
	case nFunc, nFact:
		for _, a := range n.args {
			if d, ok := polyDegree(a, k); !ok || d != 0 {
				return 0, false
			}
		}
		return 0, !n.fn.bigOp()
	}
	return 0, false
}
