package verify

import (
	"math/big"
	"sort"
	"strings"
)

// surd is a sum of rational multiples of square roots of distinct
// square-free integers: Σ q_f·√f (f = 1 for the rational part). It gives
// radicals a canonical form: 2√2 and √8, √3/3 and 1/√3 print the same.
type surd map[int64]*big.Rat

// maxSurdRadicand bounds the integers factored for square-free parts.
const maxSurdRadicand = 1 << 32

// toSurd converts a constant expression built from rationals, + - × ÷ by
// rationals or single terms, small integer powers and square roots of
// rationals; ok=false for anything else.
func (s *state) toSurd(n *node, depth int) (surd, bool) {
	if depth > 64 || s.tick() != nil {
		return nil, false
	}
	if v, ok, err := s.exact(n, nil); err == nil && ok {
		if !v.isReal() {
			return nil, false
		}
		return surd{1: new(big.Rat).Set(v.re)}, true
	}
	switch n.k {
	case nAdd:
		acc := surd{}
		for _, a := range n.args {
			x, ok := s.toSurd(a, depth+1)
			if !ok {
				return nil, false
			}
			acc.add(x)
		}
		return acc, true
	case nNeg:
		x, ok := s.toSurd(n.args[0], depth+1)
		if !ok {
			return nil, false
		}
		for _, q := range x {
			q.Neg(q)
		}
		return x, true
	case nMul:
		acc := surd{1: big.NewRat(1, 1)}
		for _, a := range n.args {
			x, ok := s.toSurd(a, depth+1)
			if !ok {
				return nil, false
			}
			if acc, ok = acc.mul(x); !ok {
				return nil, false
			}
		}
		return acc, true
	case nDiv:
		a, ok1 := s.toSurd(n.args[0], depth+1)
		b, ok2 := s.toSurd(n.args[1], depth+1)
		if !ok1 || !ok2 || len(b) != 1 {
			return nil, false
		}
		// divide by a single term q·√f: multiply by √f / (q·f)
		for f, q := range b {
			if q.Sign() == 0 {
				return nil, false
			}
			inv := new(big.Rat).Mul(q, big.NewRat(f, 1))
			inv.Inv(inv)
			return a.mul(surd{f: inv})
		}
	case nPow:
		e, ok, err := s.exact(n.args[1], nil)
		if err != nil || !ok || !e.isReal() || !e.re.IsInt() || e.re.Sign() < 0 || e.re.Num().Int64() > 16 {
			if err == nil && ok && e.isReal() && e.re.Cmp(big.NewRat(1, 2)) == 0 {
				return s.surdSqrt(n.args[0], depth)
			}
			return nil, false
		}
		b, ok := s.toSurd(n.args[0], depth+1)
		if !ok {
			return nil, false
		}
		acc := surd{1: big.NewRat(1, 1)}
		for range e.re.Num().Int64() {
			if acc, ok = acc.mul(b); !ok {
				return nil, false
			}
		}
		return acc, true
	case nFunc:
		if n.fn == fnSqrt {
			return s.surdSqrt(n.args[0], depth)
		}
	}
	return nil, false
}

// surdSqrt is √x for an exact non-negative rational x.
func (s *state) surdSqrt(x *node, depth int) (surd, bool) {
	v, ok, err := s.exact(x, nil)
	if err != nil || !ok || !v.isReal() || v.re.Sign() < 0 {
		return nil, false
	}
	// √(a/b) = √(a·b)/b
	ab := new(big.Int).Mul(v.re.Num(), v.re.Denom())
	if !ab.IsInt64() || ab.Int64() > maxSurdRadicand {
		return nil, false
	}
	sq, f := squareFree(ab.Int64())
	q := new(big.Rat).SetFrac(big.NewInt(sq), v.re.Denom())
	return surd{f: q}, true
}

// squareFree writes n = s²·f with f square-free.
func squareFree(n int64) (int64, int64) {
	if n == 0 {
		return 0, 1
	}
	s, f := int64(1), int64(1)
	for p := int64(2); p*p <= n; p++ {
		for n%(p*p) == 0 {
			n /= p * p
			s *= p
		}
		if n%p == 0 {
			n /= p
			f *= p
		}
	}
	return s, f * n
}

func (a surd) add(b surd) {
	for f, q := range b {
		if x, ok := a[f]; ok {
			x.Add(x, q)
		} else {
			a[f] = new(big.Rat).Set(q)
		}
	}
}

func (a surd) mul(b surd) (surd, bool) {
	out := surd{}
	if len(a)*len(b) > 64 {
		return nil, false
	}
	for f, p := range a {
		for g, q := range b {
			if f > maxSurdRadicand/g {
				return nil, false
			}
			sq, h := squareFree(f * g)
			c := new(big.Rat).Mul(p, q)
			c.Mul(c, big.NewRat(sq, 1))
			out.add(surd{h: c})
		}
	}
	return out, true
}

// nonzero returns the radicands with a non-zero coefficient.
func (a surd) nonzero() []int64 {
	var out []int64
	for f, q := range a {
		if q.Sign() != 0 {
			out = append(out, f)
		}
	}
	return out
}

// String prints the surd with terms in increasing radicand.
func (a surd) String() string {
	keys := make([]int64, 0, len(a))
	for f, q := range a {
		if q.Sign() != 0 {
			keys = append(keys, f)
		}
	}
	if len(keys) == 0 {
		return "0"
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	var b strings.Builder
	for i, f := range keys {
		q := a[f]
		if i > 0 && q.Sign() > 0 {
			b.WriteString("+")
		}
		if f == 1 {
			b.WriteString(q.RatString())
			continue
		}
		switch {
		case q.Cmp(big.NewRat(1, 1)) == 0:
		case q.Cmp(big.NewRat(-1, 1)) == 0:
			b.WriteString("-")
		default:
			b.WriteString(q.RatString() + "*")
		}
		b.WriteString("sqrt(" + big.NewInt(f).String() + ")")
	}
	return b.String()
}
