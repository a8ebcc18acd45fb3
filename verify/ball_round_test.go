package verify

import (
	"context"
	"math/big"
	"math/rand/v2"
	"testing"
	"time"
)

// refState returns a check state with a deadline far enough away that the
// reference tests never stop on the clock.
func refState() *state {
	return newState(context.Background(), Options{Timeout: time.Hour})
}

// ratOf returns the exact value of f.
func ratOf(f *big.Float) *big.Rat {
	q, _ := f.Rat(nil)
	return q
}

// holds reports whether the exact value v lies in [m-r, m+r], computed
// exactly with rationals.
func holds(b ball, v *big.Rat) bool {
	d := new(big.Rat).Sub(v, ratOf(b.m))
	return d.Abs(d).Cmp(ratOf(b.r)) <= 0
}

// randMant returns a random float of exactly prec significant bits (top
// and bottom bit set, so no rounding hides in short mantissas) times 2^exp.
func randMant(rng *rand.Rand, prec uint, exp int) *big.Float {
	n := new(big.Int)
	for n.BitLen() < int(prec) {
		n.Lsh(n, 64).Or(n, new(big.Int).SetUint64(rng.Uint64()))
	}
	n.Rsh(n, uint(n.BitLen())-prec)
	n.SetBit(n, int(prec)-1, 1).SetBit(n, 0, 1)
	f := new(big.Float).SetPrec(prec).SetInt(n)
	return f.SetMantExp(f, exp-int(prec))
}

// randRadius returns a random 64-bit radius of magnitude about 2^exp.
func randRadius(rng *rand.Rand, exp int) *big.Float {
	f := new(big.Float).SetPrec(64).SetUint64(rng.Uint64() | 1<<63 | 1)
	return f.SetMantExp(f, exp-64)
}

// TestInvRadiusRoundsUp checks 1/x at the end of the ball nearest zero,
// where |1/x - 1/m| = r/((|m|-r)|m|) is largest: the radius must be at
// least that. The midpoints have full 128-bit mantissas, so rounding |m|
// or |m|·lo to 64 bits upwards (the old, unsafe direction for a
// denominator) makes the radius too small by about 2^-64 of r/m², far more
// than the slack eps leaves at 128 bits.
func TestInvRadiusRoundsUp(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 4))
	e := &bev{s: refState(), prec: 128}
	bad := 0
	for i := range 2000 {
		m := randMant(rng, 128, rng.IntN(41)-20)
		if i%2 == 1 {
			m.Neg(m)
		}
		r := randRadius(rng, m.MantExp(nil)-1-rng.IntN(40))
		a := ball{m, r}
		b, err := e.inv(a)
		if err != nil {
			t.Fatalf("inv(%v ± %v): %v", m, r, err)
		}
		// the end nearest zero: m - r for m > 0, m + r for m < 0
		near := new(big.Rat).Abs(ratOf(m))
		near.Sub(near, ratOf(r))
		if m.Sign() < 0 {
			near.Neg(near)
		}
		far := new(big.Rat).Add(ratOf(m), new(big.Rat).Mul(big.NewRat(int64(m.Sign()), 1), ratOf(r)))
		for _, x := range []*big.Rat{near, far, ratOf(m)} {
			if !holds(b, new(big.Rat).Inv(x)) {
				bad++
				if bad <= 3 {
					t.Errorf("1/%s is outside inv(%v ± %v) = %v ± %v", x.FloatString(50), m, r, b.m, b.r)
				}
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of 6000 exact values outside the ball", bad)
	}
}

// TestFloorOfRoundsOutward checks floor and ceil of balls whose ends sit
// within less than one ulp of the midpoint's precision from an integer: the
// old code computed m-r and m+r rounded to nearest at prec bits, which
// turned 3 - 2^-180 into 3 and so called floor 3 where it may be 2; and
// it took ceil as floor+1, wrong when the ball's lower end is an integer.
func TestFloorOfRoundsOutward(t *testing.T) {
	f := func(prec uint, v float64, exps ...int) *big.Float {
		x := new(big.Float).SetPrec(prec).SetFloat64(v)
		for _, k := range exps {
			x.Add(x, new(big.Float).SetMantExp(big.NewFloat(1), k))
		}
		return x
	}
	cases := []struct {
		name   string
		b      ball
		ceil   bool
		want   int64
		decide bool
	}{
		{"below 3 by 2^-180", ball{f(128, 3, -126), f(64, 0, -126, -180)}, false, 0, false},
		{"above 3 by 2^-180", ball{f(128, 3, -126), f(64, 0, -126, -180)}, true, 0, false},
		{"inside (2,3)", ball{f(128, 2.6), f(64, 0.1)}, false, 2, true},
		{"inside (2,3) ceil", ball{f(128, 2.6), f(64, 0.1)}, true, 3, true},
		{"[3, 3.5] floor", ball{f(128, 3.25), f(64, 0.25)}, false, 3, true},
		{"[3, 3.5] ceil", ball{f(128, 3.25), f(64, 0.25)}, true, 0, false},
		{"inside (-3,-2)", ball{f(128, -2.5), f(64, 0.25)}, false, -3, true},
		{"inside (-3,-2) ceil", ball{f(128, -2.5), f(64, 0.25)}, true, -2, true},
	}
	for _, c := range cases {
		k, ok := floorOf(c.b, c.ceil)
		if ok != c.decide || (ok && k.Int64() != c.want) {
			t.Errorf("%s: floorOf(%v ± %v, ceil=%v) = %v, %v; want %d, %v", c.name, c.b.m, c.b.r, c.ceil, k, ok, c.want, c.decide)
		}
	}
}
