package verify

import (
	crand "crypto/rand"
	"math/big"
	"math/bits"
	"math/rand/v2"
)

// Sample points. Expressions in variables are compared at random rational
// points drawn per check from a ChaCha8 stream seeded by crypto/rand, so a
// caller cannot know the points in advance.
//
// Rational functions (numbers, constants, + − × ÷ and integer powers of the
// variables) are evaluated at integer points: every coordinate is uniform
// in [1, 2^22], negated on the first points by a fixed sign pattern (point
// i negates variable j when bit j of i is set, so that the first points
// meet every sign combination of two variables). Other expressions are
// evaluated at small rationals where sin, exp and powers are
// well-conditioned: p/q with q uniform in [2^20, 2^21) and p uniform in
// [1, 4q] with the same sign pattern, later (when a side is undefined at
// negative values, as √x and ln x are) positive only, in (0, 4] and then
// (0, 64]; no fixed period can divide such denominators. Either way any
// one value has probability at most 2^-22, and
// at most 2^-21 among the points where both sides are defined (a point is
// redrawn when a side is undefined there, which for a rational function of
// degree D happens with probability at most D·2^-22).
//
// For rational functions (numbers, constants, + − × ÷ and integer powers of
// the variables) the difference of two sides of degree bounds Dg and Dp is
// a quotient whose numerator has total degree at most D = Dg + Dp. By the
// Schwartz–Zippel lemma a non-zero numerator vanishes at such a point with
// probability at most D·2^-21, so with k points the chance that all k agree
// although the sides differ is at most (D·2^-21)^k. k is chosen as the
// smallest count with (D·2^-21)^k ≤ 2^-64 (4 points up to D = 32, at most
// maxRationalPoints); a degree bound above maxDegree is not decided
// (budget_exceeded).
//
// Other expressions (functions or non-integer powers of the variables)
// need funcPoints agreeing points (with fewer than minFuncPoints defined
// ones they are equal only when printed alike). No bound is proven for
// them.

const (
	// logEps is -log2 of the largest probability of one coordinate value
	// among defined points.
	logEps = 21
	// wrongEqualLog is -log2 of the bound on a wrong "equal" for rational
	// functions.
	wrongEqualLog = 64
	// maxDegree bounds the degree of a rational function compared by
	// sampling.
	maxDegree = 1 << 15
	// funcPoints is the number of agreeing points required when a side is
	// not a rational function.
	funcPoints = 4
	// minFuncPoints: with fewer defined points than this, expressions that
	// are not rational functions are equal only when printed alike.
	minFuncPoints = 3
)

// maxRationalPoints is the point count at the degree bound maxDegree.
var maxRationalPoints = pointsFor(maxDegree)

// pointsFor returns the smallest k with (D·2^-logEps)^k ≤ 2^-wrongEqualLog.
func pointsFor(d int) int {
	lg := bits.Len(uint(max(d, 1) - 1)) // ceil(log2 d)
	per := logEps - lg
	return (wrongEqualLog + per - 1) / per
}

// sampler draws the points of one comparison.
type sampler struct {
	r       *rand.Rand
	names   []string
	need    int  // agreeing points required
	integer bool // integer points (rational functions)
	min     int  // fewer defined points than this: not decided by sampling
	tries   int
	i       int
}

// newSampler prepares the points for comparing the given sides in the
// variables names. rational reports that every side is a rational function
// of the variables, with degree bound deg (the sum over the sides).
func (s *state) newSampler(names []string, sides ...*node) (*sampler, error) {
	sp := &sampler{names: names}
	if len(names) == 0 {
		sp.need, sp.min, sp.tries = 1, 1, 1
		return sp, nil
	}
	if s.rng == nil {
		var seed [32]byte
		_, _ = crand.Read(seed[:]) // never fails (crypto/rand)
		s.rng = rand.New(rand.NewChaCha8(seed))
	}
	sp.r = s.rng
	deg, rational := 0, true
	for _, n := range sides {
		d, ok, err := s.ratDegree(n)
		if err != nil {
			return nil, err
		}
		if !ok {
			rational = false
			break
		}
		deg = satAdd(deg, d)
	}
	switch {
	case !rational:
		sp.need, sp.min = funcPoints, minFuncPoints
	case deg > maxDegree:
		return nil, errBudget
	default:
		sp.need = pointsFor(deg)
		sp.min = sp.need
		sp.integer = true
	}
	sp.tries = 3*sp.need + 4
	return sp, nil
}

// next returns the next point, or false when the tries are used up. The
// first points have coordinates of both signs in [-4, 4]; later ones are
// positive, in (0, 4] and then in (0, 64].
func (sp *sampler) next() (env, bool) {
	if sp.i >= sp.tries {
		return nil, false
	}
	i := sp.i
	sp.i++
	pt := make(env, len(sp.names))
	if sp.r == nil {
		return pt, true
	}
	for j, name := range sp.names {
		if sp.integer {
			p := 1 + sp.r.Int64N(1<<22)
			if i < sp.need+2 && (i>>(j%8))&1 == 1 {
				p = -p
			}
			pt[name] = cq{re: new(big.Rat).SetInt64(p)}
			continue
		}
		q := int64(1<<20) + sp.r.Int64N(1<<20)
		var p int64
		switch {
		case i < sp.need+2:
			// signs by pattern, so that the first points meet every sign
			// combination of up to two variables (|x| is not x, |xy| is not xy)
			p = 1 + sp.r.Int64N(4*q)
			if (i>>(j%8))&1 == 1 {
				p = -p
			}
		case i < 2*sp.need+2:
			p = 1 + sp.r.Int64N(4*q)
		default:
			p = 1 + sp.r.Int64N(64*q)
		}
		pt[name] = cq{re: big.NewRat(p, q)}
	}
	return pt, true
}

func satAdd(a, b int) int {
	if a > 1<<30-b {
		return 1 << 30
	}
	return a + b
}

func satMul(a, b int) int {
	if a != 0 && b > (1<<30)/a {
		return 1 << 30
	}
	return a * b
}

// ratDegree bounds the degree of n as a rational function P/Q of its
// variables by max(deg P, deg Q); ok is false when n is not a rational
// function (a function or a non-integer power of a variable).
func (s *state) ratDegree(n *node) (int, bool, error) {
	d, _, ok, err := s.ratDeg(n, 0)
	return d, ok, err
}

// ratDeg returns the degree bound and whether n is a polynomial.
func (s *state) ratDeg(n *node, depth int) (d int, poly, ok bool, err error) {
	if depth > 200 {
		return 0, false, false, nil
	}
	if err := s.tick(); err != nil {
		return 0, false, false, err
	}
	switch n.k {
	case nNum, nBase:
		return 0, true, true, nil
	case nConst:
		return 0, true, n.cst != cInf, nil
	case nVar:
		return 1, true, true, nil
	case nNeg, nDeg:
		return s.ratDeg(n.args[0], depth+1)
	case nAdd, nMul:
		poly = true
		for _, a := range n.args {
			da, pa, oka, err := s.ratDeg(a, depth+1)
			if err != nil || !oka {
				return 0, false, false, err
			}
			poly = poly && pa
			if n.k == nAdd && pa && poly {
				d = max(d, da)
			} else {
				// P1/Q1 + P2/Q2 = (P1Q2 + P2Q1)/(Q1Q2); products add degrees
				d = satAdd(d, da)
			}
		}
		return d, poly, true, nil
	case nDiv:
		a, pa, oka, err := s.ratDeg(n.args[0], depth+1)
		if err != nil || !oka {
			return 0, false, false, err
		}
		b, _, okb, err := s.ratDeg(n.args[1], depth+1)
		if err != nil || !okb {
			return 0, false, false, err
		}
		if b == 0 && !hasVars(n.args[1]) {
			return a, pa, true, nil
		}
		return satAdd(a, b), false, true, nil
	case nPow:
		if !hasVars(n.args[0]) && !hasVars(n.args[1]) {
			return 0, true, true, nil
		}
		if hasVars(n.args[1]) {
			return 0, false, false, nil
		}
		e, ok, err := s.exact(n.args[1], nil)
		if err != nil || !ok || !e.isReal() || !e.re.IsInt() {
			return 0, false, false, err
		}
		k, err := s.smallInt(e)
		if err != nil {
			return 0, false, false, err
		}
		b, pb, okb, err := s.ratDeg(n.args[0], depth+1)
		if err != nil || !okb {
			return 0, false, false, err
		}
		return satMul(b, int(abs(int(k)))), pb && k >= 0, true, nil
	case nFunc, nFact:
		if !hasVars(n) {
			return 0, true, true, nil
		}
	}
	return 0, false, false, nil
}
