package ui

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func join(ss []span) (text, changed string) {
	var t, c strings.Builder
	for _, s := range ss {
		t.WriteString(s.Text)
		if s.Changed {
			c.WriteString("[" + s.Text + "]")
		}
	}
	return t.String(), c.String()
}

func TestDiffSpans(t *testing.T) {
	tests := []struct {
		a, b         string
		wantA, wantB string // the marked text of each side
	}{
		{"same text", "same text", "", ""},
		{"Natalie sold 48 clips", "Maria sold 48 clips", "[Natalie]", "[Maria]"},
		{"How many apples in total?", "How many apples altogether?", "[in total]", "[altogether]"},
		{"Find $x$.", "Find $x$. Express your answer as a fraction.", "", "[Express your answer as a fraction.]"},
		{"Compute $2+3$", "Compute $2+4$", "[3]", "[4]"},
		{"", "new", "", "[new]"},
	}
	for _, tc := range tests {
		sa, sb, ok := diffSpans(tc.a, tc.b)
		if !ok {
			t.Fatalf("%q / %q: not compared", tc.a, tc.b)
		}
		ta, ca := join(sa)
		tb, cb := join(sb)
		if ta != tc.a || tb != tc.b {
			t.Errorf("%q / %q: spans join to %q / %q", tc.a, tc.b, ta, tb)
		}
		if ca != tc.wantA || cb != tc.wantB {
			t.Errorf("%q / %q: marked %q / %q, want %q / %q", tc.a, tc.b, ca, cb, tc.wantA, tc.wantB)
		}
	}
	long := strings.Repeat("word ", maxDiffTokens)
	if _, _, ok := diffSpans(long, "word"); ok {
		t.Error("a text over maxDiffTokens tokens was compared")
	}
}

// FuzzDiffSpans: the spans of each side join back to its text, and equal
// texts have nothing marked.
func FuzzDiffSpans(f *testing.F) {
	f.Add("Natalie sold 48 clips", "Maria sold 48 clips")
	f.Add("a  b\n\tc", "a b c d")
	f.Add("$\\frac{1}{2}$", "\\dfrac12")
	f.Fuzz(func(t *testing.T, a, b string) {
		if !utf8.ValidString(a) || !utf8.ValidString(b) {
			return
		}
		sa, sb, _ := diffSpans(a, b)
		ta, _ := join(sa)
		tb, _ := join(sb)
		if ta != a || tb != b {
			t.Fatalf("spans join to %q / %q", ta, tb)
		}
		if same, _, _ := diffSpans(a, a); len(same) > 1 || (len(same) == 1 && same[0].Changed) {
			t.Fatalf("equal texts marked: %+v", same)
		}
	})
}

func TestDifficultyBins(t *testing.T) {
	tests := []struct {
		name string
		in   map[float64]int64
		want string // label:n, ...
	}{
		{"none", map[float64]int64{}, ""},
		{"one value", map[float64]int64{0.5: 3}, "0.5:3"},
		{"few whole values fill the gaps", map[float64]int64{1: 2, 3: 1}, "1:2 2:0 3:1"},
		{"fractions in nice bins", map[float64]int64{0.1: 1, 0.5: 1, 2.4: 2}, "0:1 0.2:0 0.4:1 0.6:0 0.8:0 1:0 1.2:0 1.4:0 1.6:0 1.8:0 2:0 2.2:0 2.4:2"},
		{"halves binned by one", map[float64]int64{0: 1, 4.5: 2, 7: 1, 13: 1, 20: 1}, "0:1 2:0 4:2 6:1 8:0 10:0 12:1 14:0 16:0 18:0 20:1"},
	}
	for _, tc := range tests {
		got := difficultyBins(tc.in)
		var parts []string
		var total int64
		for _, b := range got {
			parts = append(parts, b.Label+":"+strconv.FormatInt(b.N, 10))
			total += b.N
		}
		if tc.want != "" && strings.Join(parts, " ") != tc.want {
			t.Errorf("%s: bins %v, want %s", tc.name, parts, tc.want)
		}
		var in int64
		for _, n := range tc.in {
			in += n
		}
		if total != in {
			t.Errorf("%s: bins hold %d problems, want %d", tc.name, total, in)
		}
	}
}
