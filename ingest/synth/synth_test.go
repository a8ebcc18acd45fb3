package synth

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/bigmath/bigmath/dedup"
	"github.com/bigmath/bigmath/normalize"
)

func TestGenerateCountsAndDeterminism(t *testing.T) {
	t.Parallel()
	var a, b bytes.Buffer
	ca, err := Generate(&a, Options{N: 5000, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	cb, _ := Generate(&b, Options{N: 5000, Seed: 7})
	if !bytes.Equal(a.Bytes(), b.Bytes()) || ca != cb {
		t.Fatal("the same seed gave different output")
	}
	if ca.Rows != 5000 || ca.Base+ca.ExactDups+ca.NearDups != ca.Rows || ca.Duplicates != ca.ExactDups+ca.NearDups {
		t.Fatalf("counts do not add up: %+v", ca)
	}
	if ca.ExactDups < 400 || ca.ExactDups > 600 || ca.NearDups < 150 || ca.NearDups > 350 {
		t.Errorf("shares far from 10%% exact, 5%% near: %+v", ca)
	}
	// Base problems are distinct after normalization; exact copies
	// normalize to their base's text.
	norms := map[string]int{}
	for _, r := range decodeRows(t, &a) {
		norms[normalize.Text(r.Problem)]++
	}
	if distinct := len(norms); distinct > ca.Base+ca.NearDups {
		t.Errorf("%d distinct normalized texts, want at most base+near = %d", distinct, ca.Base+ca.NearDups)
	}
	if distinct := len(norms); distinct < ca.Base {
		t.Errorf("%d distinct normalized texts, fewer than the %d base problems: exact copies of different bases collide", distinct, ca.Base)
	}
}

// synthRow is a row Generate writes.
type synthRow struct{ ID, Problem, Answer string }

// decodeRows decodes the rows Generate wrote to buf.
func decodeRows(t *testing.T, buf *bytes.Buffer) []synthRow {
	t.Helper()
	var rows []synthRow
	sc := bufio.NewScanner(buf)
	for sc.Scan() {
		var r synthRow
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r)
	}
	return rows
}

// generateRows returns the rows Generate writes with opt.
func generateRows(t *testing.T, opt Options) []synthRow {
	t.Helper()
	var buf bytes.Buffer
	if _, err := Generate(&buf, opt); err != nil {
		t.Fatal(err)
	}
	return decodeRows(t, &buf)
}

func TestExactVariantNormalizesToBase(t *testing.T) {
	t.Parallel()
	for _, r := range generateRows(t, Options{N: 200, Seed: 3, ExactRate: 0.01, NearRate: 0.01}) {
		for k := range 3 {
			v := ExactVariant(r.Problem, k)
			if got, want := normalize.Text(v), normalize.Text(r.Problem); got != want {
				t.Errorf("Text(ExactVariant(%q, %d)) = %q, want %q", r.Problem, k, got, want)
			}
			if NearVariant(r.Problem, k) == r.Problem {
				t.Errorf("NearVariant(%q, %d) did not change the text", r.Problem, k)
			}
		}
	}
}

// The near copies Generate writes are near duplicates by the dedup
// package's rule (it is what the ingest benchmark counts on).
func TestNearVariantIsNearDuplicate(t *testing.T) {
	t.Parallel()
	for _, r := range generateRows(t, Options{N: 2000, Seed: 5, ExactRate: 0.01, NearRate: 0.01}) {
		if len(strings.Fields(r.Problem)) < MinNearWords {
			continue
		}
		a := dedup.NewFingerprint(normalize.Text(r.Problem))
		for k := range 3 {
			v := NearVariant(r.Problem, k)
			if sim, ok := dedup.Compare(a, dedup.NewFingerprint(normalize.Text(v)), dedup.DefaultThreshold); !ok {
				t.Errorf("NearVariant(%q, %d): similarity %.2f, not a near duplicate", r.Problem, k, sim)
			}
		}
	}
}
