package normalize

import "strings"

// placeholderGolds are gold answers that stand for "no answer", after
// unwrapGold: lower case, markup and one final period removed.
var placeholderGolds = wordList("n/a", "na", "n.a", "none", "nil", "null", "nan", "tbd", "tba", "unknown",
	"?", "??", "???", "-", "--", "---", "—", "–", "−", "...", "…", `\ldots`, `\dots`, `\cdots`, "{}", "",
	"see solution", "see the solution", "see solutions", "see below", "see above", "see explanation",
	"see the explanation", "see answer", "see the answer", "see details", "solution", "answer",
	"no answer", "not applicable", "not available", "missing", "no solution given", "omitted")

func wordList(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// isPlaceholderGold reports whether a gold answer stands for no answer: "N/A",
// "none", "?", "see solution", "—", an empty \boxed{}, and the like (see
// placeholderGolds). "0", "no" and "\emptyset" are answers.
func isPlaceholderGold(a string) bool {
	return placeholderGolds[unwrapGold(a)]
}

// unwrapGold strips the markup around a short gold answer: math delimiters,
// \boxed{}, \text{}, \textbf{}, \mathrm{}, surrounding space and one final
// period, then lower-cases it. Long answers come back unchanged but for case:
// they are never placeholders.
func unwrapGold(a string) string {
	t := strings.TrimSpace(a)
	if len(t) > 40 {
		return strings.ToLower(t)
	}
	for range 6 {
		u := strings.TrimSpace(t)
		u = strings.TrimSuffix(u, ".")
		u = strings.TrimSpace(u)
		u = strings.TrimPrefix(strings.TrimSuffix(u, "$"), "$")
		u = strings.TrimPrefix(strings.TrimSuffix(u, `\)`), `\(`)
		u = strings.TrimPrefix(strings.TrimSuffix(u, `\]`), `\[`)
		for _, cmd := range []string{`\boxed`, `\fbox`, `\text`, `\textbf`, `\textit`, `\mathrm`, `\mathbf`, `\mbox`} {
			if strings.HasPrefix(u, cmd) {
				rest := strings.TrimSpace(u[len(cmd):])
				if len(rest) >= 2 && rest[0] == '{' {
					if e, ok := group(rest, 0); ok && e == len(rest) {
						u = rest[1 : e-1]
					}
				}
				break
			}
		}
		u = strings.TrimSpace(u)
		if u == t {
			break
		}
		t = u
	}
	return strings.ToLower(t)
}
