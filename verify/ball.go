package verify

import (
	"fmt"
	"math"
	"math/big"
	"sync"
)

// ball is a real interval [m-r, m+r]: a midpoint at the working precision
// and a radius (64 bits, rounded up) that bounds every rounding and
// propagation error. Inequality is proven when two balls are disjoint.
//
// The primitives (add, mul, inv, sqrt, root, exp, log, pi, sincos, atan)
// each state their bound; everything else (complex arithmetic, integer and
// real powers, tan, sec, sinh, asin, log to a base...) is composed of them
// and so holds by composition. The tests in ball_ref_test.go check every
// primitive against an independent reference at 500-2000 bits.
type ball struct {
	m, r *big.Float
}

// cball is a complex ball; im == nil means exactly real.
type cball struct {
	re ball
	im *ball
}

// bev evaluates at one precision.
type bev struct {
	s    *state
	prec uint
	vars env
	// span is the largest binary magnitude (|exponent|, or bit length of
	// an exact part) met while evaluating: differences below 2^-span
	// relative can hide in it, so equality needs more than 2·span bits.
	span int
}

func (e *bev) note(b cball) {
	e.noteF(b.re)
	if b.im != nil {
		e.noteF(*b.im)
	}
}

// noteF counts a value that is certainly non-zero (a ball around zero,
// such as sin π, is rounding noise, not magnitude).
func (e *bev) noteF(b ball) {
	m := b.m
	if m.Sign() == 0 || lower(b).Sign() <= 0 {
		return
	}
	x := m.MantExp(nil)
	if x < 0 {
		x = -x
	}
	if x > e.span {
		e.span = x
	}
}

const maxBinExp = 1 << 22

// Radii are 64-bit floats rounded so that a ball never gets too small: a
// quantity that bounds an error from above (a radius, a sum or product of
// such bounds, a numerator) is rounded up, with rnew; a quantity that
// divides such a bound (a lower bound of |x|) is rounded down, with rdown.

// rnew returns a 64-bit float that rounds up in magnitude (away from zero).
func rnew() *big.Float { return new(big.Float).SetPrec(64).SetMode(big.AwayFromZero) }

// rdown returns a 64-bit float that rounds down in magnitude (toward zero).
func rdown() *big.Float { return new(big.Float).SetPrec(64).SetMode(big.ToZero) }

// quoUp returns num/den rounded up, for an upper bound num >= 0 and a lower
// bound den > 0 (each already rounded its safe way).
func quoUp(num, den *big.Float) *big.Float { return rnew().Quo(num, den) }

// mulDown returns |a|·|b| rounded down, each factor first rounded down to
// 64 bits: a lower bound of the product, for a denominator.
func mulDown(a, b *big.Float) *big.Float { return rdown().Mul(rdown().Abs(a), rdown().Abs(b)) }

// pow2 returns 2^k exactly (as an upper-rounding radius).
func pow2(k int) *big.Float { return rnew().SetMantExp(big.NewFloat(1), k) }

// sqrtUp and sqrtDown return √x (x >= 0) rounded up and down at 64 bits.
// big.Float.Sqrt rounds with 32 guard bits and does not promise the
// direction of its rounding, so its 64-bit result (within one ulp, 2^-63
// relative) is moved outward by 2^-62 relative.
func sqrtUp(x *big.Float) *big.Float {
	s := rnew().Sqrt(x)
	return s.Add(s, rnew().SetMantExp(s, -62))
}

func sqrtDown(x *big.Float) *big.Float {
	s := rdown().Sqrt(x)
	return s.Sub(s, rnew().SetMantExp(s, -62))
}

func (e *bev) f() *big.Float { return new(big.Float).SetPrec(e.prec) }

// eps returns |m|·2^-(prec-2) (rounded up). Rounding one exact result to
// the nearest prec-bit float m moves it by at most half an ulp, at most
// 2^-prec·|m|: eps is four times that, so it also covers a result that
// big.Float gives within one ulp (Sqrt) and a helper computed a few ulps
// off (expFloat, rootFloat at 32 or more extra bits).
func (e *bev) eps(m *big.Float) *big.Float {
	r := rnew().Abs(m)
	if r.Sign() == 0 {
		return r
	}
	return r.SetMantExp(r, -int(e.prec)+2)
}

// ok reports errBudget for a ball that is infinite or whose binary
// exponent passes ±maxBinExp, and counts one step of work.
func (e *bev) ok(b ball) error {
	if b.m.IsInf() || b.r.IsInf() {
		return errBudget
	}
	if b.m.Sign() != 0 && (b.m.MantExp(nil) > maxBinExp || b.m.MantExp(nil) < -maxBinExp) {
		return errBudget
	}
	if b.r.Sign() != 0 && b.r.MantExp(nil) > maxBinExp {
		return errBudget
	}
	return e.s.tick()
}

// fromRat returns the ball of an exact rational: radius 0 when q is a
// prec-bit float, else eps(m) (q rounded to nearest is within 2^-prec·|m|).
func (e *bev) fromRat(q *big.Rat) ball {
	if b := q.Num().BitLen(); b > e.span {
		e.span = b
	}
	if b := q.Denom().BitLen(); b > e.span {
		e.span = b
	}
	m := e.f()
	m.SetRat(q)
	if m.Acc() == big.Exact {
		return ball{m, rnew()}
	}
	return ball{m, e.eps(m)}
}

// add returns a + b. Bound: |x+y - (ma+mb)| <= ra + rb for x, y in the
// balls, and rounding ma+mb to prec bits adds at most 2^-prec·|m|:
// radius ra + rb + eps(m), rounded up.
func (e *bev) add(a, b ball) (ball, error) {
	m := e.f().Add(a.m, b.m)
	r := rnew().Add(a.r, b.r)
	r.Add(r, e.eps(m))
	res := ball{m, r}
	return res, e.ok(res)
}

// neg returns -a (exact).
func (e *bev) neg(a ball) ball { return ball{e.f().Neg(a.m), a.r} }

// chain runs ball operations one after another and keeps the first error:
// once a step fails, every later step returns a zero ball without
// computing, so a formula reads as one expression and its error is
// checked once, at the end.
type chain struct {
	e   *bev
	err error
}

func (c *chain) do1(op func(ball) (ball, error), a ball) ball {
	if c.err != nil {
		return ball{}
	}
	b, err := op(a)
	c.err = err
	return b
}

func (c *chain) do2(op func(a, b ball) (ball, error), a, b ball) ball {
	if c.err != nil {
		return ball{}
	}
	r, err := op(a, b)
	c.err = err
	return r
}

func (c *chain) add(a, b ball) ball { return c.do2(c.e.add, a, b) }
func (c *chain) mul(a, b ball) ball { return c.do2(c.e.mul, a, b) }
func (c *chain) inv(a ball) ball    { return c.do1(c.e.inv, a) }
func (c *chain) sqrt(a ball) ball   { return c.do1(c.e.sqrt, a) }
func (c *chain) log(a ball) ball    { return c.do1(c.e.log, a) }
func (c *chain) exp(a ball) ball    { return c.do1(c.e.exp, a) }
func (c *chain) atan(a ball) ball   { return c.do1(c.e.atan, a) }

// sub returns a - b.
func (c *chain) sub(a, b ball) ball {
	if c.err != nil {
		return ball{}
	}
	return c.add(a, c.e.neg(b))
}

// quo returns a / b.
func (c *chain) quo(a, b ball) ball { return c.mul(a, c.inv(b)) }

// mul returns a·b. Bound: |xy - ma·mb| <= |ma|·rb + |mb|·ra + ra·rb for
// x, y in the balls, and rounding ma·mb adds at most 2^-prec·|m|: radius
// the sum of those terms (each rounded up) plus eps(m).
func (e *bev) mul(a, b ball) (ball, error) {
	m := e.f().Mul(a.m, b.m)
	r := rnew().Mul(rnew().Abs(a.m), b.r)
	r.Add(r, rnew().Mul(rnew().Abs(b.m), a.r))
	r.Add(r, rnew().Mul(a.r, b.r))
	r.Add(r, e.eps(m))
	res := ball{m, r}
	return res, e.ok(res)
}

// lower returns |m| - r rounded down (may be <= 0).
func lower(a ball) *big.Float {
	l := new(big.Float).SetPrec(64).SetMode(big.ToZero).Abs(a.m)
	return l.Sub(l, a.r)
}

// inv returns 1/a. Bound: for x in the ball, |1/x - 1/m| = |x-m|/(|x|·|m|)
// <= r/(lo·|m|), lo = |m|-r > 0 the least |x|; rounding 1/m to prec bits
// adds at most 2^-prec·|1/m|. Radius: r/(lo·|m|), its denominator rounded
// down so the quotient is an upper bound, plus eps(1/m) (4 times the
// rounding bound). A ball that holds 0 is undecided, exactly 0 a domain
// error.
func (e *bev) inv(a ball) (ball, error) {
	lo := lower(a)
	if lo.Sign() <= 0 {
		if a.m.Sign() == 0 && a.r.Sign() == 0 {
			return ball{}, errDomain
		}
		return ball{}, errUndecided
	}
	m := e.f().Quo(big.NewFloat(1).SetPrec(e.prec), a.m)
	r := quoUp(a.r, mulDown(a.m, lo))
	r.Add(r, e.eps(m))
	res := ball{m, r}
	return res, e.ok(res)
}

// sqrt returns √a for a ball with m >= 0. Bound: for x in [lo, m+r],
// |√x - √m| = |x-m|/(√x+√m) <= r/(2√lo); the radius takes r/√lo (√lo
// rounded down), twice that, plus eps(√m) for the midpoint, which
// big.Float.Sqrt gives within one ulp (2^-(prec-1) relative). A ball that
// reaches 0 becomes [0 ± √(m+r)] (rounded up), which holds √x for every
// x >= 0 in it; a ball with m < 0 is unsupported.
func (e *bev) sqrt(a ball) (ball, error) {
	if a.m.Sign() < 0 {
		return ball{}, fmt.Errorf("sqrt of a negative ball: %w", errUnsupported)
	}
	lo := lower(a)
	if lo.Sign() <= 0 {
		if a.r.Sign() == 0 {
			return ball{e.f(), rnew()}, nil
		}
		hi := rnew().Add(rnew().Abs(a.m), a.r)
		return ball{e.f(), sqrtUp(hi)}, nil
	}
	m := e.f().Sqrt(a.m)
	r := quoUp(a.r, sqrtDown(lo))
	r.Add(r, e.eps(m))
	return ball{m, r}, nil
}

// exp returns e^a for a radius up to 1/2 (wider: undecided) and |m| below
// 2^22 (larger: budget). Bound: for |x-m| <= r <= 1/2, |e^x - e^m| <=
// (e^r - 1)·e^m <= 1.3·r·e^m; the radius takes 2·r·|y| (y the computed
// e^m; the factor 2 covers y's error), and 2·eps(y) for y itself:
// expFloat is within 2^-(prec+32) relative and rounding to prec bits adds
// 2^-prec.
func (e *bev) exp(a ball) (ball, error) {
	if a.r.Cmp(big.NewFloat(0.5)) > 0 {
		return ball{}, errUndecided
	}
	if a.m.MantExp(nil) > 22 {
		return ball{}, errBudget
	}
	m := e.f().Set(expFloat(a.m, e.prec))
	// exp(m ± r) ⊂ exp(m)·[1-2r, 1+2r] for r <= 1/2
	r := rnew().Mul(rnew().Abs(m), a.r)
	r.Mul(r, big.NewFloat(2))
	r.Add(r, e.eps(m))
	r.Add(r, e.eps(m))
	res := ball{m, r}
	return res, e.ok(res)
}

// log returns ln a for a ball of positive numbers (a ball that holds 0 is
// undecided, exact 0 a domain error, negative unsupported). Bound: for x
// in [lo, m+r], |ln x - ln m| <= r/lo (the derivative is at most 1/lo):
// radius r/lo (lo rounded down) plus 2^-(prec-4) for logFloat's absolute
// error (below 2^-(prec+28)) plus eps(y) for rounding it to prec bits.
func (e *bev) log(a ball) (ball, error) {
	lo := lower(a)
	if lo.Sign() <= 0 || a.m.Sign() < 0 {
		if a.m.Sign() < 0 && lo.Sign() > 0 {
			return ball{}, fmt.Errorf("log of a negative number: %w", errUnsupported)
		}
		if a.r.Sign() == 0 {
			return ball{}, errDomain
		}
		return ball{}, errUndecided
	}
	m := e.f().Set(e.logFloat(a.m))
	r := quoUp(a.r, lo)
	r.Add(r, pow2(-int(e.prec)+4))
	r.Add(r, e.eps(m))
	return ball{m, r}, nil
}

// pi returns π at the working precision (Machin's formula: the shared
// piPrec-bit value, or for higher precisions one computed once per check
// at the highest precision asked for). Bound: radius 2^-(prec-2), twice
// the half ulp of rounding π (in [2, 4)) to prec bits; the series value it
// is rounded from is off by less than 2^-(prec+16) (its few hundred terms
// are each rounded at 32 or more extra bits).
func (e *bev) pi() ball {
	if e.prec+32 <= piPrec {
		return ball{e.f().Set(piConst()), pow2(-int(e.prec) + 2)}
	}
	if c := e.s.pi; c == nil || c.Prec() < e.prec+32 {
		p := (e.prec+32+127)/128*128 + 32
		a := atanInv(5, p)
		b := atanInv(239, p)
		a.Mul(a, big.NewFloat(16))
		b.Mul(b, big.NewFloat(4))
		e.s.pi = new(big.Float).SetPrec(p).Sub(a, b)
	}
	return ball{e.f().Set(e.s.pi), pow2(-int(e.prec) + 2)}
}

// halfPi returns π/2 (π's ball halved, exactly).
func (e *bev) halfPi() ball { return half(e.pi()) }

// half returns a/2: midpoint and radius halved, both exactly. A nil
// midpoint (a failed chain step) stays nil.
func half(a ball) ball {
	if a.m == nil {
		return a
	}
	return ball{new(big.Float).SetMantExp(a.m, -1), rnew().SetMantExp(a.r, -1)}
}

// piPrec is the precision of the shared, read-only value of π.
const piPrec = 2048

// piConst returns π to piPrec bits, computed once (Machin's formula) and
// never modified afterwards, so concurrent checks may read it.
var piConst = sync.OnceValue(func() *big.Float {
	a := atanInv(5, piPrec+32)
	b := atanInv(239, piPrec+32)
	a.Mul(a, big.NewFloat(16))
	b.Mul(b, big.NewFloat(4))
	return new(big.Float).SetPrec(piPrec).Sub(a, b)
})

// atanInv returns atan(1/k) at precision p by its Taylor series.
func atanInv(k int64, p uint) *big.Float {
	x := new(big.Float).SetPrec(p).Quo(big.NewFloat(1).SetPrec(p), new(big.Float).SetPrec(p).SetInt64(k))
	return oddSeries(x, p, true)
}

// sincos returns sin and cos of a ball, memoized per check.
func (e *bev) sincos(a ball) (ball, ball, error) {
	for _, c := range e.s.sc {
		if c.prec == e.prec && c.m.Cmp(a.m) == 0 && c.r.Cmp(a.r) == 0 {
			return c.sin, c.cos, nil
		}
	}
	sn, cs, err := e.sincos1(a)
	if err == nil && len(e.s.sc) < 32 {
		e.s.sc = append(e.s.sc, scEntry{e.prec, a.m, a.r, sn, cs})
	}
	return sn, cs, err
}

// sincos1 computes sin and cos of a ball with |m| < 2^64 (larger: budget)
// and r <= 1 (wider: undecided). Method, at p = prec+40+max(0, log2|m|)
// bits: m is reduced by a multiple of 2π (π at p bits, so the reduction is
// off by less than 2^-(prec+36)), divided by 2^8, both Taylor series are
// summed until their terms fall below 2^-p, and 8 doublings
// (sin 2y = 2 sin y cos y, cos 2y = cos²y - sin²y) give the values, each
// doubling at most quadrupling the error of the pair. Bound: sin and cos
// are 1-Lipschitz, so the radius is r plus 2^-(prec-8) for the
// evaluation: the error before the final rounding is below 2^-(prec+8)
// (4^8 times a series error of at most 2^11 roundings of 2^-p) and
// rounding a value of magnitude at most 1 to prec bits adds 2^-prec.
func (e *bev) sincos1(a ball) (ball, ball, error) {
	ex := a.m.MantExp(nil)
	if ex > 64 {
		return ball{}, ball{}, errBudget
	}
	if a.r.Cmp(big.NewFloat(1)) > 0 {
		return ball{}, ball{}, errUndecided
	}
	guard := uint(40)
	if ex > 0 {
		guard += uint(ex)
	}
	p := e.prec + guard
	// reduce x by a multiple of 2π
	sub := &bev{s: e.s, prec: p}
	pi := sub.pi()
	twoPi := new(big.Float).SetPrec(p).Mul(pi.m, big.NewFloat(2))
	x := new(big.Float).SetPrec(p).Set(a.m)
	q := new(big.Float).SetPrec(p).Quo(x, twoPi)
	k, _ := q.Int(nil)
	if k.Sign() != 0 {
		kf := new(big.Float).SetPrec(p).SetInt(k)
		x.Sub(x, kf.Mul(kf, twoPi))
	}
	// halve the argument, sum the Taylor series, then double back
	const halvings = 8
	x.SetMantExp(x, -halvings)
	x2 := new(big.Float).SetPrec(p).Mul(x, x)
	sinS := new(big.Float).SetPrec(p).Set(x)
	cosS := new(big.Float).SetPrec(p).SetInt64(1)
	term := new(big.Float).SetPrec(p).Set(x) // x^n/n! for odd n
	ct := new(big.Float).SetPrec(p).SetInt64(1)
	lim := new(big.Float).SetMantExp(big.NewFloat(1), -int(p))
	for n := int64(1); n < 2000; n++ {
		ct.Mul(ct, x2)
		ct.Quo(ct, new(big.Float).SetInt64((2*n-1)*(2*n)))
		term.Mul(term, x2)
		term.Quo(term, new(big.Float).SetInt64((2*n)*(2*n+1)))
		if n%2 == 1 {
			cosS.Sub(cosS, ct)
			sinS.Sub(sinS, term)
		} else {
			cosS.Add(cosS, ct)
			sinS.Add(sinS, term)
		}
		if new(big.Float).Abs(ct).Cmp(lim) < 0 && new(big.Float).Abs(term).Cmp(lim) < 0 {
			break
		}
		if n%16 == 0 {
			if err := e.s.checkTime(); err != nil {
				return ball{}, ball{}, err
			}
		}
	}
	for range halvings {
		// sin 2y = 2 sin y cos y, cos 2y = cos² y - sin² y
		s2 := new(big.Float).SetPrec(p).Mul(sinS, cosS)
		s2.SetMantExp(s2, 1)
		c2 := new(big.Float).SetPrec(p).Mul(cosS, cosS)
		c2.Sub(c2, new(big.Float).SetPrec(p).Mul(sinS, sinS))
		sinS, cosS = s2, c2
	}
	r := rnew().Add(a.r, pow2(-int(e.prec)+8))
	return ball{e.f().Set(sinS), r}, ball{e.f().Set(cosS), rnew().Set(r)}, nil
}

// atan returns the arctangent of a ball. For |m| >= 2^64 it is
// ±π/2 - atan(1/a) in ball arithmetic. Otherwise, at p = prec+32 bits, the
// argument is halved h <= 4 times by atan x = 2·atan(x/(1+√(1+x²))) to
// below 1/8, the Taylor series summed until a term is below 2^-(p+5), and
// the sum doubled h times. Bound: atan is 1-Lipschitz, so the radius is r
// plus 2^-(prec-8) for the evaluation: the error before the final rounding
// is below 2^-(prec+16) (2^h times at most a few thousand roundings of
// 2^-p in the halvings and the series) and rounding a value of magnitude
// below π/2 to prec bits adds 2^-prec.
func (e *bev) atan(a ball) (ball, error) {
	if a.m.MantExp(nil) > 64 {
		h := e.halfPi()
		if a.m.Sign() < 0 {
			h = e.neg(h)
		}
		c := chain{e: e}
		r := c.sub(h, c.atan(c.inv(a)))
		return r, c.err
	}
	p := e.prec + 32
	x := new(big.Float).SetPrec(p).Set(a.m)
	one := new(big.Float).SetPrec(p).SetInt64(1)
	halvings := 0
	for x.MantExp(nil) > -3 && halvings < 200 {
		// x / (1 + sqrt(1 + x²))
		t := new(big.Float).SetPrec(p).Mul(x, x)
		t.Add(t, one)
		t.Sqrt(t)
		t.Add(t, one)
		x.Quo(x, t)
		halvings++
	}
	sum := oddSeries(x, p, true)
	sum.SetMantExp(sum, halvings)
	r := rnew().Add(a.r, pow2(-int(e.prec)+8))
	return ball{e.f().Set(sum), r}, nil
}

// evalReal evaluates n, which must be real.
func (e *bev) evalReal(n *node) (ball, error) {
	b, err := e.eval(n)
	if err != nil {
		return ball{}, err
	}
	return realOf(b)
}

// real returns the ball when b is real.
func realOf(b cball) (ball, error) {
	if b.im != nil {
		if b.im.m.Sign() == 0 && b.im.r.Sign() == 0 {
			return b.re, nil
		}
		return ball{}, fmt.Errorf("function of a complex number: %w", errUnsupported)
	}
	return b.re, nil
}

// cadd returns a + b, part by part.
func (e *bev) cadd(a, b cball) (cball, error) {
	re, err := e.add(a.re, b.re)
	if err != nil {
		return cball{}, err
	}
	res := cball{re: re}
	switch {
	case a.im != nil && b.im != nil:
		im, err := e.add(*a.im, *b.im)
		if err != nil {
			return cball{}, err
		}
		res.im = &im
	case a.im != nil:
		res.im = a.im
	case b.im != nil:
		res.im = b.im
	}
	return res, nil
}

// fold evaluates args and combines them into acc with op (cadd or cmul).
func (e *bev) fold(args []*node, acc cball, op func(a, b cball) (cball, error)) (cball, error) {
	for _, a := range args {
		x, err := e.eval(a)
		if err != nil {
			return cball{}, err
		}
		if acc, err = op(acc, x); err != nil {
			return cball{}, err
		}
	}
	return acc, nil
}

// cneg returns -a.
func (e *bev) cneg(a cball) cball {
	res := cball{re: e.neg(a.re)}
	if a.im != nil {
		im := e.neg(*a.im)
		res.im = &im
	}
	return res
}

// cmul returns a·b: (ar·br - ai·bi) + (ar·bi + ai·br)i.
func (e *bev) cmul(a, b cball) (cball, error) {
	if a.im == nil && b.im == nil {
		re, err := e.mul(a.re, b.re)
		return cball{re: re}, err
	}
	zero := ball{e.f(), rnew()}
	ai, bi := zero, zero
	if a.im != nil {
		ai = *a.im
	}
	if b.im != nil {
		bi = *b.im
	}
	c := chain{e: e}
	re := c.sub(c.mul(a.re, b.re), c.mul(ai, bi))
	im := c.add(c.mul(a.re, bi), c.mul(ai, b.re))
	if c.err != nil {
		return cball{}, c.err
	}
	return cball{re: re, im: &im}, nil
}

// cinv returns 1/a.
func (e *bev) cinv(a cball) (cball, error) {
	if a.im == nil {
		r, err := e.inv(a.re)
		return cball{re: r}, err
	}
	// 1/(x+iy) = (x - iy)/(x²+y²)
	c := chain{e: e}
	ni := c.inv(c.add(c.mul(a.re, a.re), c.mul(*a.im, *a.im)))
	re := c.mul(a.re, ni)
	im := c.mul(e.neg(*a.im), ni)
	if c.err != nil {
		return cball{}, c.err
	}
	return cball{re: re, im: &im}, nil
}

// cpowInt returns b^k by repeated squaring (1/b^|k| for k < 0).
func (e *bev) cpowInt(b cball, k int64) (cball, error) {
	neg := k < 0
	if neg {
		k = -k
	}
	res := cball{re: ball{e.f().SetInt64(1), rnew()}}
	x := b
	var err error
	for k > 0 {
		if k&1 == 1 {
			if res, err = e.cmul(res, x); err != nil {
				return cball{}, err
			}
		}
		k >>= 1
		if k > 0 {
			if x, err = e.cmul(x, x); err != nil {
				return cball{}, err
			}
		}
	}
	if neg {
		return e.cinv(res)
	}
	return res, nil
}

// eval evaluates n to a complex ball at e.prec. Exact rational subtrees are
// computed exactly first.
func (e *bev) eval(n *node) (cball, error) {
	b, err := e.eval1(n)
	if err == nil {
		e.note(b)
	}
	return b, err
}

// eval2 evaluates a, then b.
func (e *bev) eval2(a, b *node) (cball, cball, error) {
	x, err := e.eval(a)
	if err != nil {
		return cball{}, cball{}, err
	}
	y, err := e.eval(b)
	if err != nil {
		return cball{}, cball{}, err
	}
	return x, y, nil
}

func (e *bev) eval1(n *node) (cball, error) {
	if err := e.s.tick(); err != nil {
		return cball{}, err
	}
	switch n.k {
	case nNum:
		return cball{re: e.fromRat(n.val)}, nil
	case nConst:
		switch n.s {
		case "pi":
			return cball{re: e.pi()}, nil
		case "e":
			one := ball{e.f().SetInt64(1), rnew()}
			b, err := e.exp(one)
			return cball{re: b}, err
		case "i":
			im := ball{e.f().SetInt64(1), rnew()}
			return cball{re: ball{e.f(), rnew()}, im: &im}, nil
		}
		return cball{}, fmt.Errorf("infinity: %w", errUnsupported)
	case nVar, nBase:
		x, ok, err := e.s.exact(n, e.vars)
		if err != nil {
			return cball{}, err
		}
		if !ok {
			return cball{}, errUnsupported
		}
		return e.fromCQ(x), nil
	case nAdd:
		return e.fold(n.args, cball{re: ball{e.f(), rnew()}}, e.cadd)
	case nMul:
		return e.fold(n.args, cball{re: ball{e.f().SetInt64(1), rnew()}}, e.cmul)
	case nNeg:
		x, err := e.eval(n.args[0])
		if err != nil {
			return cball{}, err
		}
		return e.cneg(x), nil
	case nDiv:
		a, b, err := e.eval2(n.args[0], n.args[1])
		if err != nil {
			return cball{}, err
		}
		bi, err := e.cinv(b)
		if err != nil {
			return cball{}, err
		}
		return e.cmul(a, bi)
	case nPow:
		return e.pow(n)
	case nDeg:
		x, err := e.eval(n.args[0])
		if err != nil {
			return cball{}, err
		}
		pi := e.pi()
		k := ball{e.f().Quo(pi.m, big.NewFloat(180)), rnew().Add(pi.r, e.eps(pi.m))}
		return e.cmul(x, cball{re: k})
	case nFunc:
		return e.fn(n)
	case nFact:
		x, ok, err := e.s.exact(n, e.vars)
		if err != nil {
			return cball{}, err
		}
		if !ok {
			return cball{}, fmt.Errorf("factorial of a non-integer: %w", errUnsupported)
		}
		return e.fromCQ(x), nil
	}
	return cball{}, fmt.Errorf("%s: %w", kindName(n.k), errUnsupported)
}

func (e *bev) fromCQ(x cq) cball {
	res := cball{re: e.fromRat(x.re)}
	if !x.isReal() {
		im := e.fromRat(x.im)
		res.im = &im
	}
	return res
}

// pow evaluates a power node: an exact integer exponent by repeated
// squaring, an exact p/q (q <= 64) by the real q-th root then the power,
// e^x by cexp, and anything else as exp(x·ln b) for a real b > 0.
func (e *bev) pow(n *node) (cball, error) {
	// integer exponents (exactly known) use repeated squaring
	if x, ok, err := e.s.exact(n.args[1], e.vars); err != nil {
		return cball{}, err
	} else if ok && x.isReal() && x.re.IsInt() {
		k, err := e.s.smallInt(x)
		if err != nil {
			return cball{}, err
		}
		b, err := e.eval(n.args[0])
		if err != nil {
			return cball{}, err
		}
		return e.cpowInt(b, k)
	} else if ok && x.isReal() && n.args[0].k != nConst && x.re.Denom().IsInt64() && x.re.Denom().Int64() <= 64 && x.re.Num().IsInt64() {
		// rational exponent p/q: q-th root by Newton, then the integer
		// power; odd roots of negative numbers stay real: (-8)^{1/3} = -2
		rb, err := e.evalReal(n.args[0])
		if err != nil {
			return cball{}, err
		}
		k, err := e.s.smallInt(cq{re: new(big.Rat).SetInt(x.re.Num())})
		if err != nil {
			return cball{}, err
		}
		rt, err := e.root(rb, x.re.Denom().Int64())
		if err != nil {
			return cball{}, err
		}
		return e.cpowInt(cball{re: rt}, k)
	}
	b, x, err := e.eval2(n.args[0], n.args[1])
	if err != nil {
		return cball{}, err
	}
	if n.args[0].k == nConst && n.args[0].s == "e" {
		return e.cexp(x)
	}
	rb, err := realOf(b)
	if err != nil {
		return cball{}, err
	}
	rx, err := realOf(x)
	if err != nil {
		return cball{}, err
	}
	if rb.m.Sign() == 0 && rb.r.Sign() == 0 {
		if rx.m.Sign() > 0 && lower(rx).Sign() > 0 {
			return cball{re: ball{e.f(), rnew()}}, nil
		}
		return cball{}, errDomain
	}
	c := chain{e: e}
	r := c.exp(c.mul(c.log(rb), rx))
	return cball{re: r}, c.err
}

// cexp returns e^x = e^re·(cos im + i·sin im).
func (e *bev) cexp(x cball) (cball, error) {
	if x.im == nil {
		r, err := e.exp(x.re)
		return cball{re: r}, err
	}
	m, err := e.exp(x.re)
	if err != nil {
		return cball{}, err
	}
	s, cs, err := e.sincos(*x.im)
	if err != nil {
		return cball{}, err
	}
	c := chain{e: e}
	re := c.mul(m, cs)
	im := c.mul(m, s)
	if c.err != nil {
		return cball{}, c.err
	}
	return cball{re: re, im: &im}, nil
}

// fn evaluates a function node from the primitives.
func (e *bev) fn(n *node) (cball, error) {
	switch n.s {
	case "sum", "prod":
		return e.bigOp(n)
	case "floor", "ceil", "binom":
		x, ok, err := e.s.exact(n, e.vars)
		if err == nil && ok {
			return e.fromCQ(x), nil
		}
		if err != nil {
			return cball{}, err
		}
		return e.floorBall(n)
	}
	arg, err := e.eval(n.args[0])
	if err != nil {
		return cball{}, err
	}
	if n.s == "exp" {
		return e.cexp(arg)
	}
	if n.s == "abs" {
		if arg.im == nil {
			return cball{re: ball{e.f().Abs(arg.re.m), arg.re.r}}, nil
		}
		x2, err := e.cmul(arg, cball{re: arg.re, im: func() *ball { b := e.neg(*arg.im); return &b }()})
		if err != nil {
			return cball{}, err
		}
		r, err := e.sqrt(x2.re)
		return cball{re: r}, err
	}
	if n.s == "sqrt" && arg.im == nil && arg.re.m.Sign() < 0 && lower(arg.re).Sign() > 0 {
		r, err := e.sqrt(e.neg(arg.re))
		if err != nil {
			return cball{}, err
		}
		return cball{re: ball{e.f(), rnew()}, im: &r}, nil
	}
	x, err := realOf(arg)
	if err != nil {
		return cball{}, err
	}
	var r ball
	switch n.s {
	case "sqrt":
		r, err = e.sqrt(x)
	case "root":
		k, ok, err2 := e.s.exact(n.args[1], e.vars)
		if err2 != nil || !ok {
			return cball{}, fmt.Errorf("root index: %w", errUnsupported)
		}
		q, err2 := e.s.smallInt(k)
		if err2 != nil || q < 2 || q > 64 {
			return cball{}, fmt.Errorf("root index: %w", errUnsupported)
		}
		r, err = e.root(x, q)
	case "ln":
		r, err = e.log(x)
	case "log":
		base := ball{e.f().SetInt64(10), rnew()}
		if len(n.args) == 2 {
			var err error
			if base, err = e.evalReal(n.args[1]); err != nil {
				return cball{}, err
			}
		}
		c := chain{e: e}
		r = c.quo(c.log(x), c.log(base))
		err = c.err
	case "sin", "cos", "tan", "sec", "csc", "cot":
		s, c, err2 := e.sincos(x)
		if err2 != nil {
			return cball{}, err2
		}
		switch n.s {
		case "sin":
			r = s
		case "cos":
			r = c
		case "tan", "cot":
			if n.s == "cot" {
				s, c = c, s
			}
			ch := chain{e: e}
			r = ch.quo(s, c)
			err = ch.err
		case "sec":
			r, err = e.inv(c)
		case "csc":
			r, err = e.inv(s)
		}
	case "arctan":
		r, err = e.atan(x)
	case "arccot":
		c := chain{e: e}
		r = c.atan(c.inv(x))
		err = c.err
	case "arcsin", "arccos":
		r, err = e.asin(x)
		if err == nil && n.s == "arccos" {
			r, err = e.add(e.halfPi(), e.neg(r))
		}
	case "sinh", "cosh", "tanh":
		// (e^x ∓ e^-x)/2 and their quotient
		c := chain{e: e}
		ep, em := c.exp(x), c.exp(e.neg(x))
		sh, ch := c.sub(ep, em), c.add(ep, em)
		switch n.s {
		case "sinh":
			r = half(sh)
		case "cosh":
			r = half(ch)
		default:
			r = c.quo(sh, ch)
		}
		err = c.err
	default:
		return cball{}, fmt.Errorf("function %s: %w", n.s, errUnsupported)
	}
	return cball{re: r}, err
}

// asin(x) = atan(x / sqrt(1 - x²)), with asin(±1) = ±π/2.
func (e *bev) asin(x ball) (ball, error) {
	one := ball{e.f().SetInt64(1), rnew()}
	if x.r.Sign() == 0 && new(big.Float).Abs(x.m).Cmp(big.NewFloat(1)) == 0 {
		h := e.halfPi()
		if x.m.Sign() < 0 {
			h = e.neg(h)
		}
		return h, nil
	}
	c := chain{e: e}
	d := c.sub(one, c.mul(x, x))
	if c.err != nil {
		return ball{}, c.err
	}
	if d.m.Sign() < 0 {
		return ball{}, fmt.Errorf("arcsin outside [-1,1]: %w", errUnsupported)
	}
	t := c.atan(c.quo(x, c.sqrt(d)))
	return t, c.err
}

// floorBall evaluates floor/ceil of an irrational argument when the ball
// lies strictly between two integers.
func (e *bev) floorBall(n *node) (cball, error) {
	if n.s == "binom" {
		return cball{}, fmt.Errorf("binom of non-integers: %w", errUnsupported)
	}
	x, err := e.evalReal(n.args[0])
	if err != nil {
		return cball{}, err
	}
	k, ok := floorOf(x, n.s == "ceil")
	if !ok {
		return cball{}, errUndecided
	}
	return cball{re: ball{e.f().SetInt(k), rnew()}}, nil
}

// floorOf returns floor(x) (ceil(x) when ceil) when it is one integer for
// every x in the ball. The ends m-r and m+r are rounded outward (down and
// up), so an integer inside the ball is never missed; for ceil both ends
// are rounded up to integers, as an end that is an integer n has ceil n.
func floorOf(x ball, ceil bool) (*big.Int, bool) {
	p := x.m.Prec() + 64
	lo := new(big.Float).SetPrec(p).SetMode(big.ToNegativeInf).Sub(x.m, x.r)
	hi := new(big.Float).SetPrec(p).SetMode(big.ToPositiveInf).Add(x.m, x.r)
	toInt := func(f *big.Float) *big.Int {
		i, acc := f.Int(nil) // truncated toward zero
		switch {
		case !ceil && acc == big.Above:
			i.Sub(i, big.NewInt(1))
		case ceil && acc == big.Below:
			i.Add(i, big.NewInt(1))
		}
		return i
	}
	a, b := toInt(lo), toInt(hi)
	return a, a.Cmp(b) == 0
}

// expFloat returns exp(x) with relative error below 2^-(prec+32): the
// argument is halved k times to below 2^-12, the Taylor series summed
// until a term is below 2^-(p+2), and the result squared k times, all with
// p = prec+64+k bits. The series makes at most a few hundred roundings of
// 2^-p relative and each squaring doubles the relative error, so the
// result is within (2^k·400)·2^-p < 2^-(prec+55) relative.
func expFloat(x *big.Float, prec uint) *big.Float {
	k := x.MantExp(nil) + 12
	if k < 0 || x.Sign() == 0 {
		k = 0
	}
	p := prec + 64 + uint(k)
	r := new(big.Float).SetPrec(p).SetMantExp(x, -k)
	sum := new(big.Float).SetPrec(p).SetInt64(1)
	term := new(big.Float).SetPrec(p).SetInt64(1)
	for n := int64(1); n < 10000; n++ {
		term.Mul(term, r)
		term.Quo(term, new(big.Float).SetInt64(n))
		sum.Add(sum, term)
		if term.Sign() == 0 || term.MantExp(nil) < -int(p)-2 {
			break
		}
	}
	for range k {
		sum.Mul(sum, sum)
	}
	return sum
}

// logFloat returns log(x) for x > 0 with absolute error below
// 2^-(prec+28): x = m·2^e, m is square-rooted 8 times to near 1, and
// log m = 2^9·atanh((m-1)/(m+1)) by its series; e·ln2 is added. All at
// p = prec+64 bits: the roots leave m's relative error below 2^-(p-2),
// which 2^8 turns into an absolute error of 2^-(p-10) in log m; the
// series adds less than that, and e·ln2 (|e| <= 2^22+1 by the budget in
// ok, ln2 within 2^-(p-10): some 650 roundings at 2000 bits) less than
// 2^-(p-34).
func (e *bev) logFloat(x *big.Float) *big.Float {
	p := e.prec + 64
	m := new(big.Float)
	ex := x.MantExp(m)
	m.SetPrec(p) // MantExp gives m the precision of x
	const k = 8
	for range k {
		m.Sqrt(m)
	}
	one := new(big.Float).SetPrec(p).SetInt64(1)
	num := new(big.Float).SetPrec(p).Sub(m, one)
	den := new(big.Float).SetPrec(p).Add(m, one)
	z := new(big.Float).SetPrec(p).Quo(num, den)
	sum := oddSeries(z, p, false)
	sum.SetMantExp(sum, k+1)
	if ex != 0 {
		l2 := e.ln2(p)
		sum.Add(sum, new(big.Float).SetPrec(p).Mul(l2, new(big.Float).SetInt64(int64(ex))))
	}
	return sum
}

// oddSeries sums z - z³/3 + z⁵/5 - ... (atan, alternate) or
// z + z³/3 + z⁵/5 + ... (atanh) at precision p, for |z| <= 1/2, until a
// term falls below 2^-(p+5): the tail after it is below that term (atan:
// alternating and decreasing) or below 4/3 of it (atanh: ratio z² <= 1/4).
func oddSeries(z *big.Float, p uint, alternate bool) *big.Float {
	z2 := new(big.Float).SetPrec(p).Mul(z, z)
	if alternate {
		z2.Neg(z2)
	}
	sum := new(big.Float).SetPrec(p).Set(z)
	term := new(big.Float).SetPrec(p).Set(z)
	t := new(big.Float).SetPrec(p)
	d := new(big.Float).SetPrec(p)
	for n := int64(1); n < 100000 && term.Sign() != 0; n++ {
		term.Mul(term, z2)
		t.Quo(term, d.SetInt64(2*n+1))
		sum.Add(sum, t)
		if t.Sign() == 0 || t.MantExp(nil) < -int(p)-4 {
			break
		}
	}
	return sum
}

// ln2 returns log 2 at precision p: the shared piPrec-bit value rounded
// to p when p+32 <= piPrec (within 2^-p), else 2·atanh(1/3) summed at p
// bits and cached for this check.
func (e *bev) ln2(p uint) *big.Float {
	if p+32 <= piPrec {
		return new(big.Float).SetPrec(p).Set(ln2Const())
	}
	if e.s.ln2Cache == nil {
		e.s.ln2Cache = map[uint]*big.Float{}
	}
	if v, ok := e.s.ln2Cache[p]; ok {
		return v
	}
	v := ln2Series(p)
	e.s.ln2Cache[p] = v
	return v
}

// ln2Series returns 2·atanh(1/3) = log 2 at precision p.
func ln2Series(p uint) *big.Float {
	third := new(big.Float).SetPrec(p).Quo(new(big.Float).SetPrec(p).SetInt64(1), new(big.Float).SetPrec(p).SetInt64(3))
	v := oddSeries(third, p, false)
	return v.SetMantExp(v, 1)
}

// ln2Const returns log 2 to piPrec bits, computed once at piPrec+32 bits
// and never modified afterwards, so concurrent checks may read it.
var ln2Const = sync.OnceValue(func() *big.Float {
	return new(big.Float).SetPrec(piPrec).Set(ln2Series(piPrec + 32))
})

// root returns the real q-th root of a ball (q >= 2; odd q for negative
// values, by symmetry). Bound: x^(1/q) has derivative x^(1/q)/(q·x), which
// on [lo, m+r] is largest at lo and at most m^(1/q)/(q·lo); the radius
// takes 2·|y|·r/(q·lo) (y the computed root, q·lo rounded down), the 2
// covering y's own error, plus 2·eps(y): rootFloat is within
// 2^-(prec+30) relative (Newton at prec+32 bits, stopped when a step
// changes less than 2^-(prec+30)) and rounding it to prec bits adds
// 2^-prec. A ball with r > m/2, or that holds 0, is undecided.
func (e *bev) root(x ball, q int64) (ball, error) {
	if q == 2 {
		return e.sqrt(x)
	}
	neg := x.m.Sign() < 0
	if neg {
		if q%2 == 0 {
			return ball{}, fmt.Errorf("even root of a negative number: %w", errUnsupported)
		}
		x = e.neg(x)
	}
	lo := lower(x)
	if lo.Sign() <= 0 {
		if x.m.Sign() == 0 && x.r.Sign() == 0 {
			return ball{e.f(), rnew()}, nil
		}
		return ball{}, errUndecided
	}
	half := rdown().Quo(x.m, big.NewFloat(2))
	if lo.Cmp(half) < 0 {
		return ball{}, errUndecided
	}
	m := e.f().Set(rootFloat(x.m, q, e.prec+32))
	r := rnew().Mul(rnew().Abs(m), x.r)
	r.Mul(r, big.NewFloat(2))
	r = quoUp(r, mulDown(lo, big.NewFloat(float64(q))))
	r.Add(r, e.eps(m))
	r.Add(r, e.eps(m))
	res := ball{m, r}
	if neg {
		res = e.neg(res)
	}
	return res, e.ok(res)
}

// rootFloat returns x^(1/q) for x > 0 by Newton's iteration from a float64
// estimate, at precision p, stopped when a step changes y by less than
// 2^-(p-2) relative: Newton converges quadratically, so y is then within
// about that of the root (and 12 steps from 53 bits reach 2^17 bits).
func rootFloat(x *big.Float, q int64, p uint) *big.Float {
	mant := new(big.Float)
	ex := x.MantExp(mant)
	// x = mant·2^ex with ex = q·a + b, 0 <= b < q
	a := ex / int(q)
	b := ex % int(q)
	if b < 0 {
		b += int(q)
		a--
	}
	mf, _ := mant.Float64()
	y0 := math.Pow(math.Ldexp(mf, b), 1/float64(q))
	y := new(big.Float).SetPrec(p).SetFloat64(y0)
	xr := new(big.Float).SetPrec(p).SetMantExp(mant, b)
	qf := new(big.Float).SetPrec(p).SetInt64(q)
	q1 := new(big.Float).SetPrec(p).SetInt64(q - 1)
	for range 12 {
		// y = ((q-1) y + xr / y^(q-1)) / q
		yp := new(big.Float).SetPrec(p).SetInt64(1)
		base := new(big.Float).SetPrec(p).Set(y)
		for k := q - 1; k > 0; k >>= 1 {
			if k&1 == 1 {
				yp.Mul(yp, base)
			}
			base.Mul(base, base)
		}
		t := new(big.Float).SetPrec(p).Quo(xr, yp)
		t.Add(t, new(big.Float).SetPrec(p).Mul(q1, y))
		t.Quo(t, qf)
		d := new(big.Float).SetPrec(p).Sub(t, y)
		y = t
		if d.Sign() == 0 || d.MantExp(nil)-y.MantExp(nil) < -int(p)+2 {
			break
		}
	}
	return y.SetMantExp(y, a)
}

// bigOp evaluates a sum or product of irrational terms term by term.
func (e *bev) bigOp(n *node) (cball, error) {
	if x, ok, err := e.s.exact(n, e.vars); err != nil {
		return cball{}, err
	} else if ok {
		return e.fromCQ(x), nil
	}
	lo, hi, err := e.s.bigOpRange(n, e.vars)
	if err != nil {
		return cball{}, err
	}
	if hi-lo+1 > maxLoopTerms {
		return cball{}, errBudget
	}
	acc, op := cball{re: ball{e.f(), rnew()}}, e.cadd
	if n.s == "prod" {
		acc, op = cball{re: ball{e.f().SetInt64(1), rnew()}}, e.cmul
	}
	for i := lo; i <= hi; i++ {
		sub := &bev{s: e.s, prec: e.prec, vars: withVar(e.vars, n.ops[0], i)}
		x, err := sub.eval(n.args[0])
		if err != nil {
			return cball{}, err
		}
		if acc, err = op(acc, x); err != nil {
			return cball{}, err
		}
	}
	return acc, nil
}
