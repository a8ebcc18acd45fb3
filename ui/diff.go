package ui

import (
	"strings"
	"unicode"
)

// span is a run of text in a side-by-side diff; Changed marks text the
// other side does not have.
type span struct {
	Text    string
	Changed bool
}

// maxDiffTokens bounds the tokens of each side of a diff (the comparison
// is quadratic); longer texts are shown whole, unmarked.
const maxDiffTokens = 1500

// tokenize splits s into words, runs of other symbols one by one, and the
// whitespace between them, so that joining the tokens gives s back.
func tokenize(s string) []string {
	var out []string
	start := 0
	class := func(r rune) int {
		switch {
		case unicode.IsSpace(r):
			return 0
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			return 1
		}
		return 2
	}
	prev := -1
	for i, r := range s {
		c := class(r)
		if i > start && (c != prev || c == 2) {
			out = append(out, s[start:i])
			start = i
		}
		prev = c
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// diffSpans compares a and b word by word (longest common subsequence of
// their tokens) and returns each side as spans, the
// tokens the other side lacks marked. ok is false when a text is too long
// to compare; both sides then come back whole.
func diffSpans(a, b string) (sa, sb []span, ok bool) {
	ta, tb := tokenize(a), tokenize(b)
	if len(ta) > maxDiffTokens || len(tb) > maxDiffTokens {
		return []span{{Text: a}}, []span{{Text: b}}, false
	}
	// lcs[i][j] is the LCS length of ta[i:] and tb[j:].
	lcs := make([][]int32, len(ta)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(tb)+1)
	}
	for i := len(ta) - 1; i >= 0; i-- {
		for j := len(tb) - 1; j >= 0; j-- {
			switch {
			case ta[i] == tb[j]:
				lcs[i][j] = lcs[i+1][j+1] + 1
			case lcs[i+1][j] >= lcs[i][j+1]:
				lcs[i][j] = lcs[i+1][j]
			default:
				lcs[i][j] = lcs[i][j+1]
			}
		}
	}
	ca, cb := make([]bool, len(ta)), make([]bool, len(tb))
	i, j := 0, 0
	for i < len(ta) && j < len(tb) {
		switch {
		case ta[i] == tb[j]:
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			ca[i] = true
			i++
		default:
			cb[j] = true
			j++
		}
	}
	for ; i < len(ta); i++ {
		ca[i] = true
	}
	for ; j < len(tb); j++ {
		cb[j] = true
	}
	return spans(ta, ca), spans(tb, cb), true
}

// spans joins runs of tokens with the same mark; whitespace takes the mark
// of the run it sits in, so that a changed phrase is one span.
func spans(toks []string, changed []bool) []span {
	var out []span
	for k, t := range toks {
		c := changed[k]
		if strings.TrimSpace(t) == "" && len(out) > 0 {
			c = out[len(out)-1].Changed && k+1 < len(toks) && changed[k+1]
		}
		if len(out) > 0 && out[len(out)-1].Changed == c {
			out[len(out)-1].Text += t
			continue
		}
		out = append(out, span{Text: t, Changed: c})
	}
	return out
}
