package dedup

import "slices"

// Blocking keys find the candidates that MinHash misses: copies whose
// shingles differ too much for a shared band although every difference is
// an allowed edit (a renamed person, units spelled out, a cut-off end,
// solution text appended, a reworded copy). Each key is a hash salted with
// its kind; Fingerprint.Blocks holds those a text has.
const (
	blockCanonical = 0x3c6ef372fe94f82b // every compared token, names masked
	blockGivens    = 0xa54ff53a5f1d36f1 // the sorted numbers, math and units (at least two)
	blockPrefix    = 0x510e527fade682d1 // the first prefixTokens tokens, names masked
	blockFlat      = 0x9b05688c2b3e6c1f // the flat form (where the $ and braces sit ignored)
	prefixTokens   = 10
	// maxNumbers caps Fingerprint.Numbers.
	maxNumbers = 32
)

// blocks returns the blocking keys of a prepared text.
func (p *prepared) blocks() []uint64 {
	if len(p.toks) == 0 {
		return nil
	}
	out := make([]uint64, 0, 4)
	out = append(out, hashKeys(blockCanonical, p.toks), mix64(blockFlat^hashString(flat(p.prose), 'f')))
	if g := givens(p.toks); len(g) >= 2 {
		x := uint64(blockGivens)
		for _, s := range g {
			x = mix64(x ^ hashString(s, 'g'))
		}
		out = append(out, x)
	}
	if len(p.toks) >= prefixTokens+4 {
		out = append(out, hashKeys(blockPrefix, p.toks[:prefixTokens]))
	}
	return out
}

func hashKeys(salt uint64, toks []etok) uint64 {
	x := salt
	for _, t := range toks {
		x = mix64(x ^ hashString(t.key, byte('a'+t.kind)))
	}
	return x
}

// numberSeq returns the hashes of the numbers of a prepared text in order
// (at most maxNumbers; number words below three left out, as in givens):
// the cheap test a candidate pair passes before it is explained.
func (p *prepared) numberSeq() []uint32 {
	var out []uint32
	for _, t := range p.toks {
		if t.kind == kNum && len(out) < maxNumbers && !smallNumberWord(t) {
			out = append(out, uint32(hashString(t.key, 'n')>>32))
		}
	}
	return out
}

// numbersCompatible is the cheap test of a candidate pair: one number
// sequence is a prefix of the other (equal, a cut-off end or appended
// solution text), or they hold the same numbers in another order (a
// reworded copy).
func numbersCompatible(a, b []uint32) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if slices.Equal(a, b[:len(a)]) {
		return true
	}
	if len(a) != len(b) || len(a) > maxNumbers {
		return false
	}
	var x, y [maxNumbers]uint32
	copy(x[:], a)
	copy(y[:], b)
	slices.Sort(x[:len(a)])
	slices.Sort(y[:len(b)])
	return x == y
}

// smallNumberWord reports a number word below three ("one", "two"), which
// rewordings add and drop ("the two of them").
func smallNumberWord(t etok) bool {
	return t.edit == "number_word" && (t.key == "0" || t.key == "1" || t.key == "2")
}
