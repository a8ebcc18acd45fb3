package verify

import (
	"math"
	"math/big"
	"strconv"
	"strings"
	"testing"
)

// Known-digit tests: π, e, ln 2 and √2 to 1000 decimal digits. The digits
// are computed here, by other formulas than ball.go uses, in big.Int fixed
// point with a counted error bound: π by Takano's formula (ball.go uses
// Machin's, which is summed here too as a cross-check), e by Σ 1/k!, ln 2
// by Σ 1/(k·2^k) (ball.go: 2·atanh(1/3)) and √2 by the integer square
// root. A digit string counts only when both ends of the reference's
// interval give it; the ball's ends must give the same one.

const (
	knownDigits = 1000
	digitsBits  = 3400 // > 1000·log2(10) + 64
)

// digitsOf returns floor(v·10^n) for the ends of [lo, hi] and whether they
// agree.
func digitsOf(lo, hi *big.Rat, n int) (string, bool) {
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
	fl := func(q *big.Rat) *big.Int {
		x := new(big.Int).Mul(q.Num(), p)
		return x.Div(x, q.Denom()) // Euclidean: floor for a positive divisor
	}
	a, b := fl(lo), fl(hi)
	return a.String(), a.Cmp(b) == 0
}

// refE returns e = Σ 1/k!: each term floor(2^F/k!) is exact (the floor of
// a floor divided by an integer), the sum has one unit of error per term,
// and the tail after the first zero term is below 2 units.
func refE(f uint) fixed {
	t := new(big.Int).Lsh(big.NewInt(1), f)
	s := new(big.Int)
	k := int64(0)
	for ; t.Sign() != 0; k++ {
		s.Add(s, t)
		t.Quo(t, big.NewInt(k+1))
	}
	return fixed{s, big.NewInt(k + 2), f}
}

// refLn2 returns ln 2 = Σ_{k>=1} 1/(k·2^k) (the series of -ln(1 - 1/2)):
// F terms floor(2^(F-k)/k), one unit of error each, and a tail below one.
func refLn2(f uint) fixed {
	s := new(big.Int)
	for k := uint(1); k <= f; k++ {
		t := new(big.Int).Lsh(big.NewInt(1), f-k)
		s.Add(s, t.Quo(t, big.NewInt(int64(k))))
	}
	return fixed{s, big.NewInt(int64(f) + 1), f}
}

// refSqrt2 returns √2 from floor(√(2·2^(2F))): within one unit.
func refSqrt2(f uint) fixed {
	n := new(big.Int).Lsh(big.NewInt(2), 2*f)
	return fixed{new(big.Int).Sqrt(n), big.NewInt(1), f}
}

func TestBallKnownDigits(t *testing.T) {
	e := &bev{s: refState(), prec: digitsBits}
	one := ball{e.f().SetInt64(1), rnew()}
	two := ball{e.f().SetInt64(2), rnew()}
	c := chain{e: e}
	eb, ln2, sq2 := c.exp(one), c.log(two), c.sqrt(two)
	if c.err != nil {
		t.Fatal(c.err)
	}
	machin := lin([]int64{16, -4}, []fixed{refAtanInv(t, 5, digitsBits), refAtanInv(t, 239, digitsBits)})
	cases := []struct {
		name  string
		b     ball
		ref   fixed
		float float64
	}{
		{"pi", e.pi(), refPi(t, digitsBits), math.Pi},
		{"pi (Machin)", e.pi(), machin, math.Pi},
		{"e", eb, refE(digitsBits), math.E},
		{"ln 2", ln2, refLn2(digitsBits), math.Ln2},
		{"sqrt 2", sq2, refSqrt2(digitsBits), math.Sqrt2},
	}
	for _, c := range cases {
		lo, hi := c.ref.interval()
		want, ok := digitsOf(lo, hi, knownDigits)
		if !ok {
			t.Fatalf("%s: the reference does not fix %d digits", c.name, knownDigits)
		}
		// the reference's length and first digits against the float64
		// constant (a check of the reference itself)
		ip := ""
		if c.float >= 1 {
			ip = strconv.Itoa(int(c.float))
		}
		if len(want) != len(ip)+knownDigits || !strings.HasPrefix(want, ip) {
			t.Fatalf("%s: reference of %d digits starts %.20s", c.name, len(want), want)
		}
		lead, err := strconv.ParseFloat("0"+ip+"."+want[len(ip):len(ip)+17], 64)
		if err != nil || math.Abs(lead-c.float) > 1e-15*c.float {
			t.Fatalf("%s: reference starts %s, the float64 constant is %v", c.name, want[:17], c.float)
		}
		m, r := ratOf(c.b.m), ratOf(c.b.r)
		got, ok := digitsOf(new(big.Rat).Sub(m, r), new(big.Rat).Add(m, r), knownDigits)
		if !ok {
			t.Errorf("%s: the ball at %d bits (radius %v) does not fix %d digits", c.name, digitsBits, c.b.r, knownDigits)
			continue
		}
		if got != want {
			t.Errorf("%s: ball digits differ from the reference:\n got %s\nwant %s", c.name, got, want)
		}
		if testing.Verbose() {
			t.Logf("%s: %s.%s…%s", c.name, ip, want[len(ip):len(ip)+20], want[len(want)-10:])
		}
	}
}
