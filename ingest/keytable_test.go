package ingest

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestKeyTable checks the table against a map over keys with many repeats,
// through several doublings, and the edge keys.
func TestKeyTable(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	tab := newKeyTable()
	want := map[uint64]int32{}
	keys := []uint64{0, 1, math.MaxUint64 - 1}
	for range 200000 {
		switch r.IntN(4) {
		case 0:
			keys = append(keys, keys[r.IntN(len(keys))]) // a repeat
		case 1:
			keys = append(keys, uint64(r.IntN(1000))) // small keys, close together
		default:
			keys = append(keys, r.Uint64())
		}
	}
	for i, k := range keys {
		v, found := tab.firstOrAdd(k, int32(i))
		w, ok := want[k]
		if !ok {
			want[k] = int32(i)
			w = int32(i)
		}
		if found != ok || v != w {
			t.Fatalf("firstOrAdd(%d, %d) = %d, %v; want %d, %v", k, i, v, found, w, ok)
		}
	}
	if tab.len() != len(want) {
		t.Errorf("len = %d, want %d", tab.len(), len(want))
	}
	for k, w := range want {
		if v, ok := tab.get(k); !ok || v != w {
			t.Fatalf("get(%d) = %d, %v; want %d", k, v, ok, w)
		}
	}
	if _, ok := tab.get(12345678901234567); ok {
		t.Error("get of a key never added found it")
	}
	// The largest key shares key 0's bucket (see stored).
	if v, ok := tab.get(math.MaxUint64); !ok || v != want[0] {
		t.Errorf("get(MaxUint64) = %d, %v; want key 0's %d", v, ok, want[0])
	}
}

// TestKeyTableReserve checks that reserve keeps the keys and makes room for
// the keys it was told of, and never shrinks the table.
func TestKeyTableReserve(t *testing.T) {
	tab := newKeyTable()
	for i := range 5000 {
		tab.firstOrAdd(uint64(i)*7919, int32(i))
	}
	slots := len(tab.keys)
	tab.reserve(100)
	if len(tab.keys) != slots {
		t.Errorf("reserve(100) with 5000 keys: %d slots, want the %d it had", len(tab.keys), slots)
	}
	tab.reserve(300000)
	slots = len(tab.keys)
	if slots*9 < 300000*10 {
		t.Fatalf("reserve(300000): %d slots, too few for 300000 keys at 90%%", slots)
	}
	for i := range 300000 {
		v, found := tab.firstOrAdd(uint64(i)*7919, int32(i))
		if want := i < 5000; found != want || (found && v != int32(i)) {
			t.Fatalf("key %d after reserve: %d, %v; want %d, %v", i, v, found, i, want)
		}
	}
	if len(tab.keys) != slots {
		t.Errorf("the table grew from %d to %d slots after reserving room for the keys added", slots, len(tab.keys))
	}
}

// BenchmarkKeyTable times firstOrAdd over sixteen million random keys (a
// million rows' band keys), against a Go map used as the index used it.
func BenchmarkKeyTable(b *testing.B) {
	const n = 1 << 24
	keys := make([]uint64, n)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range keys {
		keys[i] = r.Uint64()
	}
	b.Run("table", func(b *testing.B) {
		for b.Loop() {
			tab := newKeyTable()
			for i, k := range keys {
				tab.firstOrAdd(k, int32(i))
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/key")
	})
	b.Run("map", func(b *testing.B) {
		for b.Loop() {
			m := map[uint64]int32{}
			for i, k := range keys {
				if _, ok := m[k]; !ok {
					m[k] = int32(i)
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/key")
	})
}
