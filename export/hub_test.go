package export_test

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/export"
)

// memSink keeps the files of a Hub export in memory.
type memSink map[string]*bytes.Buffer

type memFile struct{ *bytes.Buffer }

func (memFile) Close() error { return nil }

func (m memSink) Create(name string) (io.WriteCloser, error) {
	b := &bytes.Buffer{}
	m[name] = b
	return memFile{b}, nil
}

func TestWriteHubShards(t *testing.T) {
	t.Parallel()
	n := map[bigmath.Part]int64{bigmath.PartTrain: export.HubShardRows + 1, bigmath.PartTest: 3}
	v := bigmath.SplitVersion{Split: "big", Version: 2, Counts: bigmath.SplitCounts{Train: n[bigmath.PartTrain], Test: n[bigmath.PartTest]},
		Sources: []bigmath.VersionSource{{Name: "a", License: "Apache 2.0"}, {Name: "b", License: "custom"}}}
	rows := func(part bigmath.Part, fn func(*bigmath.FrozenRow) error) error {
		for i := range n[part] {
			if err := fn(&bigmath.FrozenRow{Part: part, ID: fmt.Sprintf("%s%06d", part, i), Source: "a", Problem: "x"}); err != nil {
				return err
			}
		}
		return nil
	}
	sink := memSink{}
	if err := export.WriteHub(sink, v, rows); err != nil {
		t.Fatal(err)
	}
	var names []string
	for name := range sink {
		names = append(names, name)
	}
	slices.Sort(names)
	want := []string{"README.md", "data/test-00000-of-00001.parquet", "data/train-00000-of-00002.parquet", "data/train-00001-of-00002.parquet"}
	if !slices.Equal(names, want) {
		t.Fatalf("files %v, want %v", names, want)
	}
	for name, size := range map[string]int{"data/train-00000-of-00002.parquet": export.HubShardRows, "data/train-00001-of-00002.parquet": 1, "data/test-00000-of-00001.parquet": 3} {
		b := sink[name].Bytes()
		got, err := parquet.Read[export.Row](bytes.NewReader(b), int64(len(b)))
		if err != nil || len(got) != size {
			t.Errorf("%s: %d rows (%v), want %d", name, len(got), err, size)
		}
	}
	card := sink["README.md"].String()
	if !strings.Contains(card, "license:\n    - apache-2.0\n    - other\n") || strings.Contains(card, "split: validation") ||
		!strings.Contains(card, "- 100K<n<1M") {
		t.Errorf("card header:\n%.600s", card)
	}
	// A part whose rows fall short of the version's count is an error.
	short := func(part bigmath.Part, fn func(*bigmath.FrozenRow) error) error { return nil }
	if err := export.WriteHub(memSink{}, v, short); err == nil {
		t.Error("WriteHub with missing rows: no error")
	}
}
