// Package export holds the file formats that splits are published in:
// JSON Lines and flat Parquet rows (Row), the Parquet rows verl trains on
// (VerlRow), and the problem text they show (DisplayText). It is pure: it
// encodes values to an io.Writer and knows nothing of HTTP or the
// database, so the API's export route and `bigmath export` write the same
// bytes.
package export

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/normalize"
)

// Format is a file format of split exports.
type Format string

// Export formats.
const (
	// FormatJSONL writes one JSON object per line with the fields of
	// Row.
	FormatJSONL Format = "jsonl"
	// FormatParquet writes a Parquet file with the flat columns of
	// Row.
	FormatParquet Format = "parquet"
	// FormatVerl writes a Parquet file of VerlRow, the row verl's RL
	// trainers read (verl loads Parquet files as data.train_files and
	// data.val_files).
	FormatVerl Format = "verl"
)

// ParseFormat returns the format named s, or a *bigmath.ValidationError
// on field "format".
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case FormatJSONL, FormatParquet, FormatVerl:
		return f, nil
	}
	return "", &bigmath.ValidationError{Field: "format", Reason: fmt.Sprintf("must be jsonl, parquet or verl, not %q", s)}
}

// ContentType is the media type of files in the format.
func (f Format) ContentType() string {
	if f == FormatJSONL {
		return "application/x-ndjson"
	}
	return "application/vnd.apache.parquet"
}

// Extension is the file name extension of the format, with the dot.
func (f Format) Extension() string {
	if f == FormatJSONL {
		return ".jsonl"
	}
	return ".parquet"
}

// Row is one problem in the jsonl and parquet exports.
type Row struct {
	ID              string   `json:"id" parquet:"id"`
	Source          string   `json:"source" parquet:"source"`
	Problem         string   `json:"problem" parquet:"problem"`
	Answer          string   `json:"answer" parquet:"answer"`
	AnswerCanonical string   `json:"answer_canonical" parquet:"answer_canonical"`
	AnswerKind      string   `json:"answer_kind" parquet:"answer_kind"`
	Domain          string   `json:"domain" parquet:"domain"`
	Difficulty      *float64 `json:"difficulty" parquet:"difficulty,optional"`
	Level           string   `json:"level" parquet:"level"`
	// Split is the part of the split the problem is in: train, validation
	// or test.
	Split string `json:"split" parquet:"split"`
	// DerivedFrom is the id of the problem this one was derived from
	// (a recovered multiple-choice problem), empty for a problem as its
	// source gives it; Transform names the rule ("mc_reformulated").
	DerivedFrom string `json:"derived_from" parquet:"derived_from"`
	Transform   string `json:"transform" parquet:"transform"`
}

// VerlRow is one problem in the verl export: the row verl's RL trainer
// reads. DataSource is "bigmath/<source name>", a namespace that verl's
// built-in scorers do not claim, so verl hands scoring to the custom reward
// function (the bigmath Python client's compute_score).
type VerlRow struct {
	DataSource  string          `json:"data_source" parquet:"data_source"`
	Prompt      []VerlMessage   `json:"prompt" parquet:"prompt,list"`
	Ability     string          `json:"ability" parquet:"ability"`
	RewardModel VerlRewardModel `json:"reward_model" parquet:"reward_model"`
	ExtraInfo   VerlExtraInfo   `json:"extra_info" parquet:"extra_info"`
}

// VerlMessage is one chat message of a verl prompt.
type VerlMessage struct {
	Role    string `json:"role" parquet:"role"`
	Content string `json:"content" parquet:"content"`
}

// VerlRewardModel says how verl scores a row: by rule, against the gold
// answer. GroundTruth is the raw gold answer (a string), which the bigmath
// verifier parses.
type VerlRewardModel struct {
	Style       string `json:"style" parquet:"style"`
	GroundTruth string `json:"ground_truth" parquet:"ground_truth"`
}

// VerlExtraInfo is the per-row metadata verl passes to the reward function.
// Its fields are the same in every row, as Parquet struct columns require.
// Index counts the rows of each part from 0, in export order.
type VerlExtraInfo struct {
	Split     string `json:"split" parquet:"split"`
	Index     int64  `json:"index" parquet:"index"`
	ProblemID string `json:"problem_id" parquet:"problem_id"`
}

// VerlInstruction follows the problem text in a verl prompt, so that the
// model ends with a final answer the reward extractor finds.
const VerlInstruction = "Reason step by step, and put your final answer in \\boxed{}."

// VerlDataSourcePrefix starts the data_source of every verl row.
const VerlDataSourcePrefix = "bigmath/"

// RowGroupRows is the number of rows per Parquet row group: the writer
// flushes a row group every RowGroupRows rows, so memory stays bounded by
// one row group whatever the size of the export.
const RowGroupRows = 16384

// writeBatch is the number of rows handed to the Parquet writer at once.
const writeBatch = 512

// Writer encodes split rows to a file in one format, as they come.
type Writer struct {
	format  Format
	buf     *bufio.Writer
	enc     *json.Encoder
	flat    *parquet.GenericWriter[Row]
	verl    *parquet.GenericWriter[VerlRow]
	flatBuf []Row
	verlBuf []VerlRow
	inGroup int
	index   map[bigmath.Part]int64
	rows    int64
}

// NewWriter returns a writer of format f on w. Close finishes the
// file; it does not close w.
func NewWriter(w io.Writer, f Format) *Writer {
	e := &Writer{format: f, buf: bufio.NewWriterSize(w, 64<<10), index: map[bigmath.Part]int64{}}
	opts := []parquet.WriterOption{
		parquet.Compression(&parquet.Snappy),
		parquet.CreatedBy("bigmath", bigmath.Version, ""),
	}
	switch f {
	case FormatJSONL:
		e.enc = json.NewEncoder(e.buf)
		e.enc.SetEscapeHTML(false)
	case FormatParquet:
		e.flat = parquet.NewGenericWriter[Row](e.buf, opts...)
		e.flatBuf = make([]Row, 0, writeBatch)
	case FormatVerl:
		e.verl = parquet.NewGenericWriter[VerlRow](e.buf, opts...)
		e.verlBuf = make([]VerlRow, 0, writeBatch)
	default:
		panic("export: NewWriter: unknown format " + string(f))
	}
	return e
}

// Rows returns the number of rows written so far.
func (e *Writer) Rows() int64 { return e.rows }

// Write adds one row of the live corpus: the problem as it is exported
// now (see Freeze). It does not keep r.
func (e *Writer) Write(r *bigmath.SplitRow) error {
	f := Freeze(&r.Problem, r.Part)
	return e.WriteFrozen(&f)
}

// Freeze returns the row that exports p in part: the content a split
// version stores, with the problem's display text.
func Freeze(p *bigmath.Problem, part bigmath.Part) bigmath.FrozenRow {
	return bigmath.FrozenRow{
		Part: part, ID: p.ID, Source: p.SourceName, SourceRevision: p.SourceRevision, License: p.License,
		Problem: DisplayText(*p), Answer: p.Answer.Raw, AnswerCanonical: p.Answer.Canonical, AnswerKind: p.Answer.Kind,
		Domain: p.Domain, Difficulty: p.Difficulty, Level: p.Level, DerivedFrom: p.DerivedFrom, Transform: p.Transform,
	}
}

// WriteFrozen adds one frozen row, written as it is. It does not keep r.
func (e *Writer) WriteFrozen(r *bigmath.FrozenRow) error {
	switch e.format {
	case FormatJSONL:
		if err := e.enc.Encode(RowOf(r)); err != nil {
			return fmt.Errorf("write jsonl: %w", err)
		}
	case FormatParquet:
		e.flatBuf = append(e.flatBuf, RowOf(r))
	case FormatVerl:
		i := e.index[r.Part]
		e.index[r.Part] = i + 1
		e.verlBuf = append(e.verlBuf, VerlRow{
			DataSource:  VerlDataSourcePrefix + r.Source,
			Prompt:      []VerlMessage{{Role: "user", Content: r.Problem + "\n\n" + VerlInstruction}},
			Ability:     "math",
			RewardModel: VerlRewardModel{Style: "rule", GroundTruth: r.Answer},
			ExtraInfo:   VerlExtraInfo{Split: string(r.Part), Index: i, ProblemID: r.ID},
		})
	}
	e.rows++
	if len(e.flatBuf) == writeBatch || len(e.verlBuf) == writeBatch {
		return e.flush(false)
	}
	return nil
}

// RowOf is the flat row (jsonl and parquet) of a frozen row.
func RowOf(r *bigmath.FrozenRow) Row {
	return Row{
		ID: r.ID, Source: r.Source, Problem: r.Problem,
		Answer: r.Answer, AnswerCanonical: r.AnswerCanonical, AnswerKind: r.AnswerKind,
		Domain: r.Domain, Difficulty: r.Difficulty, Level: r.Level, Split: string(r.Part),
		DerivedFrom: r.DerivedFrom, Transform: r.Transform,
	}
}

// flush hands the buffered rows to the Parquet writer, and ends the row
// group when it has RowGroupRows rows (or at the end).
func (e *Writer) flush(end bool) error {
	var (
		n   int
		err error
	)
	switch e.format {
	case FormatParquet:
		n, err = e.flat.Write(e.flatBuf)
		clear(e.flatBuf)
		e.flatBuf = e.flatBuf[:0]
	case FormatVerl:
		n, err = e.verl.Write(e.verlBuf)
		clear(e.verlBuf)
		e.verlBuf = e.verlBuf[:0]
	default:
		return nil
	}
	if err != nil {
		return fmt.Errorf("write parquet: %w", err)
	}
	e.inGroup += n
	if e.inGroup >= RowGroupRows && !end {
		e.inGroup = 0
		if e.flat != nil {
			err = e.flat.Flush()
		} else {
			err = e.verl.Flush()
		}
		if err != nil {
			return fmt.Errorf("write parquet row group: %w", err)
		}
	}
	return nil
}

// Close writes what is buffered and ends the file (the Parquet footer). It
// does not close the underlying writer.
func (e *Writer) Close() error {
	if err := e.flush(true); err != nil {
		return err
	}
	var err error
	switch e.format {
	case FormatParquet:
		err = e.flat.Close()
	case FormatVerl:
		err = e.verl.Close()
	}
	if err != nil {
		return fmt.Errorf("finish parquet: %w", err)
	}
	if err := e.buf.Flush(); err != nil {
		return fmt.Errorf("write export: %w", err)
	}
	return nil
}

// DisplayText is the problem text that lists and exports show: the
// source's text with its line breaks (normalize.Display), or the
// normalized text when the source's is not stored.
func DisplayText(p bigmath.Problem) string {
	if p.ProblemRaw != "" {
		return normalize.Display(p.ProblemRaw)
	}
	return p.ProblemNorm
}
