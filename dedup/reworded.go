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

// givens returns the numbers and units of the prose and the math
// segments (each as its tokens in order), sorted: the block of a reworded
// copy. Number words below three are left out ("the two of them", "one of
// the boxes" come and go with the wording).
func givens(toks []etok) []string {
	var out []string
	var seg strings.Builder
	cur := 0
	flush := func() {
		if seg.Len() > 0 {
			out = append(out, "m"+seg.String())
			seg.Reset()
		}
	}
	for _, t := range toks {
		if t.seg != cur {
			flush()
			cur = t.seg
		}
		if t.seg > 0 && (t.kind == kMath || t.kind == kNum || t.kind == kUnit) {
			if smallNumberWord(t) {
				continue
			}
			seg.WriteString(t.key)
			seg.WriteByte(' ')
			continue
		}
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
	flush()
	slices.Sort(out)
	return out
}

// lemmas returns the set of content lemmas of a text: word stems without
// the light words, names and pronouns.
func lemmas(toks []etok) []string {
	var out []string
	for _, t := range toks {
		switch t.kind {
		case kWord:
			if !lightStems[t.key] {
				out = append(out, t.key)
			}
		case kName, kPron:
			out = append(out, strings.ToLower(t.surf))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// reworded reports whether two texts that are not aligned copies are the
// same problem told in other sentences: the same numbers, math and units
// (at least two of them) and the same content lemmas; or, with agreeing
// gold answers, at least 40% of the lemmas shared when the pair is not a
// near copy with a forbidden change (a template whose one word differs).
func reworded(pa, pb *prepared, a, b []etok, al alignment, goldsAgree bool) bool {
	if pa.hasFigure && pb.hasFigure && pa.fp.AuxNumbers != pb.fp.AuxNumbers {
		return false
	}
	ga, gb := givens(a), givens(b)
	if len(ga) < 2 || !slices.Equal(ga, gb) {
		return false
	}
	if !slices.Equal(bindings(a), bindings(b)) {
		return false // 7 red and 5 blue is not 5 red and 7 blue
	}
	la, lb := lemmas(a), lemmas(b)
	if len(la) < 2 || len(lb) < 2 {
		return false
	}
	near := 10*len(al.pairs) >= 7*min(len(a), len(b))
	if near && !movedOnly(a, b, al) {
		return false // a near copy with a word, pronoun or name substituted
	}
	if slices.Equal(la, lb) {
		return true
	}
	if !goldsAgree || near {
		return false
	}
	inter := 0
	for _, x := range la {
		if _, ok := slices.BinarySearch(lb, x); ok {
			inter++
		}
	}
	return 5*inter >= 2*(len(la)+len(lb)-inter)
}

// movedOnly reports whether the prose tokens the alignment leaves
// unmatched on each side are the same multiset (light words aside): text
// moved to another place ("Express x in terms of k." / "In terms of k,
// what is the value of x?"), not a word replaced by another. Math is left
// to givens, which compares each math segment whole.
func movedOnly(a, b []etok, al alignment) bool {
	ma, mb := make([]bool, len(a)), make([]bool, len(b))
	for _, pr := range al.pairs {
		ma[pr[0]], mb[pr[1]] = true, true
	}
	rest := func(toks []etok, matched []bool) []string {
		out := []string{}
		for i, t := range toks {
			if matched[i] || t.seg > 0 || t.kind == kWord && lightStems[t.key] {
				continue
			}
			if t.kind == kNum {
				return nil // a number moved is a number given to another thing
			}
			out = append(out, t.key+"\x00"+strings.ToLower(t.surf))
		}
		slices.Sort(out)
		return out
	}
	ra, rb := rest(a, ma), rest(b, mb)
	return ra != nil && rb != nil && slices.Equal(ra, rb)
}

// bindings returns each prose number with the token after it ("14
// marbles", "3 times", "5 usd"), sorted: a reworded copy gives every number
// to the same thing.
func bindings(toks []etok) []string {
	var out []string
	for i, t := range toks {
		if t.kind != kNum || t.seg > 0 || smallNumberWord(t) {
			continue
		}
		next := ""
		if i+1 < len(toks) && toks[i+1].seg == 0 && toks[i+1].kind != kNum {
			next = toks[i+1].key
		}
		out = append(out, t.key+"|"+next)
	}
	slices.Sort(out)
	return out
}
