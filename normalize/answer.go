package normalize

import "strings"

// Answer returns the canonical text of an extracted gold answer: Text, then
// one pair of math delimiters around the whole answer removed and a final
// period dropped ("$\dfrac{1}{2}$." -> "\frac{1}{2}").
func Answer(s string) string {
	t := Text(s)
	for {
		u := strings.TrimSuffix(t, ".")
		u = strings.TrimSpace(u)
		if len(u) >= 2 && u[0] == '$' && u[len(u)-1] == '$' && !strings.HasSuffix(u, `\$`) &&
			!strings.Contains(u[1:len(u)-1], "$") {
			u = strings.TrimSpace(u[1 : len(u)-1])
		}
		if u == t {
			return t
		}
		t = u
	}
}
