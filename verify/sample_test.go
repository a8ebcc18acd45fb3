package verify

import (
	"context"
	"math/big"
	"testing"
)

func TestPointsFor(t *testing.T) {
	for _, tt := range []struct{ deg, want int }{{1, 4}, {2, 4}, {32, 4}, {33, 5}, {1024, 6}, {maxDegree, 11}} {
		if got := pointsFor(tt.deg); got != tt.want {
			t.Errorf("pointsFor(%d) = %d, want %d", tt.deg, got, tt.want)
		}
		// the bound itself: (D·2^-21)^k <= 2^-64
		lg := 0
		for 1<<lg < tt.deg {
			lg++
		}
		if k := pointsFor(tt.deg); k*(logEps-lg) < wrongEqualLog {
			t.Errorf("pointsFor(%d) = %d leaves the bound above 2^-%d", tt.deg, k, wrongEqualLog)
		}
	}
}

func TestRatDegree(t *testing.T) {
	tests := []struct {
		expr     string
		deg      int
		rational bool
	}{
		{"x", 1, true},
		{"x^2y^2", 4, true},
		{"(x+1)^{200}", 200, true},
		{"\\frac{x^2-1}{x-1}", 3, true},
		{"x+\\frac{1}{x}", 2, true},
		{"\\pi x^3+\\sqrt{2}", 3, true},
		{"\\sin x", 0, false},
		{"x^{1/2}", 0, false},
		{"2^x", 0, false},
		{"|x|", 0, false},
	}
	for _, tt := range tests {
		st := newState(context.Background(), Options{})
		n, err := st.parseAnswer(tt.expr)
		if err != nil {
			t.Fatalf("parse %q: %v", tt.expr, err)
		}
		d, ok, err := st.ratDegree(n)
		if err != nil || ok != tt.rational || ok && d != tt.deg {
			t.Errorf("ratDegree(%q) = %d, %v, %v; want %d, %v", tt.expr, d, ok, err, tt.deg, tt.rational)
		}
	}
}

// TestSamplerPoints: points differ between checks (a caller cannot know
// them), lie in the documented range, and the first four meet every sign
// combination of two variables.
func TestSamplerPoints(t *testing.T) {
	seen := map[string]bool{}
	for range 50 {
		st := newState(context.Background(), Options{})
		// a function of the variables: small rational points
		sp, err := st.newSampler([]string{"x", "y"}, funcNode(fnSin, &node{k: nVar, s: "x"}), &node{k: nVar, s: "y"})
		if err != nil {
			t.Fatal(err)
		}
		signs := map[[2]bool]bool{}
		for i := range 4 {
			pt, ok := sp.next()
			if !ok {
				t.Fatal("no point")
			}
			x, y := pt["x"].re, pt["y"].re
			for _, v := range []*big.Rat{x, y} {
				if f, _ := v.Float64(); f < -4 || f > 4 || f == 0 {
					t.Errorf("point %v outside [-4,4] or zero", v)
				}
			}
			signs[[2]bool{x.Sign() < 0, y.Sign() < 0}] = true
			if i == 0 {
				seen[x.RatString()] = true
			}
		}
		if len(signs) != 4 {
			t.Errorf("first four points cover %d sign combinations", len(signs))
		}
	}
	if len(seen) < 50 {
		t.Errorf("only %d distinct first points in 50 checks", len(seen))
	}
}
