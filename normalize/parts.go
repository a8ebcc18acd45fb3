package normalize

import (
	"strings"
)

// partStyles are the labels of the first two parts. The text they are
// looked for in is lower-cased, so "(i)" also covers (I) and, after
// Unicode folding, （Ⅰ）.
var partStyles = []struct {
	first, second string
	lineStart     bool
}{
	{"(1)", "(2)", false}, {"(i)", "(ii)", false}, {"(a)", "(b)", false},
	{"1)", "2)", true}, {"i)", "ii)", true}, {"a)", "b)", true},
	{"1.", "2.", true}, {"i.", "ii.", true}, {"a.", "b.", true},
	{"1、", "2、", true}, {"i、", "ii、", true},
	{"①", "②", false}, {"❶", "❷", false}, {"⑴", "⑵", false},
	{"part 1", "part 2", false}, {"part (a)", "part (b)", false}, {"part a", "part b", false},
	{"part i", "part ii", false}, {"part (i)", "part (ii)", false},
}

var questionCues = []string{"find", "compute", "calculate", "determine", "evaluate", "prove", "show that", "what is",
	"what are", "what was", "what will", "what would", "how many", "how much", "how long", "how far", "solve",
	"simplify", "express", "explain", "sketch", "discuss", "verify", "is there", "are there", "write down",
	"list", "state", "?", "求", "证明"}

// formatCues start a format instruction, which is not a question of its own.
var formatCues = []string{"express", "give your answer", "write your answer", "enter your answer", "round",
	"leave your answer", "simplify your answer", "answer in", "put your answer"}

func multiPart(p prose, ans string) (string, bool) {
	if answerHasParts(ans) {
		return "answer has parts: " + excerpt(ans, 0, 40), true
	}
	for _, st := range partStyles {
		a := labelIndex(p.text, st.first, st.lineStart, 0)
		if a < 0 {
			continue
		}
		b := labelIndex(p.text, st.second, st.lineStart, a+len(st.first))
		if b < 0 {
			continue
		}
		// "answer each of the following questions ... and add up": the
		// labelled questions are items of one task.
		if containsAny(p.text[:a], []string{"following questions", "these questions", "each of the following",
			"each question", "of these questions"}) {
			continue
		}
		// the parts: [a, b) and [b, end)
		if partAsks(p.text[a:b]) && partAsks(p.text[b:]) {
			return "parts " + st.first + " " + st.second, true
		}
	}
	if ev, ok := semicolonParts(p.text); ok {
		return ev, true
	}
	return "", false
}

// partAsks reports whether a part asks something other than a format.
func partAsks(s string) bool {
	for from := 0; from < len(s); {
		c, at := firstCue(s[from:], questionCues)
		if at < 0 {
			return false
		}
		if c != "express" {
			return true
		}
		from += at + len(c)
	}
	return false
}

func hasCue(s string) bool {
	_, at := firstCue(s, questionCues)
	return at >= 0 || strings.Contains(s, "?")
}

// semicolonParts finds two questions in one sentence separated by a
// semicolon: "find the period of $f$; find its maximum on $[0,1]$".
func semicolonParts(s string) (string, bool) {
	if strings.IndexByte(s, ';') < 0 {
		return "", false
	}
	for _, sent := range strings.FieldsFunc(s, func(r rune) bool { return r == '.' || r == '?' || r == '\n' || r == '!' }) {
		if !strings.Contains(sent, ";") {
			continue
		}
		asks := 0
		for _, seg := range strings.Split(sent, ";") {
			t := strings.TrimSpace(seg)
			t = strings.TrimPrefix(t, "and ")
			t = strings.TrimPrefix(t, "then ")
			if c, at := firstCue(t, questionVerbs); at == 0 && c != "express" && c != "give" {
				if f, fat := firstCue(t, formatCues); fat == 0 && f != "" {
					continue
				}
				asks++
			}
		}
		if asks >= 2 {
			return "two questions in one sentence: " + excerpt(strings.TrimSpace(sent), 0, 50), true
		}
	}
	return "", false
}

// labelIndex finds a part label in s from index from, standing alone: not
// after a letter or digit (f(1), x_(2)), and at a line start (or after a
// sentence end, ":" or ";") when lineStart.
func labelIndex(s, label string, lineStart bool, from int) int {
	return indexWhere(s, label, from, func(j int) bool {
		before := byte(' ')
		if j > 0 {
			before = s[j-1]
		}
		if isWordByte(before) && label[0] < 0x80 || before == '\\' || before == '_' || before == '^' || before == '.' {
			return false
		}
		last := label[len(label)-1]
		if e := j + len(label); (last == '.' || last == ')' && label[0] != '(') && e < len(s) && (isDigit(s[e]) || isLetter(s[e]) || s[e] == '^' || s[e] == '_') {
			return false // "1.5", "a.b", "a)b"
		}
		if !lineStart {
			return true
		}
		i := j - 1
		for i >= 0 && (s[i] == ' ' || s[i] == '\t') {
			i--
		}
		return i < 0 || s[i] == '\n' || s[i] == ':' || s[i] == ';' || s[i] == '.' || s[i] == '?' || s[i] == '§' ||
			i >= 1 && s[i-1] == 0xc2
	})
}

// answerParts are the labels of the first two parts of a gold answer.
var answerParts = [][2]string{{"(1)", "(2)"}, {"(i)", "(ii)"}, {"(a)", "(b)"}, {"1)", "2)"}, {"a)", "b)"},
	{"i)", "ii)"}, {"①", "②"}, {"⑴", "⑵"}, {"part 1", "part 2"}, {"part a", "part b"}, {"part (a)", "part (b)"},
	{"part i", "part ii"}, {"1.", "2."}, {"a.", "b."}}

// answerHasParts reports whether a gold answer is labelled by parts:
// "(1) 3; (2) 5", "a) 2 b) 4", "(I) ... (II) ...", ① ②, "Part 1: ...".
func answerHasParts(a string) bool {
	if a == "" {
		return false
	}
	l := a
	if !isASCII(l) {
		l = foldUnicode(l)
	}
	l = strings.ToLower(optionText(l))
	for _, pair := range answerParts {
		i := answerLabel(l, pair[0], 0)
		if i < 0 {
			continue
		}
		if answerLabel(l, pair[1], i+len(pair[0])) >= 0 {
			return true
		}
	}
	return false
}

// answerLabel finds label in s from index from where it starts the answer or
// follows a space, ";" or ",": "(1) 3; (2) 5" but not "(x-1)(x-2)" or f(1).
// A label ending in "." or ":" must be followed by a space ("1. 3", not
// "1.5").
func answerLabel(s, label string, from int) int {
	return indexWhere(s, label, from, func(j int) bool {
		if !(j == 0 || s[j-1] == ' ' || s[j-1] == ';' || s[j-1] == ',' || s[j-1] == '\n' || s[j-1] == '$' || s[j-1] == '{') {
			return false
		}
		last := label[len(label)-1]
		e := j + len(label)
		return !((last == '.' || last == ':') && (e >= len(s) || s[e] != ' '))
	})
}
