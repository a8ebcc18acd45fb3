package ingest

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zeebo/xxh3"
)

// Near-duplicate detection for the pipeline: MinHash over token 3-gram
// shingles, banded for LSH, with candidates confirmed by the exact Jaccard
// similarity of the shingle sets and by equal numbers.
//
// The text compared is the normalized problem with links and Asymptote /
// TikZ figure code set aside: a copy that lacks the figure (or carries a
// "see https://..." tail) is the same problem. When both texts carry figure
// code, the figures take part in the comparison: MATH has many problems
// that read "In the diagram, what is x?" and differ only in their figure.
//
// Numbers must be equal, in order: problems built from one template with
// different numbers are different problems.
const (
	shingleSize    = 3
	sigHashes      = 60
	lshBands       = 15
	lshRows        = sigHashes / lshBands
	nearJaccardMin = 0.7
)

// sigMul and sigAdd are the fixed parameters of the MinHash permutations
// (odd multipliers), derived from a fixed seed so that band keys stored by
// one run are comparable with the next.
var sigMul, sigAdd = func() (m, a [sigHashes]uint64) {
	x := uint64(0x9e3779b97f4a7c15)
	next := func() uint64 { // splitmix64
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		return z ^ (z >> 31)
	}
	for i := range m {
		m[i] = next() | 1
		a[i] = next()
	}
	return
}()

// dedupText splits a normalized problem into the text compared for
// near-duplicates (figures and links removed, lower-cased) and whether it
// had figure code.
func dedupText(norm string) (text string, figure bool) {
	s := norm
	for _, f := range [][2]string{{"[asy]", "[/asy]"}, {`\begin{tikzpicture}`, `\end{tikzpicture}`}} {
		for {
			i := strings.Index(s, f[0])
			if i < 0 {
				break
			}
			figure = true
			j := strings.Index(s[i:], f[1])
			if j < 0 {
				s = s[:i]
				break
			}
			s = s[:i] + " " + s[i+j+len(f[1]):]
		}
	}
	if strings.Contains(s, "http") || strings.Contains(s, "www.") {
		fs := strings.Fields(s)
		out := fs[:0]
		for _, w := range fs {
			if strings.HasPrefix(w, "http://") || strings.HasPrefix(w, "https://") || strings.HasPrefix(w, "www.") {
				continue
			}
			out = append(out, w)
		}
		s = strings.Join(out, " ")
	}
	return strings.ToLower(s), figure
}

// tokens splits s into runs of letters, runs of digits (with decimal points
// and thousands separators inside a number), and single other symbols;
// spaces separate tokens.
func dedupTokens(s string, fn func(tok string)) {
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += w
		case unicode.IsLetter(r):
			j := i + w
			for j < len(s) {
				r2, w2 := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsLetter(r2) {
					break
				}
				j += w2
			}
			fn(s[i:j])
			i = j
		case r >= '0' && r <= '9':
			j := i + 1
			for j < len(s) {
				c := s[j]
				if c >= '0' && c <= '9' {
					j++
					continue
				}
				// 1.5, 1,000 and 1{,}000 stay one number.
				if (c == '.' || c == ',') && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9' {
					j += 2
					continue
				}
				if strings.HasPrefix(s[j:], "{,}") && j+3 < len(s) && s[j+3] >= '0' && s[j+3] <= '9' {
					j += 4
					continue
				}
				break
			}
			fn(s[i:j])
			i = j
		default:
			fn(s[i : i+w])
			i += w
		}
	}
}

// numberKey is the sequence of numbers in s, separators removed.
func dedupNumberKey(s string) string {
	var b strings.Builder
	dedupTokens(s, func(t string) {
		if t[0] >= '0' && t[0] <= '9' {
			t = strings.ReplaceAll(t, "{,}", "")
			t = strings.ReplaceAll(t, ",", "")
			b.WriteString(t)
			b.WriteByte(' ')
		}
	})
	return b.String()
}

// shingles returns the sorted distinct hashes of the token 3-grams of s (one
// shingle of all tokens when there are fewer than three).
func dedupShingles(s string) []uint64 {
	var toks []string
	dedupTokens(s, func(t string) { toks = append(toks, t) })
	if len(toks) == 0 {
		return nil
	}
	n := len(toks) - shingleSize + 1
	if n < 1 {
		n = 1
	}
	out := make([]uint64, 0, n)
	var buf []byte
	for i := 0; i < n; i++ {
		buf = buf[:0]
		for j := i; j < i+shingleSize && j < len(toks); j++ {
			buf = append(buf, toks[j]...)
			buf = append(buf, 0)
		}
		out = append(out, xxh3.Hash(buf))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// bandKeys returns the LSH band keys of a shingle set: one key per band,
// mixing the band's index so that equal rows in different bands differ.
func lshBandKeys(sh []uint64) []int64 {
	if len(sh) == 0 {
		return nil
	}
	var sig [sigHashes]uint64
	for i := range sig {
		sig[i] = ^uint64(0)
	}
	for _, h := range sh {
		for i := range sig {
			if v := h*sigMul[i] + sigAdd[i]; v < sig[i] {
				sig[i] = v
			}
		}
	}
	keys := make([]int64, lshBands)
	var buf [8 * (lshRows + 1)]byte
	for b := range keys {
		sigPut64(buf[:], uint64(b))
		for r := 0; r < lshRows; r++ {
			sigPut64(buf[8*(r+1):], sig[b*lshRows+r]>>32)
		}
		keys[b] = int64(xxh3.Hash(buf[:]))
	}
	return keys
}

func sigPut64(b []byte, v uint64) {
	for i := 0; i < 8; i++ {
		b[i] = byte(v >> (8 * i))
	}
}

// jaccard is the exact Jaccard similarity of two sorted distinct sets.
func dedupJaccard(a, b []uint64) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	i, j, inter := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// dedupDoc is what near-duplicate confirmation needs of a problem,
// computed once on the parallel workers so that the sequential dedup stage
// only compares.
type dedupDoc struct {
	norm   string // the normalized problem
	answer string // the canonical gold answer, "" when none
	figure bool   // the text has figure code
	skel   uint64 // hash of the skeleton of the text without figures and links
	nums   string // the numbers of that text
}

func newDedupDoc(norm, answer string) dedupDoc {
	text, fig := dedupText(norm)
	return dedupDocOf(norm, answer, text, fig)
}

// dedupDocOf builds the dedupDoc of norm whose dedupText is text, fig.
func dedupDocOf(norm, answer, text string, fig bool) dedupDoc {
	return dedupDoc{norm: norm, answer: answer, figure: fig, skel: xxh3.HashString(dedupSkeleton(text)), nums: dedupNumberKey(text)}
}

// match confirms an LSH candidate pair. Two problems are duplicates when
// their texts are equal up to spacing and math delimiters (with figures and
// links set aside, unless both have figures); otherwise they must have equal
// numbers, a shingle Jaccard similarity of at least nearJaccardMin, and the
// same gold answer. The answer guard is what tells a reworded copy ("...
// externally tangent" with a typo) from a sibling problem built on the same
// sentence ("Find $A$" / "Find $A-B$", "the larger" / "the smaller", the
// letters of NINE / of ELLIPSE), which reads as similar but asks something
// else. So an answer conflict can only be raised between copies whose texts
// are equal up to formatting.
func (a *dedupDoc) match(b *dedupDoc) (float64, bool) {
	if a.norm == b.norm {
		return 1, true
	}
	if a.figure && b.figure {
		return nearDuplicateText(strings.ToLower(a.norm), a.answer, strings.ToLower(b.norm), b.answer)
	}
	if a.skel == b.skel {
		return 1, true
	}
	if a.answer == "" || a.answer != b.answer || a.nums != b.nums {
		return 0, false
	}
	ta, _ := dedupText(a.norm)
	tb, _ := dedupText(b.norm)
	sim := dedupJaccard(dedupShingles(ta), dedupShingles(tb))
	return sim, sim >= nearJaccardMin
}

// nearDuplicate confirms a candidate pair of normalized problems with their
// canonical gold answers (see dedupDoc.match).
func nearDuplicate(normA, ansA, normB, ansB string) (float64, bool) {
	a, b := newDedupDoc(normA, ansA), newDedupDoc(normB, ansB)
	return a.match(&b)
}

// nearDuplicateText applies the rules of dedupDoc.match to two texts as
// they are.
func nearDuplicateText(ta, ansA, tb, ansB string) (float64, bool) {
	if dedupSkeleton(ta) == dedupSkeleton(tb) {
		return 1, true
	}
	if ansA == "" || ansA != ansB || dedupNumberKey(ta) != dedupNumberKey(tb) {
		return 0, false
	}
	sim := dedupJaccard(dedupShingles(ta), dedupShingles(tb))
	return sim, sim >= nearJaccardMin
}

// dedupSkeleton is s without white space and math delimiters: two texts
// with the same skeleton differ only in formatting.
func dedupSkeleton(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '$' {
			return -1
		}
		return r
	}, s)
}
