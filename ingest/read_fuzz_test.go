package ingest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// addSeeds adds the testdata files matching pattern as fuzz seeds.
func addSeeds(f *testing.F, pattern string) {
	f.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", pattern))
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds for %s: %v", pattern, err)
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// drain reads src to the end, checking the properties every reader keeps:
// rows decode from their Raw bytes to their Fields, lines grow, and a bad
// record never stops the reading of line-based formats.
func drain(t *testing.T, src recordSource, maxRecords int, lineBased bool) (rows, rowErrs int) {
	t.Helper()
	var lastLine int64
	for i := 0; ; i++ {
		if i > maxRecords {
			t.Fatalf("more than %d records from a %d-line input", maxRecords, maxRecords)
		}
		rec, err := src.next()
		if errors.Is(err, io.EOF) {
			return rows, rowErrs
		}
		var re *RowError
		if errors.As(err, &re) {
			rowErrs++
			continue
		}
		if err != nil {
			return rows, rowErrs // a final error ends the file
		}
		rows++
		if lineBased && rec.line <= lastLine {
			t.Fatalf("line %d after line %d", rec.line, lastLine)
		}
		lastLine = rec.line
		back, err := decodeObject(rec.raw)
		if err != nil {
			t.Fatalf("Raw %q does not decode: %v", rec.raw, err)
		}
		if !cmp.Equal(back, rec.fields) {
			t.Fatalf("Raw %q decodes to %v, Fields are %v", rec.raw, back, rec.fields)
		}
		if _, err := json.Marshal(rec.fields); err != nil {
			t.Fatalf("Fields do not encode: %v", err)
		}
	}
}

func FuzzJSONLReader(f *testing.F) {
	addSeeds(f, "*.jsonl")
	addSeeds(f, "jsonlines.json")
	f.Add([]byte("{\"a\":1}\r\n\n{\"a\":[1,{\"b\":null}]}\n{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		src := &jsonlSource{br: bufio.NewReader(bytes.NewReader(data)), file: "fuzz.jsonl"}
		lines := bytes.Count(data, []byte("\n")) + 1
		drain(t, src, lines, true)
	})
}

func FuzzCSVReader(f *testing.F) {
	addSeeds(f, "*.csv")
	f.Add([]byte("a,b\n\"x\"\"y\",2\n\"unterminated,3\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		src, err := newCSVSource(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			return // a bad header is reported at open
		}
		lines := bytes.Count(data, []byte("\n")) + bytes.Count(data, []byte("\r")) + 1
		drain(t, src, lines, true)
	})
}

func FuzzJSONArrayReader(f *testing.F) {
	addSeeds(f, "rows.json")
	addSeeds(f, "bad-array.json")
	f.Fuzz(func(t *testing.T, data []byte) {
		src := newJSONArraySource(bytes.NewReader(data), "fuzz.json")
		drain(t, src, len(data)+1, false)
	})
}

func FuzzLookupField(f *testing.F) {
	f.Add(`{"a":{"b":[1,{"c":"x"}]},"a.b":2}`, "a.b.1.c")
	f.Add(`{"prompt":[{"content":"q"}]}`, "prompt.0.content")
	f.Fuzz(func(t *testing.T, doc, field string) {
		m, err := decodeObject([]byte(doc))
		if err != nil {
			return
		}
		v, ok := LookupField(m, field)
		if !ok && v != nil {
			t.Fatalf("LookupField(%q) = %v, false", field, v)
		}
		if s, ok := FieldText(m, field); ok && v == nil {
			t.Fatalf("FieldText(%q) = %q for a missing or null value", field, s)
		}
		if _, direct := m[field]; direct && !ok {
			t.Fatalf("LookupField(%q) missed a top-level key", field)
		}
	})
}
