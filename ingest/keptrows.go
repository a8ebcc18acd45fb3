package ingest

import (
	"unsafe"

	"github.com/bigmath/bigmath/dedup"
)

// keptRows holds what the dedup index keeps of each row of a run (its id,
// the text and canonical gold that dedup.Confirm compares, and the kept
// fingerprint) in a few large arrays without pointers, rather than as a
// million strings and slices: the garbage collector, which marks every
// live object on each cycle, then has a few hundred objects to mark
// instead of several million, and the rows' own strings are freed once
// they are written. Reading a row back (fingerprint, doc, id) allocates
// nothing.
type keptRows struct {
	meta  []keptMeta
	bytes arena[byte]
	nums  arena[uint32]
}

// keptMeta is one row's place in the arenas.
type keptMeta struct {
	exact               [16]byte
	content, auxNumbers uint32
	id, text, answer    span
	shingles, aux, nums span
}

// span is a run of values in an arena: chunk, offset and length.
type span struct{ chunk, off, n uint32 }

// arenaChunk is the size of a full chunk, in values.
const arenaChunk = 1 << 20

// arena is an append-only store of values in chunks of arenaChunk (a run
// longer than that takes a chunk of its own); stored runs never move.
type arena[T any] struct{ chunks [][]T }

func (a *arena[T]) add(vs []T) span {
	if len(vs) == 0 {
		return span{}
	}
	sp := a.reserve(len(vs))
	a.chunks[sp.chunk] = append(a.chunks[sp.chunk], vs...)
	return sp
}

// addString is add for the bytes of s.
func addString(a *arena[byte], s string) span {
	if len(s) == 0 {
		return span{}
	}
	sp := a.reserve(len(s))
	a.chunks[sp.chunk] = append(a.chunks[sp.chunk], s...)
	return sp
}

// reserve returns the span that the next n > 0 values will take, starting
// a chunk when the last has no room for them; the caller appends them.
func (a *arena[T]) reserve(n int) span {
	last := len(a.chunks) - 1
	if last < 0 || len(a.chunks[last])+n > cap(a.chunks[last]) {
		a.chunks = append(a.chunks, make([]T, 0, max(arenaChunk, n)))
		last++
	}
	return span{chunk: uint32(last), off: uint32(len(a.chunks[last])), n: uint32(n)}
}

// get returns the stored run (nil for an empty one), capped so that an
// append copies it.
func (a *arena[T]) get(s span) []T {
	if s.n == 0 {
		return nil
	}
	return a.chunks[s.chunk][s.off : s.off+s.n : s.off+s.n]
}

// add appends a row and returns its index.
func (k *keptRows) add(id string, doc dedup.Doc, fp dedup.Fingerprint) int32 {
	k.meta = append(k.meta, keptMeta{
		exact: fp.Exact, content: fp.Content, auxNumbers: fp.AuxNumbers,
		id: addString(&k.bytes, id), text: addString(&k.bytes, doc.Text), answer: addString(&k.bytes, doc.Answer),
		shingles: k.nums.add(fp.Shingles), aux: k.nums.add(fp.Aux), nums: k.nums.add(fp.Numbers),
	})
	return int32(len(k.meta) - 1)
}

// str returns the bytes of a stored run as a string without copying them:
// the arena never changes a byte it has stored, and the string keeps its
// chunk alive.
func (k *keptRows) str(s span) string {
	b := k.bytes.get(s)
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// id returns row i's id.
func (k *keptRows) id(i int32) string { return k.str(k.meta[i].id) }

// doc returns row i's text and canonical gold.
func (k *keptRows) doc(i int32) dedup.Doc {
	m := &k.meta[i]
	return dedup.Doc{Text: k.str(m.text), Answer: k.str(m.answer)}
}

// fingerprint returns row i's kept fingerprint (as Fingerprint.Kept: no
// Bands or Blocks); its slices are the arena's, read-only.
func (k *keptRows) fingerprint(i int32) dedup.Fingerprint {
	m := &k.meta[i]
	return dedup.Fingerprint{Exact: m.exact, Content: m.content, AuxNumbers: m.auxNumbers,
		Shingles: k.nums.get(m.shingles), Aux: k.nums.get(m.aux), Numbers: k.nums.get(m.nums)}
}
