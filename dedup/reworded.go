package dedup

import (
	"slices"
	"strings"
)

// lightStems are the stems of lightWords.
var lightStems = func() map[string]bool {
	m := map[string]bool{}
	for w := range lightWords {
		m[stem(w)] = true
	}
	return m
}()

// givens returns the numbers and the math tokens of a text, sorted: the
// block of a reworded copy. Number words below three are left out ("the
// two of them", "one of the boxes" come and go with the wording).
func givens(toks []etok) []string {
	var out []string
	for _, t := range toks {
		switch t.kind {
		case kNum:
			if smallNumberWord(t) {
				continue
			}
			out = append(out, "n"+t.key)
		case kMath:
			out = append(out, "m"+t.key)
		case kUnit:
			out = append(out, "u"+t.key)
		}
	}
	slices.Sort(out)
	return out
}

// lemmas returns the set of content lemmas of a text: word stems without
// the light words, and names.
func lemmas(toks []etok) []string {
	var out []string
	for _, t := range toks {
		switch t.kind {
		case kWord:
			if !lightStems[t.key] {
				out = append(out, t.key)
			}
		case kName:
			out = append(out, strings.ToLower(t.surf))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// reworded reports whether two texts that are not aligned copies are the
// same problem told in other sentences: the same numbers, math and units
// (at least two of them), not a near copy with a forbidden change, and the
// same content lemmas; with agreeing gold answers, at least 45% of them
// shared.
func reworded(pa, pb *prepared, a, b []etok, al alignment, goldsAgree bool) bool {
	if 10*len(al.pairs) >= 7*min(len(a), len(b)) {
		return false // a near copy whose difference is not an allowed edit
	}
	if pa.hasFigure && pb.hasFigure && pa.fp.AuxNumbers != pb.fp.AuxNumbers {
		return false
	}
	ga, gb := givens(a), givens(b)
	if len(ga) < 2 || !slices.Equal(ga, gb) {
		return false
	}
	la, lb := lemmas(a), lemmas(b)
	if len(la) < 2 || len(lb) < 2 {
		return false
	}
	if !goldsAgree {
		return slices.Equal(la, lb)
	}
	inter := 0
	for _, x := range la {
		if _, ok := slices.BinarySearch(lb, x); ok {
			inter++
		}
	}
	return 20*inter >= 9*(len(la)+len(lb)-inter)
}
