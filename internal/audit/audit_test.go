package audit

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/bigmath/bigmath/internal/sharedtest"

	"github.com/bigmath/bigmath/internal/testutil"
)

// loadShared reads every shared file once per test binary (the files are
// read-only, and reading them under -race is slow).
var loadShared = sync.OnceValues(func() (map[string][]Row, error) {
	return LoadAll(sharedtest.Root() + "/datasets")
})

// sharedRows loads every shared file, skipping when ../shared is absent.
func sharedRows(t *testing.T) map[string][]Row {
	t.Helper()
	sharedtest.Datasets(t)
	byFile, err := loadShared()
	if err != nil {
		t.Fatal(err)
	}
	return byFile
}

func index(byFile map[string][]Row) map[Ref]Row {
	idx := map[Ref]Row{}
	for p, rows := range byFile {
		for _, r := range rows {
			idx[Ref{p, r.ID}] = r
		}
	}
	return idx
}

// copiedRun reports whether note shares a run of six or more consecutive
// words with text: notes are written in our words, never copied.
func copiedRun(note, text string) bool {
	w := strings.Fields(strings.ToLower(note))
	t := " " + strings.Join(strings.Fields(strings.ToLower(text)), " ") + " "
	for i := 0; i+6 <= len(w); i++ {
		if strings.Contains(t, " "+strings.Join(w[i:i+6], " ")+" ") {
			return true
		}
	}
	return false
}

// testdata reads the file of testdata/ named name with read.
func testdata[T any](t *testing.T, read func(path string) (T, error), name string) T {
	t.Helper()
	v, err := read(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// problemLabels reads testdata/problems.tsv.
func problemLabels(t *testing.T) []ProblemLabel {
	t.Helper()
	labels := testdata(t, ReadProblemLabels, "problems.tsv")
	return labels
}

func TestProblemLabelsWellFormed(t *testing.T) {
	labels := problemLabels(t)
	if len(labels) < 600 {
		t.Errorf("%d problem labels, want at least 600", len(labels))
	}
	seen := map[Ref]int{}
	for _, l := range labels {
		if prev, ok := seen[l.Ref]; ok {
			t.Errorf("line %d: %v already labelled on line %d", l.Line, l.Ref, prev)
		}
		seen[l.Ref] = l.Line
		if strings.TrimSpace(l.Note) == "" {
			t.Errorf("line %d: empty note", l.Line)
		}
	}
}

func TestProblemLabelsMatchTheDraw(t *testing.T) {
	byFile := sharedRows(t)
	labels := problemLabels(t)
	idx := index(byFile)
	drawn := Draw(byFile)
	if len(labels) > len(drawn) {
		t.Fatalf("%d labels, the draw has %d rows", len(labels), len(drawn))
	}
	if len(labels) != len(drawn) {
		t.Errorf("%d labels for a draw of %d rows", len(labels), len(drawn))
	}
	for i, l := range labels {
		if drawn[i] != l.Ref {
			t.Errorf("line %d: labels %v, the draw's row %d is %v", l.Line, l.Ref, i, drawn[i])
		}
		checkNote(t, idx, l.Line, l.Note, l.Ref)
	}
}

// checkNote checks that the rows a label names are in ../shared and that
// its note copies no run of words from their problems.
func checkNote(t *testing.T, idx map[Ref]Row, line int, note string, refs ...Ref) {
	t.Helper()
	for _, r := range refs {
		row, ok := idx[r]
		if !ok {
			t.Errorf("line %d: %v is not in ../shared", line, r)
			continue
		}
		if copiedRun(note, row.Problem) {
			t.Errorf("line %d: the note copies words from the problem of %v", line, r)
		}
	}
}

// labelFile returns the path of testdata/name and skips the test while the
// file is not written yet.
func labelFile(t *testing.T, name string) string {
	t.Helper()
	path := filepath.Join("testdata", name)
	if _, err := os.Stat(path); os.IsNotExist(err) {
		t.Skipf("no %s yet", name)
	}
	return path
}

func TestPairLabels(t *testing.T) {
	pairs, err := ReadPairLabels(labelFile(t, "pairs.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) < 200 {
		t.Errorf("%d pairs, want at least 200", len(pairs))
	}
	dups, hard := 0, 0
	seen := map[[2]Ref]int{}
	for _, p := range pairs {
		if p.A == p.B {
			t.Errorf("line %d: a row paired with itself", p.Line)
		}
		k := [2]Ref{p.A, p.B}
		if p.B.File < p.A.File || p.B.File == p.A.File && p.B.ID < p.A.ID {
			k = [2]Ref{p.B, p.A}
		}
		if prev, ok := seen[k]; ok {
			t.Errorf("line %d: pair already on line %d", p.Line, prev)
		}
		seen[k] = p.Line
		if p.Label == "dup" {
			dups++
		}
		if p.Hard {
			hard++
		}
	}
	if 4*hard < len(pairs) {
		t.Errorf("%d of %d pairs are hard negatives, want at least a quarter", hard, len(pairs))
	}
	if 10*dups < 4*len(pairs) {
		t.Errorf("%d of %d pairs are duplicates, want at least 40%%", dups, len(pairs))
	}
	idx := index(sharedRows(t))
	for _, p := range pairs {
		checkNote(t, idx, p.Line, p.Note, p.A, p.B)
	}
}

func TestMCLabels(t *testing.T) {
	mc, err := ReadMCLabels(labelFile(t, "mc.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	written := testdata(t, ReadMCWritten, "mc_written.jsonl")
	if len(written) < 40 {
		t.Errorf("%d written problems, want at least 40", len(written))
	}
	not := 0
	for _, l := range mc {
		if l.Label == "not_recoverable" {
			not++
		}
	}
	ids := map[string]bool{}
	for _, w := range written {
		if w.Layout == "" {
			t.Errorf("written %s: no layout", w.ID)
		}
		if key := letterKey(w.Answer); key != "" && w.Label == "recoverable" && !hasOptionLabel(w.Problem, key) {
			t.Errorf("written %s: key %q names no option of the problem", w.ID, key)
		}
		if ids[w.ID] {
			t.Errorf("written id %q twice", w.ID)
		}
		ids[w.ID] = true
		if w.Label == "not_recoverable" {
			not++
		}
	}
	if total := len(mc) + len(written); 10*not < 4*total {
		t.Errorf("%d of %d multiple-choice rows not recoverable, want at least 40%%", not, total)
	}
	idx := index(sharedRows(t))
	seen := map[Ref]int{}
	for _, l := range mc {
		if prev, ok := seen[l.Ref]; ok {
			t.Errorf("line %d: %v already labelled on line %d", l.Line, l.Ref, prev)
		}
		seen[l.Ref] = l.Line
		checkNote(t, idx, l.Line, l.Note, l.Ref)
	}
}

// letterKey returns the option letter an answer names ("B", "(B)",
// "$\\boxed{C}$", "c"), or "" when the answer is not a single letter.
func letterKey(a string) string {
	for _, cut := range []string{"$", `\boxed{`, "}", "(", ")", " "} {
		a = strings.ReplaceAll(a, cut, "")
	}
	if len(a) == 1 && (a[0] >= 'A' && a[0] <= 'Z' || a[0] >= 'a' && a[0] <= 'z') {
		return a
	}
	return ""
}

// hasOptionLabel reports whether problem labels an option with key.
func hasOptionLabel(problem, key string) bool {
	for _, l := range []string{key + ":", key + ".", key + ")", "(" + key + ")", key + "\uff0e"} {
		if strings.Contains(problem, l) {
			return true
		}
	}
	return false
}

func TestMCConsistentWithProblems(t *testing.T) {
	problems := problemLabels(t)
	mc := testdata(t, ReadMCLabels, "mc.tsv")
	inMC := map[Ref]bool{}
	for _, l := range mc {
		inMC[l.Ref] = true
	}
	for _, p := range problems {
		if p.Label == "multiple_choice" && !inMC[p.Ref] {
			t.Errorf("problems.tsv line %d: %v is multiple_choice but not in mc.tsv", p.Line, p.Ref)
		}
		if inMC[p.Ref] && p.Label != "multiple_choice" {
			t.Errorf("problems.tsv line %d: %v is in mc.tsv but labelled %s", p.Line, p.Ref, p.Label)
		}
	}
}

func TestReadersRejectBadFiles(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, text string
		read       func(string) error
	}{
		{"bad header", "file\tid\tlabel\tnote\n", func(p string) error { _, err := ReadProblemLabels(p); return err }},
		{"bad label", "file\tid\tlabel\tgold\tnote\ngsm8k/test.jsonl\t1\tmaybe\tok\tx\n", func(p string) error { _, err := ReadProblemLabels(p); return err }},
		{"bad file", "file\tid\tlabel\tgold\tnote\nnowhere.jsonl\t1\tkeep\tok\tx\n", func(p string) error { _, err := ReadProblemLabels(p); return err }},
		{"short row", "file\tid\tlabel\tgold\tnote\ngsm8k/test.jsonl\t1\tkeep\tok\n", func(p string) error { _, err := ReadProblemLabels(p); return err }},
		{"bad gold", "file\tid\tlabel\tgold\tnote\ngsm8k/test.jsonl\t1\tkeep\tfine\tx\n", func(p string) error { _, err := ReadProblemLabels(p); return err }},
		{"pair label", "file_a\tid_a\tfile_b\tid_b\tlabel\thard\tnote\ngsm8k/test.jsonl\t1\tgsm8k/test.jsonl\t2\tsame\tno\tx\n", func(p string) error { _, err := ReadPairLabels(p); return err }},
		{"hard dup", "file_a\tid_a\tfile_b\tid_b\tlabel\thard\tnote\ngsm8k/test.jsonl\t1\tgsm8k/test.jsonl\t2\tdup\tyes\tx\n", func(p string) error { _, err := ReadPairLabels(p); return err }},
		{"mc reason missing", "file\tid\tlabel\texpected_answer\treason\tnote\ngsm8k/test.jsonl\t1\tnot_recoverable\t\t\tx\n", func(p string) error { _, err := ReadMCLabels(p); return err }},
		{"mc recoverable without value", "file\tid\tlabel\texpected_answer\treason\tnote\ngsm8k/test.jsonl\t1\trecoverable\t\t\tx\n", func(p string) error { _, err := ReadMCLabels(p); return err }},
		{"written unknown field", `{"id":"w1","problem":"p","answer":"A","label":"recoverable","expected_answer":"1","reason":"","extra":1}` + "\n", func(p string) error { _, err := ReadMCWritten(p); return err }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_"))
			if err := os.WriteFile(p, []byte(c.text), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := c.read(p); err == nil {
				t.Errorf("no error for %s", c.name)
			}
		})
	}
}

func TestLastBoxed(t *testing.T) {
	testutil.CheckStrings(t, "lastBoxed", lastBoxed, [][2]string{
		{`so $\boxed{5}$.`, "5"},
		{`\boxed{1} and then \boxed{\frac{1}{2}}`, `\frac{1}{2}`},
		{`\boxed{\{1,2\}}`, `\{1,2\}`},
		{`\boxed 7.`, "7"},
		{`no box`, ""},
		{`\boxed{open`, ""},
	})
}

func FuzzReadProblemLabels(f *testing.F) {
	f.Add("file\tid\tlabel\tgold\tnote\ngsm8k/test.jsonl\t1\tkeep\tok\tx\n")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		p := filepath.Join(t.TempDir(), "p.tsv")
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		_, _ = ReadProblemLabels(p)
	})
}
