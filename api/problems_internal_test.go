package api

import (
	"strings"
	"testing"

	"github.com/bigmath/bigmath"
)

// The text served to trainers keeps the source's line breaks: a one-line
// text would let an Asymptote "//" comment swallow the code after it.
func TestDisplayTextKeepsLineBreaks(t *testing.T) {
	t.Parallel()
	raw := "Find $x$.\n[asy]\ndraw((0,0)--(1,1)); // the diagonal\nlabel(\"$x$\",(1,1));\n[/asy]"
	p := bigmath.Problem{ProblemRaw: raw, ProblemNorm: "Find $x$. [asy] draw((0,0)--(1,1)); // the diagonal label(\"$x$\",(1,1)); [/asy]"}
	got := displayText(p)
	if !strings.Contains(got, "// the diagonal\nlabel") {
		t.Errorf("displayText(%q) = %q: the comment must end at its line break", raw, got)
	}
	if got := displayText(bigmath.Problem{ProblemNorm: "only normalized"}); got != "only normalized" {
		t.Errorf("displayText without raw text = %q, want the normalized text", got)
	}
}
