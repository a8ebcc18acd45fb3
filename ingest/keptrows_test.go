package ingest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bigmath/bigmath/dedup"
)

// TestKeptRows checks that rows read back from the arenas are the rows
// stored, across chunks and for a text longer than a chunk.
func TestKeptRows(t *testing.T) {
	h := dedup.NewHasher()
	var k keptRows
	type row struct {
		id  string
		doc dedup.Doc
		fp  dedup.Fingerprint
	}
	var rows []row
	for i := range 3000 {
		id := fmt.Sprintf("p_%04d", i)
		text := fmt.Sprintf("Natalie has %d marbles and Owen has %d. How many do they have altogether?", i, 2*i)
		switch {
		case i == 0:
			id, text = "", "" // empty runs first, before any chunk
		case i == 7:
			text = ""
		case i == 1500:
			text = strings.Repeat("a long text ", arenaChunk/8)
		}
		r := row{id: id, doc: dedup.Doc{Text: text, Answer: fmt.Sprint(3 * i)}, fp: h.Fingerprint(text)}
		rows = append(rows, r)
		if got := k.add(r.id, r.doc, r.fp); got != int32(i) {
			t.Fatalf("add returned %d, want %d", got, i)
		}
	}
	opt := cmp.Comparer(func(a, b []uint32) bool { return len(a) == len(b) && (len(a) == 0 || cmp.Equal(a, b)) })
	for i, r := range rows {
		if got := k.id(int32(i)); got != r.id {
			t.Fatalf("id(%d) = %q, want %q", i, got, r.id)
		}
		if got := k.doc(int32(i)); got != r.doc {
			t.Fatalf("doc(%d) = %q, want %q", i, got, r.doc)
		}
		if diff := cmp.Diff(r.fp.Kept(), k.fingerprint(int32(i)), opt); diff != "" {
			t.Fatalf("fingerprint(%d) (-Kept +arena):\n%s", i, diff)
		}
	}
	if len(k.bytes.chunks) < 2 || len(k.nums.chunks) < 1 {
		t.Errorf("%d byte chunks, %d number chunks: the test meant to fill more than one", len(k.bytes.chunks), len(k.nums.chunks))
	}
}
