package export_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/export"
	"github.com/bigmath/bigmath/internal/testutil"
)

func TestWriterRowGroups(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	w := export.NewWriter(&buf, export.FormatParquet)
	n := 2*export.RowGroupRows + 100
	for i := range n {
		r := bigmath.SplitRow{Part: bigmath.PartTest, Problem: bigmath.Problem{ID: fmt.Sprintf("p%06d", i), ProblemRaw: "raw only"}}
		if err := w.Write(&r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if f.NumRows() != int64(n) || len(f.RowGroups()) != 3 {
		t.Errorf("file has %d rows in %d row groups, want %d in 3", f.NumRows(), len(f.RowGroups()), n)
	}
	rows := testutil.ReadParquet[export.Row](t, buf.Bytes())
	if rows[n-1].ID != fmt.Sprintf("p%06d", n-1) || rows[0].Problem != "raw only" || rows[0].Split != "test" {
		t.Errorf("rows[0] = %+v, rows[last] = %+v", rows[0], rows[n-1])
	}
}

func TestParseFormat(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"jsonl", "parquet", "verl"} {
		if f, err := export.ParseFormat(s); err != nil || string(f) != s {
			t.Errorf("ParseExportFormat(%q) = %q, %v", s, f, err)
		}
	}
	var ve *bigmath.ValidationError
	if _, err := export.ParseFormat("csv"); !errors.As(err, &ve) || ve.Field != "format" {
		t.Errorf("ParseExportFormat(csv) = %v, want a ValidationError on format", err)
	}
}

// The text served to trainers keeps the source's line breaks: a one-line
// text would let an Asymptote "//" comment swallow the code after it.
func TestDisplayTextKeepsLineBreaks(t *testing.T) {
	t.Parallel()
	raw := "Find $x$.\n[asy]\ndraw((0,0)--(1,1)); // the diagonal\nlabel(\"$x$\",(1,1));\n[/asy]"
	p := bigmath.Problem{ProblemRaw: raw, ProblemNorm: "Find $x$. [asy] draw((0,0)--(1,1)); // the diagonal label(\"$x$\",(1,1)); [/asy]"}
	got := export.DisplayText(p)
	if !strings.Contains(got, "// the diagonal\nlabel") {
		t.Errorf("DisplayText(%q) = %q: the comment must end at its line break", raw, got)
	}
	if got := export.DisplayText(bigmath.Problem{ProblemNorm: "only normalized"}); got != "only normalized" {
		t.Errorf("DisplayText without raw text = %q, want the normalized text", got)
	}
}
