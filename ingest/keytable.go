package ingest

import "math/bits"

// keyTable maps 64-bit candidate keys (LSH band and blocking keys, which
// are hashes already) to the index of the first row that had them: the
// dedup index's buckets. It is an open-addressing table with linear
// probing, keys and values in two flat arrays, filled up to 90%: a key
// costs 12 bytes where a Go map of the same keys takes about 19, and
// firstOrAdd looks a key up and adds it in one probe, where a map takes
// two. On an ingest of a million rows (sixteen million keys) the lookups
// were a tenth of the ingest's CPU time, nearly all of it cache misses.
type keyTable struct {
	keys  []uint64 // key+1 by slot (0: empty)
	vals  []int32
	shift uint // 64 - log2(len(keys))
	n     int
}

// keyTableMinBits is the log2 of a new table's slots.
const keyTableMinBits = 10

func newKeyTable() *keyTable {
	t := &keyTable{}
	t.alloc(keyTableMinBits)
	return t
}

func (t *keyTable) alloc(b uint) {
	t.keys = make([]uint64, 1<<b)
	t.vals = make([]int32, 1<<b)
	t.shift = 64 - b
}

// stored is k as kept in a slot: k+1, so that 0 marks an empty slot. The
// largest key wraps to 0 and is kept as 1, as key 0 is: those two share a
// bucket, which at worst makes one more candidate pair for the comparison
// to turn down.
func stored(k uint64) uint64 {
	if k++; k == 0 {
		return 1
	}
	return k
}

// slot is where the probe for a stored key s starts: its top bits times an
// odd constant (Fibonacci hashing), so that keys that differ only in their
// low bits still spread.
func (t *keyTable) slot(s uint64) int {
	return int((s * 0x9e3779b97f4a7c15) >> t.shift)
}

// firstOrAdd returns the value stored for k and true, or stores v for k
// and returns v and false.
func (t *keyTable) firstOrAdd(k uint64, v int32) (int32, bool) {
	if (t.n+1)*10 > len(t.keys)*9 {
		t.grow()
	}
	s := stored(k)
	i := t.find(s)
	if t.keys[i] == s {
		return t.vals[i], true
	}
	t.keys[i], t.vals[i] = s, v
	t.n++
	return v, false
}

// get returns the value stored for k.
func (t *keyTable) get(k uint64) (int32, bool) {
	s := stored(k)
	if i := t.find(s); t.keys[i] == s {
		return t.vals[i], true
	}
	return 0, false
}

// find returns the slot of the stored key s, or the empty slot where it
// would go (the table is never full).
func (t *keyTable) find(s uint64) int {
	mask := len(t.keys) - 1
	i := t.slot(s)
	for t.keys[i] != s && t.keys[i] != 0 {
		i = (i + 1) & mask
	}
	return i
}

// grow doubles the table.
func (t *keyTable) grow() { t.rehash(uint(bits.Len(uint(len(t.keys))))) }

// reserve makes room for n keys in all, so that adding them rehashes no
// more (one rehash now instead of one per doubling).
func (t *keyTable) reserve(n int) {
	b := uint(bits.Len(uint(len(t.keys)))) - 1
	for n*10 > (1<<b)*9 {
		b++
	}
	if 1<<b > len(t.keys) {
		t.rehash(b)
	}
}

// rehash moves the keys into a table of 1<<b slots.
func (t *keyTable) rehash(b uint) {
	keys, vals := t.keys, t.vals
	t.alloc(b)
	for j, s := range keys {
		if s != 0 {
			i := t.find(s)
			t.keys[i], t.vals[i] = s, vals[j]
		}
	}
}

// len is the number of keys stored.
func (t *keyTable) len() int { return t.n }
