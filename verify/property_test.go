package verify

import (
	"context"
	"fmt"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// A property test whose oracle is construction: each generator builds a
// gold and a prediction that differ by a known non-zero amount or
// structure, so the verdict must never be equal. Each family also builds a
// control pair that is equal by construction, so a verifier that rejects
// everything fails too.

type propCase struct {
	family, gold, pred string
}

// propGen builds n differing pairs and n equal controls of one family.
type propGen func(r *rand.Rand) (differ, same propCase)

func nonzero(r *rand.Rand, lim int64) int64 {
	for {
		if v := r.Int64N(2*lim+1) - lim; v != 0 {
			return v
		}
	}
}

// poly prints a random polynomial in the given variables.
func poly(r *rand.Rand, vars []string, terms int) string {
	var b strings.Builder
	for i := range terms {
		c := nonzero(r, 50)
		if i > 0 && c > 0 {
			b.WriteString("+")
		}
		fmt.Fprintf(&b, "%d", c)
		for _, v := range vars {
			if e := r.IntN(4); e > 0 {
				fmt.Fprintf(&b, "%s^{%d}", v, e)
			}
		}
	}
	return b.String()
}

// linearProduct prints c·(a1 x - b1)(a2 y - b2)... with c, a_i non-zero.
func linearProduct(r *rand.Rand, vars []string, factors int, c int64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d", c)
	for range factors {
		v := vars[r.IntN(len(vars))]
		fmt.Fprintf(&b, "(%d%s-%d)", nonzero(r, 999), v, r.Int64N(1000))
	}
	return b.String()
}

var propFamilies = map[string]propGen{
	// polynomials plus a non-zero multiple of a product of linear factors
	// (the vanishing-product attack on fixed sample points)
	"vanishing product": func(r *rand.Rand) (propCase, propCase) {
		vars := [][]string{{"x"}, {"x", "y"}, {"a", "b", "c"}}[r.IntN(3)]
		p := poly(r, vars, 1+r.IntN(4))
		k := 1 + r.IntN(6)
		d := propCase{gold: p, pred: p + "+" + linearProduct(r, vars, k, nonzero(r, 9))}
		s := propCase{gold: p, pred: p + "+" + linearProduct(r, vars, k, 0)}
		return d, s
	},
	// huge and tiny exponents: never collapsed into the constant e, never
	// rounded together
	"huge and tiny exponents": func(r *rand.Rand) (propCase, propCase) {
		n := 7 + r.IntN(12)
		digits := strings.Repeat("9", n)
		switch r.IntN(4) {
		case 0:
			return propCase{gold: digits + "e", pred: "1e" + digits}, propCase{gold: digits + "e", pred: "e\\cdot" + digits}
		case 1:
			return propCase{gold: "e-2" + digits, pred: "1e-2" + digits}, propCase{gold: "e-2" + digits, pred: "-2" + digits + "+e"}
		case 2:
			k := 100 + r.IntN(900)
			return propCase{gold: fmt.Sprintf("2^{%d}", k), pred: fmt.Sprintf("2^{%d}+1", k)},
				propCase{gold: fmt.Sprintf("2^{%d}", k), pred: fmt.Sprintf("2\\cdot 2^{%d}", k-1)}
		default:
			k := 100 + r.IntN(900)
			return propCase{gold: fmt.Sprintf("\\frac{1}{2^{%d}}+\\sqrt{2}", k), pred: fmt.Sprintf("\\frac{1}{2^{%d}}+\\sqrt{2}", k+1)},
				propCase{gold: fmt.Sprintf("\\frac{1}{2^{%d}}+\\sqrt{2}", k), pred: fmt.Sprintf("\\frac{2}{2^{%d}}+\\sqrt{2}", k+1)}
		}
	},
	// near-equal rationals
	"near-equal rationals": func(r *rand.Rand) (propCase, propCase) {
		a := randBig(r, 10+r.IntN(20))
		b := new(big.Int).Add(a, big.NewInt(1+r.Int64N(1000)))
		k := 2 + r.Int64N(50)
		ka, kb := new(big.Int).Mul(a, big.NewInt(k)), new(big.Int).Mul(b, big.NewInt(k))
		d := propCase{gold: fmt.Sprintf("\\frac{%s}{%s}", a, b), pred: fmt.Sprintf("\\frac{%s}{%s}", new(big.Int).Add(ka, big.NewInt(1)), kb)}
		s := propCase{gold: fmt.Sprintf("\\frac{%s}{%s}", a, b), pred: fmt.Sprintf("\\frac{%s}{%s}", ka, kb)}
		return d, s
	},
	// decimals rounded below the 12 significant digits of the policy
	"rounded decimals": func(r *rand.Rand) (propCase, propCase) {
		den := []int64{3, 7, 9, 11, 13, 17, 19, 21, 23, 29, 31, 37}[r.IntN(12)]
		num := 1 + r.Int64N(10*den)
		if num%den == 0 {
			num++
		}
		x := new(big.Rat).SetFrac64(num, den)
		digits := 1 + r.IntN(11) // significant digits below 12
		f, _ := x.Float64()
		dec := new(big.Float).SetFloat64(f).Text('g', digits)
		d := propCase{gold: fmt.Sprintf("\\frac{%d}{%d}", num, den), pred: dec}
		s := propCase{gold: fmt.Sprintf("\\frac{%d}{%d}", num, den), pred: fmt.Sprintf("\\frac{%d}{%d}", 2*num, 2*den)}
		return d, s
	},
	// swapped tuple entries
	"swapped tuples": func(r *rand.Rand) (propCase, propCase) {
		a, b, c := r.Int64N(100), r.Int64N(100), r.Int64N(100)
		if a == b {
			b++
		}
		if r.IntN(2) == 0 {
			return propCase{gold: fmt.Sprintf("(%d,%d)", a, b), pred: fmt.Sprintf("(%d,%d)", b, a)},
				propCase{gold: fmt.Sprintf("(%d,%d)", a, b), pred: fmt.Sprintf("\\left(%d, %d\\right)", a, b)}
		}
		return propCase{gold: fmt.Sprintf("(%d,%d,%d)", a, b, c), pred: fmt.Sprintf("(%d,%d,%d)", b, a, c)},
			propCase{gold: fmt.Sprintf("(%d,%d,%d)", a, b, c), pred: fmt.Sprintf("(%d, %d, %d)", a, b, c)}
	},
	// open against closed interval ends
	"interval ends": func(r *rand.Rand) (propCase, propCase) {
		a := r.Int64N(100) - 50
		b := a + 1 + r.Int64N(50)
		ends := []string{"()", "[]", "(]", "[)"}
		i := r.IntN(4)
		j := (i + 1 + r.IntN(3)) % 4
		iv := func(e string) string { return fmt.Sprintf("%c%d,%d%c", e[0], a, b, e[1]) }
		return propCase{gold: iv(ends[i]), pred: iv(ends[j])}, propCase{gold: iv(ends[i]), pred: iv(ends[i]) + " "}
	},
	// conjugates
	"conjugates": func(r *rand.Rand) (propCase, propCase) {
		a, b := r.Int64N(100), nonzero(r, 100)
		z := fmt.Sprintf("%d%+di", a, b)
		conj := fmt.Sprintf("%d%+di", a, -b)
		if r.IntN(2) == 0 {
			return propCase{gold: z, pred: "\\overline{" + z + "}"}, propCase{gold: conj, pred: "\\overline{" + z + "}"}
		}
		return propCase{gold: z, pred: conj}, propCase{gold: z, pred: fmt.Sprintf("%di+%d", b, a)}
	},
	// a superscript binds one letter: x^k y^k is not x y^k
	"superscripts": func(r *rand.Rand) (propCase, propCase) {
		k := 2 + r.IntN(5)
		v := []string{"xy", "ab", "abc", "pq"}[r.IntN(4)]
		all := ""
		for _, c := range v {
			all += fmt.Sprintf("%c^{%d}", c, k)
		}
		return propCase{gold: all, pred: fmt.Sprintf("%s^{%d}", v, k)}, propCase{gold: all, pred: fmt.Sprintf("(%s)^{%d}", v, k)}
	},
	// percent, units and ratios off by a known amount
	"values": func(r *rand.Rand) (propCase, propCase) {
		n := 1 + r.Int64N(500)
		switch r.IntN(3) {
		case 0:
			return propCase{gold: fmt.Sprintf("%d\\%%", n), pred: fmt.Sprintf("%d", n+1)}, propCase{gold: fmt.Sprintf("%d\\%%", n), pred: fmt.Sprintf("%d/100", n)}
		case 1:
			return propCase{gold: fmt.Sprintf("%d\\text{ kg}", n), pred: fmt.Sprintf("%d\\text{ g}", n)}, propCase{gold: fmt.Sprintf("%d\\text{ kg}", n), pred: fmt.Sprintf("%d000\\text{ g}", n)}
		default:
			m := 1 + r.Int64N(97)
			return propCase{gold: fmt.Sprintf("%d:%d", n, m), pred: fmt.Sprintf("%d:%d", n, m+1)}, propCase{gold: fmt.Sprintf("%d:%d", n, m), pred: fmt.Sprintf("%d:%d", 3*n, 3*m)}
		}
	},
}

// randBig returns a random integer of up to digits decimal digits.
func randBig(r *rand.Rand, digits int) *big.Int {
	var b strings.Builder
	b.WriteByte(byte('1' + r.IntN(9)))
	for range digits - 1 {
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	x, _ := new(big.Int).SetString(b.String(), 10)
	return x
}

// propCases is the number of generated cases per family.
const propCases = 400

func TestPropertyNoFalsePositive(t *testing.T) {
	ctx := context.Background()
	opts := Options{Timeout: 2 * time.Second}
	total := 0
	for name, gen := range propFamilies {
		t.Run(name, func(t *testing.T) {
			// a fixed seed per family: failures reproduce
			var seed [32]byte
			copy(seed[:], name)
			r := rand.New(rand.NewChaCha8(seed))
			n := propCases
			if testing.Short() {
				n = 40
			}
			controls := 0
			for range n {
				d, s := gen(r)
				if v := Answer(ctx, d.gold, d.pred, opts); v.Correct {
					t.Errorf("false positive: Answer(%q, %q) = equal (gold %q, pred %q)", d.gold, d.pred, v.GoldCanonical, v.PredCanonical)
				}
				if v := Answer(ctx, s.gold, s.pred, opts); v.Correct {
					controls++
				} else {
					t.Logf("control not equal: Answer(%q, %q) = %s", s.gold, s.pred, v.Reason)
				}
				total++
			}
			// the controls show the generator builds readable answers
			if controls < n*95/100 {
				t.Errorf("only %d of %d equal controls are equal", controls, n)
			}
		})
	}
	t.Logf("%d generated differing pairs, none equal", total)
}
