package ingest

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parquet-go/parquet-go"

	"github.com/bigmath/bigmath"
)

// localSpec is a spec reading one local file with the usual columns.
func localSpec(path string) Spec {
	return Spec{
		Name: "t", Role: bigmath.RoleCorpus, Path: path, Dir: "testdata",
		Fields: FieldMap{Problem: "problem", Answer: "answer", ID: "id"}, AnswerFrom: AnswerFromField,
	}
}

// readAll opens s and reads every row, failing the test on any error.
func readAll(t testing.TB, s Spec, opt OpenOptions) ([]Row, *Reader) {
	t.Helper()
	r, err := Open(context.Background(), s, opt)
	if err != nil {
		t.Fatalf("Open(%s): %v", s.Location(), err)
	}
	t.Cleanup(func() { r.Close() })
	var rows []Row
	eachRow(t, r, s.Location(), func(row Row) { rows = append(rows, row) })
	return rows, r
}

// eachRow calls fn with every row r reads, failing the test on a read
// error; what names the source in the failure.
func eachRow(tb testing.TB, r *Reader, what string, fn func(Row)) {
	tb.Helper()
	for n := 0; ; n++ {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			tb.Fatalf("Next(%s) after %d rows: %v", what, n, err)
		}
		fn(row)
	}
}

// wantRows are the three records in testdata/rows.*.
var wantRows = []map[string]any{
	{"id": "a1", "problem": "What is 1+1?", "answer": "2", "level": "1"},
	{"id": "a2", "problem": `Compute $\frac{1}{2}+\frac{1}{2}$, "quoted", with comma`, "answer": "1", "level": "2"},
	{"id": "a3", "problem": "Line\nbreak <b>&</b> ünïcode", "answer": "3", "level": "3"},
}

func TestReadFormats(t *testing.T) {
	for _, name := range []string{
		"rows.jsonl", "rows.json", "rows.csv",
		"rows.jsonl.gz", "rows.json.gz", "rows.csv.gz",
		"rows.jsonl.zip", "rows.csv.zip",
		"jsonlines.json", // JSON Lines under a .json name
	} {
		t.Run(name, func(t *testing.T) {
			rows, r := readAll(t, localSpec(name), OpenOptions{})
			var got []map[string]any
			for i, row := range rows {
				got = append(got, row.Fields)
				if row.Key != wantRows[i]["id"] {
					t.Errorf("row %d Key = %q, want %q", i, row.Key, wantRows[i]["id"])
				}
				if row.Index != int64(i) {
					t.Errorf("row %d Index = %d", i, row.Index)
				}
				// Raw must decode to the same fields.
				var back map[string]any
				if err := json.Unmarshal(row.Raw, &back); err != nil {
					t.Errorf("row %d Raw %q: %v", i, row.Raw, err)
				}
				if diff := cmp.Diff(row.Fields, back); diff != "" {
					t.Errorf("row %d Raw differs from Fields (-fields +raw):\n%s", i, diff)
				}
			}
			if diff := cmp.Diff(wantRows, got); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
			done, total := r.Size()
			st, _ := os.Stat(filepath.Join("testdata", name))
			if total != st.Size() || done == 0 || done > total {
				t.Errorf("Size() = %d, %d; want 0 < done <= total = %d", done, total, st.Size())
			}
			if !strings.HasPrefix(r.Revision(), "sha256:") || len(r.Revision()) != len("sha256:")+64 {
				t.Errorf("Revision() = %q, want sha256:<64 hex>", r.Revision())
			}
		})
	}
}

func TestReadRawJSONL(t *testing.T) {
	rows, _ := readAll(t, localSpec("rows.jsonl"), OpenOptions{})
	lines := strings.Split(strings.TrimSpace(readFile(t, "testdata/rows.jsonl")), "\n")
	for i, row := range rows {
		if string(row.Raw) != lines[i] {
			t.Errorf("row %d Raw = %q, want the line %q", i, row.Raw, lines[i])
		}
		if row.Line != int64(i+1) {
			t.Errorf("row %d Line = %d, want %d", i, row.Line, i+1)
		}
	}
}

func TestReadCanonicalRawSameAcrossFormats(t *testing.T) {
	a, _ := readAll(t, localSpec("rows.json"), OpenOptions{})
	b, _ := readAll(t, localSpec("rows.csv.gz"), OpenOptions{})
	for i := range a {
		if !bytes.Equal(a[i].Raw, b[i].Raw) {
			t.Errorf("row %d: json Raw %q != csv Raw %q", i, a[i].Raw, b[i].Raw)
		}
	}
	// Keys sorted, no HTML escaping.
	if want := `{"answer":"3","id":"a3","level":"3","problem":"Line\nbreak <b>&</b> ünïcode"}`; string(a[2].Raw) != want {
		t.Errorf("canonical Raw = %s, want %s", a[2].Raw, want)
	}
}

func TestReadJSONLQuirks(t *testing.T) {
	s := localSpec("quirks.jsonl")
	r, err := Open(context.Background(), s, OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	type got struct {
		Key, Err string
		Line     int64
	}
	var out []got
	var rows []Row
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		var re *RowError
		if errors.As(err, &re) {
			out = append(out, got{Err: err.Error(), Line: re.Line})
			continue
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		rows = append(rows, row)
		out = append(out, got{Key: row.Key, Line: row.Line})
	}
	want := []got{
		{Key: "1", Line: 1}, // BOM and CRLF
		{Key: "2", Line: 3}, // after a blank line
		{Err: "quirks.jsonl:5: invalid JSON: invalid character 'b' looking for beginning of object key string", Line: 5},
		{Err: "quirks.jsonl:6: want a JSON object, got an array", Line: 6},
		{Key: "quirks.jsonl:4", Line: 7}, // no id: positional key; the last line has no newline
	}
	if diff := cmp.Diff(want, out); diff != "" {
		t.Fatalf("rows (-want +got):\n%s", diff)
	}
	if n := rows[0].Fields["answer"]; n != json.Number("142.0") {
		t.Errorf("answer = %#v, want json.Number(\"142.0\")", n)
	}
	if string(rows[0].Raw) != `{"id":1,"problem":"p1","answer":142.0}` {
		t.Errorf("Raw = %q: BOM or CR not stripped", rows[0].Raw)
	}
	if v, ok := rows[1].Lookup("meta.tags.1"); !ok || v != "y" {
		t.Errorf(`Lookup("meta.tags.1") = %v, %v; want "y"`, v, ok)
	}
	if v, ok := rows[2].Lookup("answer"); !ok || v != nil {
		t.Errorf(`Lookup("answer") on null = %v, %v; want nil, true`, v, ok)
	}
	// The reader is at EOF for good.
	if _, err := r.Next(); !errors.Is(err, io.EOF) {
		t.Errorf("Next after EOF = %v", err)
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, path string
		openErr    string // substring of the Open error
		rowErrs    int    // *RowError count before the final error or EOF
		finalErr   string // substring of the final error ("" = io.EOF)
		rows       int
	}{
		{name: "unknown extension", path: "rows.txt", openErr: `unknown file type "rows.txt"`},
		{name: "missing file", path: "nope.jsonl", openErr: "no such file"},
		{name: "zip with two members", path: "two-members.zip", openErr: "zip holds 2 files (a.jsonl, b.jsonl)"},
		{name: "array element not an object, then a syntax error", path: "bad-array.json", rows: 2, rowErrs: 1,
			finalErr: "bad-array.json: record 3"},
		{name: "csv row with extra cell", path: "ragged.csv", rows: 2, rowErrs: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := localSpec(tc.path)
			s.Fields.ID = ""
			r, err := Open(context.Background(), s, OpenOptions{})
			if tc.openErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.openErr) {
					t.Fatalf("Open error = %v, want it to contain %q", err, tc.openErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			rows, rowErrs := 0, 0
			var final error
			for {
				_, err := r.Next()
				var re *RowError
				if errors.As(err, &re) {
					rowErrs++
					continue
				}
				if err != nil {
					final = err
					break
				}
				rows++
			}
			if rows != tc.rows || rowErrs != tc.rowErrs {
				t.Errorf("rows, row errors = %d, %d; want %d, %d", rows, rowErrs, tc.rows, tc.rowErrs)
			}
			if tc.finalErr == "" {
				if !errors.Is(final, io.EOF) {
					t.Errorf("final error = %v, want EOF", final)
				}
			} else if final == nil || !strings.Contains(final.Error(), tc.finalErr) {
				t.Errorf("final error = %v, want it to contain %q", final, tc.finalErr)
			}
			// Final errors are sticky.
			if _, err := r.Next(); !errors.Is(err, final) && err.Error() != final.Error() {
				t.Errorf("Next after final error = %v, want %v again", err, final)
			}
		})
	}
}

func TestReadCSVRowErrorNamesLine(t *testing.T) {
	s := localSpec("ragged.csv")
	s.Fields.ID = ""
	r, err := Open(context.Background(), s, OpenOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	r.Next()
	_, err = r.Next()
	if err == nil || err.Error() != "ragged.csv:3: wrong number of fields" {
		t.Errorf("error = %v, want ragged.csv:3: wrong number of fields", err)
	}
	row, err := r.Next()
	if err != nil || row.Key != "ragged.csv:2" || row.Line != 4 {
		t.Errorf("row after the bad one = %+v, %v; want key ragged.csv:2 on line 4", row, err)
	}
}

// pqMessage, pqReward and pqRow give a Parquet file nested columns like the
// verl layout (DAPO-Math-17k): a chat list and a reward_model struct.
type pqMessage struct {
	Content string `parquet:"content"`
	Role    string `parquet:"role"`
}

type pqReward struct {
	GroundTruth string `parquet:"ground_truth"`
	Style       string `parquet:"style"`
}

type pqRow struct {
	ID          int64       `parquet:"id"`
	Problem     string      `parquet:"problem"`
	Score       *float64    `parquet:"score,optional"`
	Tags        []string    `parquet:"tags,list"`
	Prompt      []pqMessage `parquet:"prompt,list"`
	RewardModel pqReward    `parquet:"reward_model"`
}

// writeParquet writes n rows to path in row groups of groupSize rows.
func writeParquet(t testing.TB, path string, n, groupSize int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[pqRow](f, parquet.MaxRowsPerRowGroup(int64(groupSize)))
	for i := range n {
		var score *float64
		if i%2 == 0 {
			v := float64(i) / 4
			score = &v
		}
		row := pqRow{
			ID: int64(1000 + i), Problem: "problem " + itoa(i), Score: score, Tags: []string{"t" + itoa(i)},
			Prompt:      []pqMessage{{Content: "Solve: problem " + itoa(i), Role: "user"}},
			RewardModel: pqReward{GroundTruth: itoa(i * i), Style: "rule"},
		}
		if _, err := w.Write([]pqRow{row}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func writeGzip(t testing.TB, path string, data []byte) {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestReadParquet(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "train-00000-of-00001.parquet")
	const n = 250
	writeParquet(t, p, n, 64) // four row groups
	s := Spec{Name: "dapo", Role: bigmath.RoleCorpus, Path: p,
		Fields: FieldMap{Problem: "prompt.0.content", Answer: "reward_model.ground_truth"}}
	rows, r := readAll(t, s, OpenOptions{})
	if len(rows) != n {
		t.Fatalf("read %d rows, want %d", len(rows), n)
	}
	for i, row := range rows {
		if want := "train-00000-of-00001.parquet:" + itoa(i); row.Key != want {
			t.Fatalf("row %d Key = %q, want %q", i, row.Key, want)
		}
		if got, _ := row.Text(s.Fields.Problem); got != "Solve: problem "+itoa(i) {
			t.Fatalf("row %d problem = %q", i, got)
		}
		if got, _ := row.Text(s.Fields.Answer); got != itoa(i*i) {
			t.Fatalf("row %d answer = %q, want %d", i, got, i*i)
		}
		if got := row.Fields["id"]; got != json.Number(itoa(1000+i)) {
			t.Fatalf("row %d id = %#v", i, got)
		}
		score, ok := row.Lookup("score")
		if i%2 == 1 && (!ok || score != nil) {
			t.Fatalf("row %d score = %#v, %v; want null", i, score, ok)
		}
		if i%2 == 0 && score == nil {
			t.Fatalf("row %d score is null", i)
		}
		var back map[string]any
		dec := json.NewDecoder(bytes.NewReader(row.Raw))
		dec.UseNumber()
		if err := dec.Decode(&back); err != nil || !cmp.Equal(back, row.Fields) {
			t.Fatalf("row %d Raw %s does not decode to Fields %v (%v)", i, row.Raw, row.Fields, err)
		}
	}
	if want := `{"id":1001,"problem":"problem 1","prompt":[{"content":"Solve: problem 1","role":"user"}],"reward_model":{"ground_truth":"1","style":"rule"},"score":null,"tags":["t1"]}`; string(rows[1].Raw) != want {
		t.Errorf("Raw = %s\nwant  %s", rows[1].Raw, want)
	}
	if done, total := r.Size(); done == 0 || total == 0 {
		t.Errorf("Size() = %d, %d", done, total)
	}
}

func TestReadParquetCompressed(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "x.parquet")
	writeParquet(t, p, 10, 4)
	data, _ := os.ReadFile(p)
	gz := filepath.Join(dir, "x.parquet.gz")
	writeGzip(t, gz, data)
	rows, r := readAll(t, Spec{Name: "x", Path: gz, Fields: FieldMap{Problem: "problem", ID: "id"}}, OpenOptions{CacheDir: dir})
	if len(rows) != 10 || rows[9].Key != "1009" {
		t.Fatalf("read %d rows (last key %q), want 10 ending 1009", len(rows), rows[len(rows)-1].Key)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	// The spooled copy is gone once the file has been read.
	if left, _ := filepath.Glob(filepath.Join(dir, "bigmath-*")); len(left) > 0 {
		t.Errorf("spool files left: %v", left)
	}
}

func readFile(t testing.TB, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestReadDuplicateIDs(t *testing.T) {
	rows, r := readAll(t, localSpec("dup-ids.jsonl"), OpenOptions{})
	var keys []string
	for _, row := range rows {
		keys = append(keys, row.Key)
	}
	// 1 and "1" are the same key text; a real id "1#2" that a suffix already
	// took gets a suffix of its own; a row without an id is positional.
	want := []string{"1", "2", "1#2", "1#3", "1#2#2", "dup-ids.jsonl:5"}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	if r.DuplicateKeys() != 3 {
		t.Errorf("DuplicateKeys() = %d, want 3", r.DuplicateKeys())
	}
}
