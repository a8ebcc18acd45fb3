package normalize

import "strings"

// LastBoxed returns the content of the last \boxed{...} or \fbox{...} in s,
// found by brace matching (escaped braces \{ and \} do not count), trimmed of
// surrounding space. The unbraced form "\boxed 5" is also read, up to the
// next space, brace or "$". ok is false when s has no box, when the last box is not
// closed (a truncated solution) or when it is empty.
func LastBoxed(s string) (string, bool) {
	start := -1
	var end int
	for _, name := range []string{`\boxed`, `\fbox`} {
		for from := 0; ; {
			k := strings.Index(s[from:], name)
			if k < 0 {
				break
			}
			k += from
			e := k + len(name)
			if e < len(s) && isLetter(s[e]) { // \boxedx is another command
				from = e
				continue
			}
			if k > start {
				start, end = k, e
			}
			from = e
		}
	}
	if start < 0 {
		return "", false
	}
	i := end
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
		i++
	}
	if i < len(s) && s[i] == '{' {
		e, ok := group(s, i)
		if !ok {
			return "", false
		}
		inner := strings.TrimSpace(s[i+1 : e-1])
		return inner, inner != ""
	}
	if i == end { // "\boxed" followed directly by something that is not a brace
		return "", false
	}
	j := i
	for j < len(s) && s[j] != ' ' && s[j] != '$' && s[j] != '\n' && s[j] != '\t' && s[j] != '}' && s[j] != '{' {
		j++
	}
	inner := strings.TrimSpace(s[i:j])
	return inner, inner != ""
}

// AfterHashes returns the text after the last "####" marker of a GSM8K
// solution, up to the end of that line, trimmed of space. The raw text is
// kept (thousands separators such as "1,080" included); the verifier parses
// it. ok is false when there is no marker or nothing follows it.
func AfterHashes(s string) (string, bool) {
	k := strings.LastIndex(s, "####")
	if k < 0 {
		return "", false
	}
	rest := s[k+4:]
	rest = strings.TrimLeft(rest, "# \t")
	if nl := strings.IndexByte(rest, '\n'); nl >= 0 {
		rest = rest[:nl]
	}
	rest = strings.TrimSpace(rest)
	return rest, rest != ""
}

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
