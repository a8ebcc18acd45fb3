package verify

// Reference tests of the certified ball functions: each ball is checked
// against a value computed by code that shares nothing with ball.go.
//
//   - exp, log and pow: github.com/ALTree/bigfloat (Exp by Newton's method
//     on Log, Log by the arithmetic-geometric mean: other algorithms than
//     ball.go's Taylor and atanh series), run at least 64 bits wider than
//     the ball. bigfloat gives no error bound of its own; at 64 extra bits
//     its error is some 2^-60 of the ball's radius, so a value outside the
//     ball means a wrong ball.
//   - sin, cos and atan: Taylor series summed in big.Int fixed point, every
//     floor division counted as one unit of error and the tail bounded,
//     giving an interval that certainly holds the true value (atan beyond
//     1/2 by the identities atan x = π/2 - atan(1/x) and
//     atan x = π/4 + atan((x-1)/(x+1)), with π from Takano's formula
//     summed the same way).
//   - q-th roots: the integer y with y^q <= floor(v·2^(qF)) < (y+1)^q,
//     checked exactly with big.Int powers (bigfloat only gives the first
//     guess), so v^(1/q) lies in [y, y+1]·2^-F.
//
// Each test draws its arguments from a fixed seed (500 to 1,200 per
// function, 500 roots), a tenth with -short; half of them are balls with a
// radius, checked at the midpoint and both ends.
//
// bigfloat keeps a package-level cache of π that it rewrites without a
// lock, so the tests that call it never run in parallel.

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/ALTree/bigfloat"
)

// refCount returns n, or a tenth of it with -short.
func refCount(n int) int {
	if testing.Short() {
		return max(n/10, 10)
	}
	return n
}

// randPrec returns a working precision in [500, 2000].
func randPrec(rng *rand.Rand) uint { return 500 + uint(rng.IntN(1501)) }

// ratFloat returns the dyadic rational q as an exact big.Float.
func ratFloat(t *testing.T, q *big.Rat) *big.Float {
	t.Helper()
	f := new(big.Float).SetPrec(1 << 14)
	if f.SetRat(q); f.Acc() != big.Exact {
		t.Fatalf("%v is not an exact float", q)
	}
	return f.SetPrec(max(f.MinPrec(), 64))
}

// probes returns the points of the ball a reference is checked at: the
// midpoint, and both ends when the radius is not zero.
func probes(t *testing.T, b ball) []*big.Float {
	t.Helper()
	ps := []*big.Float{b.m}
	if b.r.Sign() != 0 {
		m, r := ratOf(b.m), ratOf(b.r)
		ps = append(ps, ratFloat(t, new(big.Rat).Sub(m, r)), ratFloat(t, new(big.Rat).Add(m, r)))
	}
	return ps
}

// withRadius returns a ball around m: radius 0 for even i, else a random
// radius well below |m| (and below maxR when maxR != 0).
func withRadius(rng *rand.Rand, m *big.Float, prec uint, i, maxExp int) ball {
	if i%2 == 0 {
		return ball{m, rnew()}
	}
	ex := m.MantExp(nil) - 4 - rng.IntN(int(prec)/2)
	if maxExp != 0 {
		ex = min(ex, maxExp)
	}
	return ball{m, randRadius(rng, ex)}
}

// tight fails when a ball of an exact argument is much wider than its
// stated bound: 2^-(prec-slack) relative (absolute below 1).
func tight(t *testing.T, what string, b ball, prec uint, slack int) {
	t.Helper()
	lim := new(big.Float).Abs(b.m)
	if lim.Cmp(big.NewFloat(1)) < 0 {
		lim.SetInt64(1)
	}
	lim.SetMantExp(lim, -int(prec)+slack)
	if b.r.Cmp(lim) > 0 {
		t.Errorf("%s at %d bits: radius %v is wider than 2^-%d of %v", what, prec, b.r, int(prec)-slack, b.m)
	}
}

// wide returns x at 64 more bits than prec (exactly: x has at most that).
func wide(x *big.Float, prec uint) *big.Float {
	return new(big.Float).SetPrec(max(prec, x.MinPrec()) + 64).Set(x)
}

// checkRef checks one ball function against a reference value at each
// probe of the argument ball.
func checkRef(t *testing.T, what string, arg, got ball, prec uint, ref func(x *big.Float) *big.Float) bool {
	t.Helper()
	for _, x := range probes(t, arg) {
		want := ref(wide(x, prec))
		if !holds(got, ratOf(want)) {
			t.Errorf("%s(%v) at %d bits = %v is outside %v ± %v (argument ball ± %v)", what, x, prec, want, got.m, got.r, arg.r)
			return false
		}
	}
	return true
}

// TestBallExpLogAgainstBigfloat checks exp (|x| < 512, radius below 1/4)
// and log (x in 2^±60, and near 1 where the value is small) against
// bigfloat.Exp and bigfloat.Log.
func TestBallExpLogAgainstBigfloat(t *testing.T) {
	for _, c := range []struct {
		name   string
		seed   uint64
		arg    func(rng *rand.Rand, prec uint, i int) *big.Float
		maxExp int // of the radius; 0: no limit
		slack  int // of the tightness check
		fn     func(e *bev, a ball) (ball, error)
		ref    func(*big.Float) *big.Float
	}{
		{"exp", 1, func(rng *rand.Rand, prec uint, i int) *big.Float {
			m := randMant(rng, prec, rng.IntN(50)-40)
			if rng.IntN(2) == 0 {
				m.Neg(m)
			}
			return m
		}, -2, 4, (*bev).exp, bigfloat.Exp},
		{"log", 2, func(rng *rand.Rand, prec uint, i int) *big.Float {
			if i%7 == 3 {
				d := randMant(rng, prec-45, -rng.IntN(40)-1)
				return new(big.Float).SetPrec(prec).Add(big.NewFloat(1), d)
			}
			return randMant(rng, prec, rng.IntN(121)-60)
		}, 0, 6, (*bev).log, bigfloat.Log},
	} {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(9, c.seed))
			for i := range refCount(1200) {
				prec := randPrec(rng)
				m := c.arg(rng, prec, i)
				a := withRadius(rng, m, prec, i, c.maxExp)
				e := &bev{s: refState(), prec: prec}
				b, err := c.fn(e, a)
				if err != nil {
					t.Fatalf("%s(%v ± %v) at %d bits: %v", c.name, m, a.r, prec, err)
				}
				if a.r.Sign() == 0 {
					tight(t, c.name, b, prec, c.slack)
				}
				if !checkRef(t, c.name, a, b, prec, c.ref) {
					return
				}
			}
		})
	}
}

// TestBallPowAgainstBigfloat evaluates b^x through the evaluator's pow
// (so integer exponents take repeated squaring, exponents p/2^k with
// 2^k <= 64 the root path and the rest exp(x·log b)) for dyadic b > 0 and
// x, which bigfloat.Pow takes exactly.
func TestBallPowAgainstBigfloat(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 3))
	for range refCount(800) {
		prec := randPrec(rng)
		bf := randMant(rng, uint(60+rng.IntN(int(prec)-60)), rng.IntN(21)-10)
		xf := randMant(rng, uint(1+rng.IntN(60)), rng.IntN(10)-5)
		if rng.IntN(2) == 0 {
			xf.Neg(xf)
		}
		n := &node{k: nPow, args: []*node{{k: nNum, val: ratOf(bf)}, {k: nNum, val: ratOf(xf)}}}
		e := &bev{s: refState(), prec: prec}
		got, err := e.pow(n)
		if err != nil {
			t.Fatalf("pow(%v, %v) at %d bits: %v", bf, xf, prec, err)
		}
		if got.im != nil {
			t.Fatalf("pow(%v, %v) is not real", bf, xf)
		}
		tight(t, "pow", got.re, prec, 24)
		want := bigfloat.Pow(wide(bf, prec), wide(xf, prec))
		if !holds(got.re, ratOf(want)) {
			t.Fatalf("pow(%v, %v) at %d bits: %v is outside %v ± %v", bf, xf, prec, want, got.re.m, got.re.r)
		}
	}
}

// fixed is a value V·2^-F known to within E units of 2^-F.
type fixed struct {
	v, e *big.Int
	f    uint
}

// interval returns [(V-E)/2^F, (V+E)/2^F].
func (x fixed) interval() (lo, hi *big.Rat) {
	d := new(big.Int).Lsh(big.NewInt(1), x.f)
	lo = new(big.Rat).SetFrac(new(big.Int).Sub(x.v, x.e), d)
	hi = new(big.Rat).SetFrac(new(big.Int).Add(x.v, x.e), d)
	return lo, hi
}

// neg returns -x.
func (x fixed) neg() fixed { return fixed{new(big.Int).Neg(x.v), x.e, x.f} }

// lin returns Σ c_i·x_i with the errors added (all at the same scale).
func lin(cs []int64, xs []fixed) fixed {
	v, e := new(big.Int), new(big.Int)
	for i, x := range xs {
		c := big.NewInt(cs[i])
		v.Add(v, new(big.Int).Mul(c, x.v))
		e.Add(e, new(big.Int).Mul(c.Abs(c), x.e))
	}
	return fixed{v, e, xs[0].f}
}

// shr returns x/2^k (floor), one more unit of error.
func (x fixed) shr(k uint) fixed {
	e := new(big.Int).Rsh(x.e, k)
	return fixed{new(big.Int).Rsh(x.v, k), e.Add(e, big.NewInt(2)), x.f}
}

// ceilDiv returns ceil(a/b) for a >= 0, b > 0.
func ceilDiv(a, b *big.Int) *big.Int {
	q, r := new(big.Int).QuoRem(a, b, new(big.Int))
	if r.Sign() != 0 {
		q.Add(q, big.NewInt(1))
	}
	return q
}

// altSeries sums Σ_k (-1)^k p_k/w(k) at scale 2^F, where p_0 = p0 (within
// e0 units), p_{k+1} = p_k·a/(b·d(k)), a, b > 0, d and w positive and d
// increasing. Every floor division adds one unit to the error bound; the
// sum stops when the rounded power is 0 and the ratio a/(b·d(k)) is below
// 1/2, where the rest of the series is below the power's error bound.
func altSeries(t *testing.T, p0, e0, a, b *big.Int, f uint, d, w func(k int64) int64) fixed {
	t.Helper()
	p, e := new(big.Int).Set(p0), new(big.Int).Set(e0)
	s, se := new(big.Int), new(big.Int)
	one := big.NewInt(1)
	for k := int64(0); k < 1_000_000; k++ {
		term := new(big.Int).Quo(p, big.NewInt(w(k)))
		if k%2 == 0 {
			s.Add(s, term)
		} else {
			s.Sub(s, term)
		}
		se.Add(se, e).Add(se, one)
		den := new(big.Int).Mul(b, big.NewInt(d(k)))
		if p.Sign() == 0 && new(big.Int).Lsh(a, 1).Cmp(den) < 0 {
			se.Add(se, e)
			return fixed{s, se, f}
		}
		p.Quo(p.Mul(p, a), den)
		e = ceilDiv(e.Mul(e, a), den)
		e.Add(e, one)
	}
	t.Fatal("series did not converge")
	return fixed{}
}

// dyadicOf returns |x| = X·2^-s with X an integer and s >= 0, and x's
// sign.
func dyadicOf(x *big.Float) (X *big.Int, s int, sign int) {
	p := int(max(x.MinPrec(), 1))
	mant := new(big.Float)
	ex := x.MantExp(mant)
	mant.Abs(mant).SetMantExp(mant, p)
	X, _ = mant.Int(nil)
	if s = p - ex; s < 0 { // an integer: no fraction bits
		X.Lsh(X, uint(-s))
		s = 0
	}
	return X, s, x.Sign()
}

// scaled returns floor(X·2^(f-s)) and its error (0 when exact).
func scaled(X *big.Int, s int, f uint) (v, e *big.Int) {
	if sh := int(f) - s; sh < 0 {
		return new(big.Int).Rsh(X, uint(-sh)), big.NewInt(1)
	}
	return new(big.Int).Lsh(X, uint(int(f)-s)), new(big.Int)
}

// refSinCos returns sin x and cos x for a dyadic x, |x| < 128.
func refSinCos(t *testing.T, x *big.Float, f uint) (sin, cos fixed) {
	X, s, sign := dyadicOf(x)
	a := new(big.Int).Mul(X, X)
	b := new(big.Int).Lsh(big.NewInt(1), uint(2*s))
	w1 := func(int64) int64 { return 1 }
	p0, e0 := scaled(X, s, f)
	sin = altSeries(t, p0, e0, a, b, f, func(k int64) int64 { return (2*k + 2) * (2*k + 3) }, w1)
	cos = altSeries(t, new(big.Int).Lsh(big.NewInt(1), f), new(big.Int), a, b, f, func(k int64) int64 { return (2*k + 1) * (2*k + 2) }, w1)
	if sign < 0 {
		sin = sin.neg()
	}
	return sin, cos
}

// refAtanRat returns atan(A/B) for 0 <= A/B <= 1/2.
func refAtanRat(t *testing.T, A, B *big.Int, f uint) fixed {
	p0 := new(big.Int).Lsh(A, f)
	p0.Quo(p0, B)
	return altSeries(t, p0, big.NewInt(1), new(big.Int).Mul(A, A), new(big.Int).Mul(B, B), f,
		func(int64) int64 { return 1 }, func(k int64) int64 { return 2*k + 1 })
}

// refAtanInv returns atan(1/k).
func refAtanInv(t *testing.T, k int64, f uint) fixed {
	return refAtanRat(t, big.NewInt(1), big.NewInt(k), f)
}

// refPi returns π by Takano's formula,
// π/4 = 12 atan(1/49) + 32 atan(1/57) - 5 atan(1/239) + 12 atan(1/110443).
func refPi(t *testing.T, f uint) fixed {
	q := lin([]int64{12, 32, -5, 12}, []fixed{refAtanInv(t, 49, f), refAtanInv(t, 57, f), refAtanInv(t, 239, f), refAtanInv(t, 110443, f)})
	return lin([]int64{4}, []fixed{q})
}

// refAtan returns atan x for a dyadic x.
func refAtan(t *testing.T, x *big.Float, f uint) fixed {
	X, s, sign := dyadicOf(x)
	one := new(big.Int).Lsh(big.NewInt(1), uint(s)) // 1 at x's scale
	var r fixed
	switch {
	case new(big.Int).Lsh(X, 1).Cmp(one) <= 0: // |x| <= 1/2
		r = refAtanRat(t, X, one, f)
	case X.Cmp(new(big.Int).Lsh(one, 1)) >= 0: // |x| >= 2: π/2 - atan(1/|x|)
		r = lin([]int64{1, -1}, []fixed{refPi(t, f).shr(1), refAtanRat(t, one, X, f)})
	default: // π/4 + atan((|x|-1)/(|x|+1)), the quotient within 1/3
		num := new(big.Int).Sub(X, one)
		q := refAtanRat(t, new(big.Int).Abs(num), new(big.Int).Add(X, one), f)
		if num.Sign() < 0 {
			q = q.neg()
		}
		r = lin([]int64{1, 1}, []fixed{refPi(t, f).shr(2), q})
	}
	if sign < 0 {
		r = r.neg()
	}
	return r
}

// holdsFixed reports whether the certified interval of x lies in the ball.
func holdsFixed(b ball, x fixed) bool {
	lo, hi := x.interval()
	m, r := ratOf(b.m), ratOf(b.r)
	return new(big.Rat).Sub(m, r).Cmp(lo) <= 0 && hi.Cmp(new(big.Rat).Add(m, r)) <= 0
}

func TestBallSinCosAgainstSeries(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 5))
	for i := range refCount(600) {
		prec := randPrec(rng)
		ex := rng.IntN(25) - 20 // |x| < 16
		if i%10 == 9 {
			ex = 5 + rng.IntN(2) // up to 64: several turns of 2π
		}
		m := randMant(rng, uint(53+rng.IntN(int(prec)-52)), ex)
		if rng.IntN(2) == 0 {
			m.Neg(m)
		}
		a := withRadius(rng, m, prec, i, 0)
		e := &bev{s: refState(), prec: prec}
		sn, cs, err := e.sincos1(a)
		if err != nil {
			t.Fatalf("sincos(%v) at %d bits: %v", m, prec, err)
		}
		if a.r.Sign() == 0 {
			tight(t, "sin", sn, prec, 9)
			tight(t, "cos", cs, prec, 9)
		}
		for _, x := range probes(t, a) {
			rs, rc := refSinCos(t, x, prec+192)
			if !holdsFixed(sn, rs) || !holdsFixed(cs, rc) {
				lo, hi := rs.interval()
				t.Fatalf("sin/cos(%v) at %d bits: ball sin %v ± %v, cos %v ± %v; reference sin in [%s, %s]",
					x, prec, sn.m, sn.r, cs.m, cs.r, lo.FloatString(30), hi.FloatString(30))
			}
		}
	}
}

func TestBallAtanAgainstSeries(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 6))
	for i := range refCount(1000) {
		prec := randPrec(rng)
		ex := rng.IntN(31) - 15
		if i%10 == 9 {
			ex = 65 + rng.IntN(10) // the atan(1/x) branch
		}
		m := randMant(rng, uint(53+rng.IntN(int(prec)-52)), ex)
		if rng.IntN(2) == 0 {
			m.Neg(m)
		}
		a := withRadius(rng, m, prec, i, 0)
		e := &bev{s: refState(), prec: prec}
		b, err := e.atan(a)
		if err != nil {
			t.Fatalf("atan(%v) at %d bits: %v", m, prec, err)
		}
		if a.r.Sign() == 0 {
			tight(t, "atan", b, prec, 9)
		}
		for _, x := range probes(t, a) {
			if ref := refAtan(t, x, prec+128); !holdsFixed(b, ref) {
				lo, hi := ref.interval()
				t.Fatalf("atan(%v) at %d bits = %v ± %v; reference in [%s, %s]", x, prec, b.m, b.r, lo.FloatString(40), hi.FloatString(40))
			}
		}
	}
}

// refRoot returns y with y^q <= floor(|x|·2^(qF)) < (y+1)^q, so |x|^(1/q)
// lies in [y, y+1]·2^-F. bigfloat gives the first guess (at F+64 bits);
// the exact integer powers decide.
func refRoot(t *testing.T, x *big.Float, q int64, f uint) fixed {
	X, s, sign := dyadicOf(x)
	n, _ := scaled(X, s, uint(q)*f)
	ax := new(big.Float).SetPrec(max(f, x.MinPrec()) + 64).Abs(x)
	inv := new(big.Float).SetPrec(ax.Prec()).Quo(big.NewFloat(1), big.NewFloat(float64(q)))
	g := bigfloat.Pow(ax, inv)
	y, _ := g.SetMantExp(g, int(f)).Int(nil)
	qq := big.NewInt(q)
	one := big.NewInt(1)
	for steps := 0; new(big.Int).Exp(y, qq, nil).Cmp(n) > 0; steps++ {
		if y.Sub(y, one); steps > 1000 {
			t.Fatal("root guess too far")
		}
	}
	for steps := 0; new(big.Int).Exp(new(big.Int).Add(y, one), qq, nil).Cmp(n) <= 0; steps++ {
		if y.Add(y, one); steps > 1000 {
			t.Fatal("root guess too far")
		}
	}
	// [y, y+1] as a centre 2y+1 and error 1 at scale 2^(F+1)
	r := fixed{y.Lsh(y, 1).Add(y, one), big.NewInt(1), f + 1}
	if sign < 0 {
		r = r.neg()
	}
	return r
}

func TestBallRootsAgainstIntegerRoots(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 7))
	for i := range refCount(500) {
		prec := randPrec(rng)
		q := int64(2 + rng.IntN(63))
		m := randMant(rng, prec, rng.IntN(201)-100)
		if q%2 == 1 && rng.IntN(2) == 0 {
			m.Neg(m)
		}
		a := withRadius(rng, m, prec, i, 0)
		e := &bev{s: refState(), prec: prec}
		b, err := e.root(a, q)
		if err != nil {
			t.Fatalf("root(%v, %d) at %d bits: %v", m, q, prec, err)
		}
		if a.r.Sign() == 0 {
			tight(t, "root", b, prec, 4)
		}
		for _, x := range probes(t, a) {
			if ref := refRoot(t, x, q, prec+64); !holdsFixed(b, ref) {
				lo, hi := ref.interval()
				t.Fatalf("root(%v, %d) at %d bits = %v ± %v; reference in [%s, %s]", x, q, prec, b.m, b.r, lo.FloatString(40), hi.FloatString(40))
			}
		}
	}
}
