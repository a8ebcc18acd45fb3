package dedup

import (
	"math/bits"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zeebo/xxh3"
)

// Sizes of the MinHash signature.
const (
	// NumHashes is the number of MinHash functions.
	NumHashes = 128
	// NumBands is the number of LSH bands; each has NumHashes/NumBands rows.
	NumBands = 16
	rows     = NumHashes / NumBands
	// auxSample is the size of the bottom-k sample kept of figure code.
	auxSample = 32
)

// ExactKey returns the xxh3-128 hash of normalized text, big-endian: the
// key for exact duplicates (a unique index in Postgres).
func ExactKey(normText string) [16]byte {
	return xxh3.HashString128(normText).Bytes()
}

// Fingerprint is what dedup keeps of one problem. Store it to seed an Index
// later (Index.AddFingerprint) without the text. Shingles and Aux are sorted
// ascending without repeats.
type Fingerprint struct {
	// Exact is ExactKey of the normalized text.
	Exact [16]byte
	// Shingles are the hashed 3-gram shingles of the prose.
	Shingles []uint32
	// Aux is a bottom-32 sample of the shingles of figure code and links.
	Aux []uint32
	// Content hashes the multiset of the prose's content tokens: numbers,
	// one-letter variables (x, y, P; not "a"), the operators + - < > \leq
	// \geq \neq \pm, and words that flip a problem's meaning (maximum,
	// minimum, greater, less, not, odd, even, ...). Near duplicates must
	// have equal Content: "the minimum value of y" is not "the maximum
	// value of y", and x^8+98x^4 is not x^8-98x^4.
	Content uint32
	// AuxNumbers hashes the multiset of numbers in the quoted strings
	// (labels) of the figure code; 0 when there is no figure code or link.
	AuxNumbers uint32
	// Bands are the NumBands LSH band keys, from Shingles alone; nil when
	// the prose has no shingles. Postgres stores them as bigint
	// (int64(key)).
	Bands []uint64
	// Blocks are the blocking keys of the explained comparison (a
	// renamed, cut-off, reworded copy; see Explain), at most four; find
	// candidates under them as under Bands.
	Blocks []uint64
	// Numbers are hashes of the text's numbers in order (number words
	// read as digits), at most 32: a candidate pair is explained only when
	// one sequence is a prefix of the other or both hold the same numbers.
	Numbers []uint32
}

// Kept returns a copy of fp for an in-memory index that compares with
// Confirm after finding candidates by their keys: the candidate keys
// (Bands, Blocks) are left out, and Shingles, Aux and Numbers share one
// exactly sized allocation. A million kept fingerprints are so a third
// smaller and a third as many objects for the garbage collector.
func (fp Fingerprint) Kept() Fingerprint {
	ns, na := len(fp.Shingles), len(fp.Aux)
	buf := make([]uint32, 0, ns+na+len(fp.Numbers))
	buf = append(append(append(buf, fp.Shingles...), fp.Aux...), fp.Numbers...)
	k := fp
	k.Bands, k.Blocks = nil, nil
	k.Shingles = sameNil(fp.Shingles, buf[:ns:ns])
	k.Aux = sameNil(fp.Aux, buf[ns:ns+na:ns+na])
	k.Numbers = sameNil(fp.Numbers, buf[ns+na:])
	return k
}

// sameNil is copy, or nil where orig was nil.
func sameNil(orig, copy []uint32) []uint32 {
	if orig == nil {
		return nil
	}
	return copy
}

// Keys returns the candidate keys of fp: its Bands, then its Blocks (for a
// bigint[] column or a map of candidates).
func (fp Fingerprint) Keys() []uint64 {
	return append(slices.Clone(fp.Bands), fp.Blocks...)
}

// Hasher computes fingerprints, reusing its buffers between calls. The zero
// value is not usable; call NewHasher. A Hasher is not safe for concurrent
// use: give each goroutine its own.
type Hasher struct {
	a, b   [NumHashes]uint64
	sig    [NumHashes]uint64
	toks   []uint64
	auxTok []uint64
	nums   []uint64
	auxNum []uint64
	sh     []uint32
	auxSh  []uint32
	word   []byte
	quoted bool // inside a "string" of figure code: its numbers are labels
	stems  map[string]string
	last   *prepared // the last text fingerprinted, read again by Index.AddDoc
}

// seed fixes the MinHash functions: every process, every run, every
// worker must use the same.
const seed = 0x6d61746864656475 // "mathdedu"

// NewHasher returns a Hasher with the fixed MinHash functions.
func NewHasher() *Hasher {
	h := &Hasher{}
	s := uint64(seed)
	for i := range NumHashes {
		h.a[i] = splitmix(&s) | 1
		h.b[i] = splitmix(&s)
	}
	return h
}

// splitmix advances a SplitMix64 state and returns the next value.
func splitmix(s *uint64) uint64 {
	*s += 0x9e3779b97f4a7c15
	return mix64(*s)
}

// mix64 is the SplitMix64 finaliser: a bijection that spreads every input
// bit over the output.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// NewFingerprint returns the fingerprint of normalized text with a fresh
// Hasher; use a Hasher to fingerprint many texts.
func NewFingerprint(normText string) Fingerprint {
	return NewHasher().Fingerprint(normText)
}

// Fingerprint returns the fingerprint of normalized text. The result owns
// its slices (nothing is shared with h). It never fails; invalid UTF-8 is
// read byte by byte.
func (h *Hasher) Fingerprint(normText string) Fingerprint {
	fp := h.withoutBands(normText)
	fp.Bands = h.Bands(fp.Shingles)
	if h.stems == nil {
		h.stems = map[string]string{}
	}
	p := prepareWith(normText, fp, h.stems)
	h.last = p
	fp.Blocks = p.blocks()
	fp.Numbers = p.numberSeq()
	return fp
}

// withoutBands is Fingerprint without the MinHash step; it does not use the
// hash functions, so a zero Hasher may call it.
func (h *Hasher) withoutBands(normText string) Fingerprint {
	h.tokenize(normText)
	fp := Fingerprint{Exact: ExactKey(normText)}
	fp.Shingles = slices.Clone(shingles(h.toks, &h.sh))
	fp.Content = multisetHash(h.nums)
	if len(h.auxTok) > 0 {
		all := shingles(h.auxTok, &h.auxSh)
		if len(all) > auxSample {
			all = all[:auxSample]
		}
		fp.Aux = slices.Clone(all)
		fp.AuxNumbers = multisetHash(h.auxNum) | 1
	}
	return fp
}

// Signature returns the MinHash signature of a shingle set, NumHashes
// values. It returns nil for an empty set.
func (h *Hasher) Signature(shingles []uint32) []uint64 {
	if len(shingles) == 0 {
		return nil
	}
	sig := &h.sig
	for i := range sig {
		sig[i] = ^uint64(0)
	}
	a, b := &h.a, &h.b
	for _, s := range shingles {
		x := mix64(uint64(s))
		for i := range NumHashes {
			v := a[i]*x + b[i]
			if v < sig[i] {
				sig[i] = v
			}
		}
	}
	return sig[:]
}

// Bands returns the NumBands LSH band keys of a shingle set (nil for an
// empty set): each band's NumHashes/NumBands signature values hashed
// together with the band number, so equal rows in different bands give
// different keys.
func (h *Hasher) Bands(shingles []uint32) []uint64 {
	sig := h.Signature(shingles)
	if sig == nil {
		return nil
	}
	keys := make([]uint64, NumBands)
	for band := range NumBands {
		k := uint64(band+1) * 0x9e3779b97f4a7c15
		for _, v := range sig[band*rows : (band+1)*rows] {
			k = mix64(k ^ v)
		}
		keys[band] = k
	}
	return keys
}

// Sentinel tokens pad a token sequence at both ends, so that every token,
// the first and last included, is in three shingles.
const (
	bos = 0x2545f4914f6cdd1d
	eos = 0x9e6c63d0676a9a99
)

// shingles hashes the 3-grams of tokens, padded with two sentinels at each
// end, into *buf (reused) and returns them sorted and without repeats. No
// tokens give no shingles.
func shingles(toks []uint64, buf *[]uint32) []uint32 {
	out := (*buf)[:0]
	if len(toks) > 0 {
		at := func(i int) uint64 {
			switch {
			case i < 2:
				return bos
			case i >= len(toks)+2:
				return eos
			}
			return toks[i-2]
		}
		for i := 0; i < len(toks)+2; i++ {
			k := mix64(at(i)*0x9e3779b97f4a7c15 ^ bits.RotateLeft64(at(i+1), 21) ^ bits.RotateLeft64(at(i+2), 42))
			out = append(out, uint32(k>>32))
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	*buf = out
	return out
}

// multisetHash hashes a multiset of token hashes independently of order.
func multisetHash(xs []uint64) uint32 {
	var sum, xor uint64
	for _, x := range xs {
		m := mix64(x)
		sum += m
		xor ^= mix64(m)
	}
	return uint32(mix64(sum^bits.RotateLeft64(xor, 32)^uint64(len(xs))) >> 32)
}

// tokenize reads normText into h.toks and h.nums (prose tokens and the
// content tokens among them) and h.auxTok and h.auxNum (figure code and
// links, and the numbers of its labels).
func (h *Hasher) tokenize(s string) {
	h.toks, h.nums, h.auxTok, h.auxNum = h.toks[:0], h.nums[:0], h.auxTok[:0], h.auxNum[:0]
	h.quoted = false
	aux := false
	auxEnd := ""
	for i := 0; i < len(s); {
		if aux && auxEnd != "" && strings.HasPrefix(s[i:], auxEnd) {
			i += len(auxEnd)
			aux, auxEnd = false, ""
			continue
		}
		if c := s[i]; !aux && (c == '[' || c == '<' || c|0x20 == 'h' || c|0x20 == 'w') {
			switch {
			case hasPrefixFold(s[i:], "[asy]"):
				aux, auxEnd = true, "[/asy]"
				i += 5
				continue
			case hasPrefixFold(s[i:], "http://") || hasPrefixFold(s[i:], "https://") || hasPrefixFold(s[i:], "www."):
				e := i
				for e < len(s) && s[e] != ' ' && s[e] != '\n' && s[e] != '\t' && s[e] != '$' {
					e++
				}
				h.tokenizeInto(s[i:e], true)
				i = e
				continue
			case hasPrefixFold(s[i:], "<img"):
				e := strings.IndexByte(s[i:], '>')
				if e < 0 {
					e = len(s) - i - 1
				}
				h.tokenizeInto(s[i:i+e+1], true)
				i += e + 1
				continue
			}
		}
		// one token of the current part
		i = h.token(s, i, aux)
	}
}

// tokenizeInto tokenizes all of s into one part.
func (h *Hasher) tokenizeInto(s string, aux bool) {
	for i := 0; i < len(s); {
		i = h.token(s, i, aux)
	}
}

// skipCommands are LaTeX commands that only format their argument.
var skipCommands = map[string]bool{
	"text": true, "textbf": true, "textit": true, "textrm": true, "mathrm": true, "mathbf": true,
	"mathit": true, "mbox": true, "emph": true, "operatorname": true, "displaystyle": true,
	"left": true, "right": true, "quad": true, "qquad": true, "textstyle": true, "mathsf": true,
	"textnormal": true, "hbox": true, "bf": true, "it": true, "rm": true, "limits": true, "nolimits": true,
	"big": true, "Big": true, "bigg": true, "Bigg": true, "bigl": true, "bigr": true, "Bigl": true, "Bigr": true,
}

// contentWords flip a problem's meaning; see Fingerprint.Content.
var contentWords = map[string]bool{
	"maximum": true, "minimum": true, "max": true, "min": true, "largest": true, "smallest": true,
	"greatest": true, "least": true, "greater": true, "less": true, "more": true, "fewer": true,
	"larger": true, "smaller": true, "highest": true, "lowest": true, "most": true, "fewest": true,
	"not": true, "no": true, "cannot": true, "never": true, "without": true, "except": true,
	"odd": true, "even": true, "positive": true, "negative": true, "nonnegative": true, "nonpositive": true,
	"increasing": true, "decreasing": true, "before": true, "after": true, "above": true, "below": true,
	"sum": true, "product": true, "difference": true, "quotient": true, "area": true, "perimeter": true,
	"volume": true, "radius": true, "diameter": true, "mean": true, "median": true, "mode": true,
	"first": true, "last": true, "prime": true, "composite": true, "real": true, "complex": true,
	"distinct": true, "consecutive": true,
}

// contentCommands are the operator commands counted in Fingerprint.Content.
var contentCommands = map[string]bool{"leq": true, "geq": true, "neq": true, "pm": true, "mp": true, "<": true, ">": true}

// aliasCommands maps commands to the one spelling their family shares.
var aliasCommands = map[string]string{
	"le": "leq", "ge": "geq", "ne": "neq", "ldots": "dots", "cdots": "dots", "dotsc": "dots", "dotsb": "dots",
	"dfrac": "frac", "tfrac": "frac", "dbinom": "binom", "tbinom": "binom", "lt": "<", "gt": ">",
	"leqslant": "leq", "geqslant": "geq", "to": "rightarrow", "gets": "leftarrow", "lvert": "|", "rvert": "|",
	"vert": "|", "mid": "|", "colon": ":",
}

// token reads one token (or skips one separator) at s[i] and returns the
// next index.
func (h *Hasher) token(s string, i int, aux bool) int {
	c := s[i]
	switch {
	case c == '"':
		if aux {
			h.quoted = !h.quoted
		}
		return i + 1
	case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '$' || c == '{' || c == '}' ||
		c == ',' || c == '.' || c == ';' || c == ':' || c == '?' || c == '`' || c == '~' || c == '&':
		return i + 1
	case c >= '0' && c <= '9':
		j := i + 1
		h.word = append(h.word[:0], c)
		for j < len(s) {
			d := s[j]
			switch {
			case d >= '0' && d <= '9':
				h.word = append(h.word, d)
				j++
				continue
			case d == '.' && j+1 < len(s) && isDigit(s[j+1]):
				h.word = append(h.word, d)
				j++
				continue
			case d == ',' && j+3 < len(s) && isDigit(s[j+1]) && isDigit(s[j+2]) && isDigit(s[j+3]) &&
				(j+4 >= len(s) || !isDigit(s[j+4])):
				j++ // thousands separator: "6,000,000" is 6000000
				continue
			}
			break
		}
		t := hashBytes(h.word, 'n')
		h.emit(t, aux)
		if aux {
			// Only numbers in label strings are givens; coordinates and
			// sizes are drawing details that copies change freely.
			if h.quoted {
				h.auxNum = append(h.auxNum, t)
			}
		} else {
			h.nums = append(h.nums, t)
		}
		return j
	case isLetter(c):
		j := i
		h.word = h.word[:0]
		for j < len(s) && isLetter(s[j]) {
			h.word = append(h.word, s[j]|0x20)
			j++
		}
		t := hashBytes(h.word, 'w')
		h.emit(t, aux)
		if !aux && (len(h.word) == 1 && h.word[0] != 'a' || contentWords[string(h.word)]) {
			h.nums = append(h.nums, t)
		}
		return j
	case c == '\\':
		j := i + 1
		for j < len(s) && isLetter(s[j]) {
			j++
		}
		if j == i+1 { // \{ \$ \\ and the like
			if j < len(s) {
				switch s[j] {
				case '{', '}', '|', '%', '#', '_':
					h.emit(hashBytes([]byte{'\\', s[j]}, 's'), aux)
				}
				return j + 1
			}
			return j
		}
		name := s[i+1 : j]
		if skipCommands[name] {
			return j
		}
		if a, ok := aliasCommands[name]; ok {
			name = a
		}
		t := hashString(name, 'c')
		if len(name) == 1 { // \lt and \gt became < and >
			t = hashString(name, 's')
		}
		h.emit(t, aux)
		if !aux && contentCommands[name] {
			h.nums = append(h.nums, t)
		}
		return j
	case c < 0x80:
		t := hashBytes([]byte{c}, 's')
		h.emit(t, aux)
		if !aux && (c == '+' || c == '-' || c == '<' || c == '>') {
			h.nums = append(h.nums, t)
		}
		return i + 1
	}
	r, size := utf8.DecodeRuneInString(s[i:])
	if r == utf8.RuneError && size <= 1 {
		return i + 1
	}
	switch {
	case unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r):
		h.emit(hashString(s[i:i+size], 'w'), aux)
		return i + size
	case unicode.IsLetter(r):
		j := i
		h.word = h.word[:0]
		for j < len(s) {
			r2, sz := utf8.DecodeRuneInString(s[j:])
			if !(unicode.IsLetter(r2) && r2 >= 0x80 && !unicode.Is(unicode.Han, r2)) {
				break
			}
			h.word = utf8.AppendRune(h.word, unicode.ToLower(r2))
			j += sz
		}
		h.emit(hashBytes(h.word, 'w'), aux)
		return j
	case unicode.IsSpace(r) || unicode.IsPunct(r) && r != '∞':
		return i + size
	}
	h.emit(hashString(s[i:i+size], 's'), aux)
	return i + size
}

func (h *Hasher) emit(t uint64, aux bool) {
	if aux {
		h.auxTok = append(h.auxTok, t)
	} else {
		h.toks = append(h.toks, t)
	}
}

// hashBytes is FNV-1a over b, salted with a kind byte, then mixed.
func hashBytes(b []byte, kind byte) uint64 {
	x := uint64(14695981039346656037) ^ uint64(kind)
	for _, c := range b {
		x ^= uint64(c)
		x *= 1099511628211
	}
	return mix64(x)
}

func hashString(s string, kind byte) uint64 {
	x := uint64(14695981039346656037) ^ uint64(kind)
	for i := 0; i < len(s); i++ {
		x ^= uint64(s[i])
		x *= 1099511628211
	}
	return mix64(x)
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// Jaccard returns |a∩b| / |a∪b| for sorted sets without repeats; 1 when
// both are empty.
func Jaccard(a, b []uint32) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	inter := intersect(a, b)
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// intersect counts the common elements of two sorted sets.
func intersect(a, b []uint32) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			n++
			i++
			j++
		}
	}
	return n
}

// bottomKSimilarity estimates the Jaccard similarity of two sets from their
// bottom-k samples: among the k smallest values of the union of the
// samples, the share present in both.
func bottomKSimilarity(a, b []uint32, k int) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	i, j, seen, both := 0, 0, 0, 0
	for seen < k && (i < len(a) || j < len(b)) {
		switch {
		case j >= len(b) || i < len(a) && a[i] < b[j]:
			i++
		case i >= len(a) || b[j] < a[i]:
			j++
		default:
			both++
			i++
			j++
		}
		seen++
	}
	return float64(both) / float64(seen)
}
