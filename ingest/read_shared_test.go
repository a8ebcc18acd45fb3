package ingest

import (
	"errors"
	"io"
	"testing"

	"github.com/bigmath/bigmath/internal/sharedtest"
)

// sharedSpecs is the spec file for the real datasets in ../shared/datasets.
const sharedSpecs = "testdata/shared_datasets.yaml"

// TestSharedDatasets opens every real dataset through the checked-in spec
// and checks the row counts documented in the datasets README.
func TestSharedDatasets(t *testing.T) {
	sharedtest.Datasets(t) // skips when ../shared is not beside this clone
	specs, err := LoadSpecs(sharedSpecs)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{
		"gsm8k-train": 7473, "gsm8k-test": 1319, "math-test": 5000, "math500": 500,
		"aime24": 30, "amc23": 40, "aime25": 30,
		"deepscaler-train-aime": 975, "deepscaler-train-math": 7474,
		"deepscaler-test-aime": 30, "deepscaler-test-amc": 83, "deepscaler-test-math": 500,
		"harp-proof": 310,
	}
	if len(specs) != len(want) {
		t.Errorf("%d sources in %s, want %d", len(specs), sharedSpecs, len(want))
	}
	for _, s := range specs {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			rows, r := readAll(t, s, OpenOptions{})
			if len(rows) != want[s.Name] {
				t.Errorf("%s: %d rows, want %d", s.Name, len(rows), want[s.Name])
			}
			keys := map[string]bool{}
			for _, row := range rows {
				if keys[row.Key] {
					t.Fatalf("%s: duplicate key %q", s.Name, row.Key)
				}
				keys[row.Key] = true
				if p, ok := row.Text(s.Fields.Problem); !ok || p == "" {
					t.Fatalf("%s: row %s has no problem text", s.Name, row.Key)
				}
			}
			if done, total := r.Size(); done != total {
				t.Errorf("Size() at EOF = %d of %d", done, total)
			}
			// A second open of the unchanged file gives the same revision.
			r2, err := Open(t.Context(), s, OpenOptions{})
			if err != nil {
				t.Fatal(err)
			}
			defer r2.Close()
			if r2.Revision() != r.Revision() {
				t.Errorf("revision changed between opens: %s, %s", r.Revision(), r2.Revision())
			}
			if _, err := r2.Next(); errors.Is(err, io.EOF) || err != nil {
				t.Errorf("second open: Next = %v", err)
			}
		})
	}
}
