package verify

import (
	"context"
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
// them), lie in the documented ranges and mix signs.
func TestSamplerPoints(t *testing.T) {
	seen := map[string]bool{}
	neg := 0
	for range 50 {
		st := newState(context.Background(), Options{})
		sp, err := st.newSampler([]string{"x"}, &node{k: nVar, s: "x"})
		if err != nil {
			t.Fatal(err)
		}
		pt, ok := sp.next()
		if !ok {
			t.Fatal("no point")
		}
		x := pt["x"].re
		f, _ := x.Float64()
		if f < -4 || f > 4 {
			t.Errorf("point %v outside [-4,4]", x)
		}
		if f < 0 {
			neg++
		}
		seen[x.RatString()] = true
	}
	if len(seen) < 50 {
		t.Errorf("only %d distinct first points in 50 checks", len(seen))
	}
	if neg == 0 || neg == 50 {
		t.Errorf("%d of 50 first points negative", neg)
	}
}
