package normalize

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// runeClass says how foldUnicode treats one rune.
type runeClass uint8

const (
	classNormal runeClass = iota // NFKC
	classKeep                    // copied as is
	classDrop                    // removed
	classSpace                   // becomes a space
	classSup                     // superscript: becomes ^{...}
	classSub                     // subscript: becomes _{...}
	classFrac                    // vulgar fraction: becomes \frac{n}{d}
	classMinus                   // U+2212 minus sign: becomes "-"
)

func classify(r rune) runeClass {
	switch {
	case r == 0x2212:
		return classMinus
	case r == 0x00B2 || r == 0x00B3 || r == 0x00B9 || r >= 0x2070 && r <= 0x207F:
		if r == 0x2072 || r == 0x2073 { // unassigned
			return classNormal
		}
		return classSup
	case r >= 0x2080 && r <= 0x209C:
		if r == 0x208F {
			return classNormal
		}
		return classSub
	case r >= 0x00BC && r <= 0x00BE, r >= 0x2150 && r <= 0x215E, r == 0x2189:
		return classFrac
	case r >= 0x2100 && r <= 0x214F: // letterlike symbols: ℝ ℕ ℤ ℚ ℂ ℏ ℓ
		return classKeep
	case r >= 0x2460 && r <= 0x24FF, r >= 0x2776 && r <= 0x2793: // circled numbers
		return classKeep
	case r == 0x200B || r == 0x200C || r == 0x200D || r == 0x2060 || r == 0xFEFF || r == 0x00AD:
		return classDrop
	case r == 0x2028 || r == 0x2029 || r == 0x0085:
		return classSpace
	case r < 0x20 && r != '\t' && r != '\n' && r != '\r', r == 0x7F:
		return classDrop
	case r == utf8.RuneError:
		return classDrop
	}
	return classNormal
}

// foldUnicode applies the Unicode rules of Text (see the package
// documentation) to s.
func foldUnicode(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	runStart := 0 // start of the pending run of classNormal runes
	flush := func(end int) {
		if runStart < end {
			run := s[runStart:end]
			if isASCII(run) || norm.NFKC.IsNormalString(run) {
				b.WriteString(run)
			} else {
				b.WriteString(norm.NFKC.String(run))
			}
		}
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			flush(i)
			i++
			runStart = i
			continue
		}
		cl := classNormal
		if r >= 0x80 || r < 0x20 || r == 0x7F {
			cl = classify(r)
		}
		if cl == classNormal {
			i += size
			continue
		}
		flush(i)
		switch cl {
		case classKeep:
			b.WriteString(s[i : i+size])
			i += size
		case classDrop:
			i += size
		case classSpace:
			b.WriteByte(' ')
			i += size
		case classMinus:
			b.WriteByte('-')
			i += size
		case classSup, classSub:
			var run strings.Builder
			for i < len(s) {
				r2, size2 := utf8.DecodeRuneInString(s[i:])
				if classify(r2) != cl {
					break
				}
				f := norm.NFKC.String(string(r2))
				if f == "\u2212" {
					f = "-"
				}
				run.WriteString(f)
				i += size2
			}
			if cl == classSup {
				b.WriteByte('^')
			} else {
				b.WriteByte('_')
			}
			if t := run.String(); len(t) == 1 && isAlnum(t[0]) {
				b.WriteString(t)
			} else {
				b.WriteByte('{')
				b.WriteString(t)
				b.WriteByte('}')
			}
		case classFrac:
			f := norm.NFKC.String(s[i : i+size]) // "1⁄2"
			num, den, ok := strings.Cut(f, "\u2044")
			if ok && num != "" && den != "" {
				b.WriteString(`\frac{` + num + `}{` + den + `}`)
			} else {
				b.WriteString(f)
			}
			i += size
		}
		runStart = i
	}
	flush(len(s))
	return b.String()
}

// knownTabNewline lists command names whose leading "\t" is often read as a
// tab when LaTeX sits in a JSON string without escaped backslashes
// ("\times" -> tab + "imes"). Newlines are never repaired: Display keeps
// line breaks, and "\n" + "eq" may be a real line break before "eq".
var knownTabNewline = map[string]bool{
	"times": true, "text": true, "theta": true, "tan": true, "tau": true,
	"tfrac": true, "triangle": true, "textbf": true, "textit": true,
}

// repairControls turns control characters that are the remnants of
// JSON-unescaped LaTeX commands back into commands, and drops or spaces out
// the other control characters.
func repairControls(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 4)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != 0x7F {
			b.WriteByte(c)
			continue
		}
		next := i + 1
		letters := next
		for letters < len(s) && isLetter(s[letters]) {
			letters++
		}
		word := s[next:letters]
		switch c {
		case '\f', '\b', '\a', '\v':
			if word != "" {
				b.WriteByte('\\')
				b.WriteByte(map[byte]byte{'\f': 'f', '\b': 'b', '\a': 'a', '\v': 'v'}[c])
				continue
			}
			b.WriteByte(' ')
		case '\r':
			if word != "" && word[0] >= 'a' && word[0] <= 'z' {
				b.WriteString(`\r`)
				continue
			}
			b.WriteByte(c)
		case '\t':
			if word != "" && knownTabNewline["t"+word] {
				b.WriteString(`\t`)
				continue
			}
			b.WriteByte(c)
		case '\n':
			b.WriteByte(c)
		case 0x7F:
			// delete: drop
		default:
			// other C0 controls: drop
		}
	}
	return b.String()
}

// hasControls reports whether s contains a control character that
// repairControls would change: anything below 0x20 except a newline or a
// tab or carriage return that starts no command.
func hasControls(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7F {
			switch c {
			case '\n':
			case '\t', '\r':
				if i+1 < len(s) && isLetter(s[i+1]) {
					return true
				}
			default:
				return true
			}
		}
	}
	return false
}
