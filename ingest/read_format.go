package ingest

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
)

// Record formats.
const (
	formatJSONL   = "jsonl"
	formatJSON    = "json"
	formatParquet = "parquet"
	formatCSV     = "csv"
)

// fileFormat is what a file name says about its contents.
type fileFormat struct {
	kind string // formatJSONL, formatJSON, formatParquet, formatCSV
	gz   bool   // gzip-compressed
	zip  bool   // a zip archive holding one data file (kind is then unknown)
}

// formatOf reads the format from a file name: .jsonl (.ndjson), .json,
// .parquet, .csv, each optionally followed by .gz; or .zip.
func formatOf(name string) (fileFormat, error) {
	lower := strings.ToLower(name)
	if strings.HasSuffix(lower, ".zip") {
		return fileFormat{zip: true}, nil
	}
	var f fileFormat
	if s, ok := strings.CutSuffix(lower, ".gz"); ok {
		f.gz, lower = true, s
	}
	switch path.Ext(lower) {
	case ".jsonl", ".ndjson":
		f.kind = formatJSONL
	case ".json":
		f.kind = formatJSON
	case ".parquet":
		f.kind = formatParquet
	case ".csv":
		f.kind = formatCSV
	default:
		return f, fmt.Errorf("unknown file type %q: want .jsonl, .json, .parquet or .csv, optionally .gz, or a .zip", path.Base(name))
	}
	return f, nil
}

// record is one decoded record before it becomes a Row.
type record struct {
	fields map[string]any
	raw    []byte
	line   int64
}

// recordSource decodes one file. next returns io.EOF at the end, *RowError for
// a skipped record, anything else when the file cannot be read further.
type recordSource interface {
	next() (record, error)
	close() error
}

// maxLine bounds one JSON line (and one CSV record): a file without line
// breaks must not be read into memory whole.
const maxLine = 256 << 20

// jsonSource reads JSON Lines, or for a .json file an array of objects or
// (as many Hub files hold) JSON Lines.
func jsonSource(in io.Reader, file string, dotJSON bool) (recordSource, error) {
	br := bufio.NewReaderSize(in, 1<<16)
	if dotJSON {
		c, err := firstByte(br)
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		if c == '[' {
			return newJSONArraySource(br, file), nil
		}
		if c != '{' && c != 0 {
			return nil, fmt.Errorf("a .json file must hold an array of objects or JSON Lines, starts with %q", c)
		}
	}
	return &jsonlSource{br: br, file: file}, nil
}

// openRecords opens df for reading, counting the bytes read from disk in done.
// tmpDir is where a compressed Parquet file is spooled ("" = the OS default).
func openRecords(df dataFile, done *atomic.Int64, tmpDir string) (recordSource, error) {
	format, err := formatOf(df.name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", df.name, err)
	}
	f, err := os.Open(df.path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	closers := []io.Closer{f}
	fail := func(err error) (recordSource, error) {
		closeAll(closers)
		return nil, fmt.Errorf("%s: %w", df.name, err)
	}
	var in io.Reader = &countingReader{r: f, n: done}
	member := ""
	switch {
	case format.zip:
		zr, err := zip.NewReader(countingReaderAt{r: f, n: done}, st.Size())
		if err != nil {
			return fail(fmt.Errorf("read zip: %w", err))
		}
		zf, err := zipMember(zr)
		if err != nil {
			return fail(err)
		}
		if format, err = formatOf(zf.Name); err != nil || format.zip {
			return fail(fmt.Errorf("zip member %s: not a data file", zf.Name))
		}
		rc, err := zf.Open()
		if err != nil {
			return fail(fmt.Errorf("zip member %s: %w", zf.Name, err))
		}
		closers = append(closers, rc)
		in, member = rc, zf.Name
	}
	if format.gz {
		gr, err := gzip.NewReader(bufio.NewReaderSize(in, 1<<16))
		if err != nil {
			return fail(fmt.Errorf("gzip: %w", err))
		}
		closers = append(closers, gr)
		in = gr
	}
	name := df.name
	if member != "" {
		name = df.name + "/" + member
	}
	var src recordSource
	switch format.kind {
	case formatJSONL, formatJSON:
		if src, err = jsonSource(in, df.name, format.kind == formatJSON); err != nil {
			return fail(err)
		}
	case formatCSV:
		s, err := newCSVSource(in, df.name)
		if err != nil {
			return fail(err)
		}
		src = s
	case formatParquet:
		var ra io.ReaderAt
		var size int64
		if format.gz || format.zip {
			tmp, n, err := spool(in, tmpDir)
			if err != nil {
				return fail(fmt.Errorf("unpack parquet: %w", err))
			}
			closers = append(closers, removeOnClose{tmp})
			ra, size = tmp, n
		} else {
			ra, size = countingReaderAt{r: f, n: done}, st.Size()
		}
		s, err := newParquetSource(ra, size, name)
		if err != nil {
			return fail(err)
		}
		src = s
	}
	return &closingSource{recordSource: src, closers: closers}, nil
}

// zipMember picks the one data file of an archive, ignoring folders, hidden
// files and macOS resource forks.
func zipMember(zr *zip.Reader) (*zip.File, error) {
	var found []*zip.File
	for _, f := range zr.File {
		base := path.Base(f.Name)
		if f.FileInfo().IsDir() || strings.HasPrefix(f.Name, "__MACOSX/") || strings.HasPrefix(base, ".") {
			continue
		}
		found = append(found, f)
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return nil, errors.New("zip holds no data file")
	default:
		names := make([]string, len(found))
		for i, f := range found {
			names[i] = f.Name
		}
		return nil, fmt.Errorf("zip holds %d files (%s); want exactly one data file", len(found), strings.Join(names, ", "))
	}
}

// spool copies r into a temporary file (Parquet needs random access).
func spool(r io.Reader, dir string) (*os.File, int64, error) {
	f, err := os.CreateTemp(dir, "bigmath-*.parquet")
	if err != nil {
		return nil, 0, err
	}
	n, err := io.Copy(f, r)
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, 0, err
	}
	return f, n, nil
}

type removeOnClose struct{ f *os.File }

func (r removeOnClose) Close() error {
	err := r.f.Close()
	if rerr := os.Remove(r.f.Name()); err == nil {
		err = rerr
	}
	return err
}

// closingSource closes the file, archive and decompressor behind a source.
type closingSource struct {
	recordSource
	closers []io.Closer
}

func (c *closingSource) close() error {
	err := c.recordSource.close()
	if cerr := closeAll(c.closers); err == nil {
		err = cerr
	}
	c.closers = nil
	return err
}

func closeAll(cs []io.Closer) error {
	var first error
	for i := len(cs) - 1; i >= 0; i-- {
		if err := cs[i].Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

type countingReaderAt struct {
	r io.ReaderAt
	n *atomic.Int64
}

func (c countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.r.ReadAt(p, off)
	c.n.Add(int64(n))
	return n, err
}

// firstByte returns the first byte that is not white space or a UTF-8 BOM,
// without consuming it (0 for an empty input).
func firstByte(br *bufio.Reader) (byte, error) {
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, utf8BOM) {
		br.Discard(3)
	}
	for {
		b, err := br.Peek(1)
		if err != nil {
			return 0, err
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			br.Discard(1)
		default:
			return b[0], nil
		}
	}
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// errLineTooLong reports a JSON line or CSV record over maxLine bytes.
var errLineTooLong = fmt.Errorf("line longer than %d bytes", maxLine)

// jsonlSource reads JSON Lines: one object per line, blank lines skipped.
type jsonlSource struct {
	br    *bufio.Reader
	file  string
	line  int64
	index int64
	buf   []byte
}

func (s *jsonlSource) next() (record, error) {
	for {
		line, err := s.readLine()
		if err != nil && !errors.Is(err, errLineTooLong) {
			if errors.Is(err, io.EOF) && len(line) == 0 {
				return record{}, io.EOF
			}
			if !errors.Is(err, io.EOF) {
				return record{}, fmt.Errorf("%s:%d: %w", s.file, s.line+1, err)
			}
		}
		s.line++
		if s.line == 1 {
			line = bytes.TrimPrefix(line, utf8BOM)
		}
		if errors.Is(err, errLineTooLong) {
			s.index++
			return record{}, &RowError{File: s.file, Line: s.line, Index: s.index - 1, Err: err}
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		s.index++
		fields, derr := decodeObject(line)
		if derr != nil {
			return record{}, &RowError{File: s.file, Line: s.line, Index: s.index - 1, Err: derr}
		}
		return record{fields: fields, raw: bytes.Clone(line), line: s.line}, nil
	}
}

// readLine returns the next line without its end. Over maxLine bytes it
// skips the rest of the line and returns errLineTooLong.
func (s *jsonlSource) readLine() ([]byte, error) {
	s.buf = s.buf[:0]
	for {
		chunk, err := s.br.ReadSlice('\n')
		if len(s.buf)+len(chunk) > maxLine {
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = s.br.ReadSlice('\n')
			}
			if err != nil && !errors.Is(err, io.EOF) {
				return nil, err
			}
			return nil, errLineTooLong
		}
		s.buf = append(s.buf, chunk...)
		switch {
		case err == nil:
			return bytes.TrimRight(s.buf, "\r\n"), nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		default:
			return s.buf, err
		}
	}
}

func (s *jsonlSource) close() error { return nil }

// decodeObject decodes one JSON object with UseNumber and rejects trailing data.
func decodeObject(b []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("invalid JSON: data after the object at byte %d", dec.InputOffset())
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("want a JSON object, got %s", jsonKind(v))
	}
	return m, nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case []any:
		return "an array"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	}
	return fmt.Sprintf("%T", v)
}

// canonicalJSON encodes v compactly with sorted keys and without HTML escaping.
func canonicalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// jsonArraySource streams the elements of a top-level JSON array.
type jsonArraySource struct {
	dec   *json.Decoder
	file  string
	index int64
	state int // 0 before '[', 1 inside, 2 after ']'
}

func newJSONArraySource(r io.Reader, file string) *jsonArraySource {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	return &jsonArraySource{dec: dec, file: file}
}

func (s *jsonArraySource) next() (record, error) {
	if s.state == 0 {
		if _, err := s.dec.Token(); err != nil { // the '['
			return record{}, fmt.Errorf("%s: %w", s.file, err)
		}
		s.state = 1
	}
	if s.state == 2 {
		return record{}, io.EOF
	}
	if !s.dec.More() {
		if _, err := s.dec.Token(); err != nil { // the ']'
			return record{}, fmt.Errorf("%s: after record %d (byte %d): invalid JSON: %w", s.file, s.index, s.dec.InputOffset(), err)
		}
		if _, err := s.dec.Token(); !errors.Is(err, io.EOF) {
			return record{}, fmt.Errorf("%s: byte %d: data after the closing ']'", s.file, s.dec.InputOffset())
		}
		s.state = 2
		return record{}, io.EOF
	}
	var v any
	if err := s.dec.Decode(&v); err != nil {
		return record{}, fmt.Errorf("%s: record %d (byte %d): invalid JSON: %w", s.file, s.index, s.dec.InputOffset(), err)
	}
	s.index++
	m, ok := v.(map[string]any)
	if !ok {
		return record{}, &RowError{File: s.file, Index: s.index - 1, Err: fmt.Errorf("want a JSON object, got %s", jsonKind(v))}
	}
	raw, err := canonicalJSON(m)
	if err != nil {
		return record{}, &RowError{File: s.file, Index: s.index - 1, Err: err}
	}
	return record{fields: m, raw: raw}, nil
}

func (s *jsonArraySource) close() error { return nil }

// csvSource reads a CSV file whose first row names the columns. Every cell is
// a string; invalid UTF-8 is replaced by U+FFFD.
type csvSource struct {
	r      *csv.Reader
	file   string
	header []string
	index  int64
}

func newCSVSource(r io.Reader, file string) (*csvSource, error) {
	cr := csv.NewReader(bufio.NewReaderSize(r, 1<<16))
	cr.FieldsPerRecord = 0
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("empty CSV file: want a header row")
	}
	if err != nil {
		return nil, fmt.Errorf("CSV header: %w", err)
	}
	seen := map[string]bool{}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff")
		}
		h = strings.ToValidUTF8(strings.TrimSpace(h), "\uFFFD")
		if h == "" {
			return nil, fmt.Errorf("CSV header: column %d has no name", i+1)
		}
		if seen[h] {
			return nil, fmt.Errorf("CSV header: column %q appears twice", h)
		}
		seen[h] = true
		header[i] = h
	}
	return &csvSource{r: cr, file: file, header: header}, nil
}

func (s *csvSource) next() (record, error) {
	rec, err := s.r.Read()
	if errors.Is(err, io.EOF) {
		return record{}, io.EOF
	}
	if err != nil {
		s.index++
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return record{}, &RowError{File: s.file, Line: int64(pe.StartLine), Index: s.index - 1, Err: pe.Err}
		}
		return record{}, fmt.Errorf("%s: %w", s.file, err)
	}
	line, _ := s.r.FieldPos(0)
	s.index++
	m := make(map[string]any, len(rec))
	for i, h := range s.header {
		m[h] = strings.ToValidUTF8(rec[i], "\uFFFD") // as JSON would, so Fields match Raw
	}
	raw, err := canonicalJSON(m)
	if err != nil {
		return record{}, &RowError{File: s.file, Line: int64(line), Index: s.index - 1, Err: err}
	}
	return record{fields: m, raw: raw, line: int64(line)}, nil
}

func (s *csvSource) close() error { return nil }

// parquetSource reads a Parquet file one row group at a time, a batch of
// rows at a time, reconstructing each row from the file's own schema.
type parquetSource struct {
	f     *parquet.File
	file  string
	rg    int
	rows  parquet.Rows
	buf   []parquet.Row
	n, i  int
	index int64
}

func newParquetSource(r io.ReaderAt, size int64, file string) (*parquetSource, error) {
	f, err := parquet.OpenFile(r, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
	if err != nil {
		return nil, fmt.Errorf("read parquet: %w", err)
	}
	return &parquetSource{f: f, file: file, buf: make([]parquet.Row, 64)}, nil
}

func (s *parquetSource) next() (record, error) {
	for s.i >= s.n {
		if s.rows == nil {
			groups := s.f.RowGroups()
			if s.rg >= len(groups) {
				return record{}, io.EOF
			}
			s.rows = groups[s.rg].Rows()
			s.rg++
		}
		n, err := s.rows.ReadRows(s.buf)
		s.n, s.i = n, 0
		if err != nil {
			if !errors.Is(err, io.EOF) {
				return record{}, fmt.Errorf("%s: row group %d: %w", s.file, s.rg-1, err)
			}
			cerr := s.rows.Close()
			s.rows = nil
			if cerr != nil {
				return record{}, fmt.Errorf("%s: row group %d: %w", s.file, s.rg-1, cerr)
			}
		}
	}
	row := s.buf[s.i]
	s.i++
	s.index++
	m := map[string]any{}
	if err := s.f.Schema().Reconstruct(&m, row); err != nil {
		return record{}, fmt.Errorf("%s: record %d: %w", s.file, s.index-1, err)
	}
	raw, err := canonicalJSON(jsonSafe(m))
	if err != nil {
		return record{}, &RowError{File: s.file, Index: s.index - 1, Err: err}
	}
	fields, err := decodeObject(raw)
	if err != nil {
		return record{}, &RowError{File: s.file, Index: s.index - 1, Err: err}
	}
	return record{fields: fields, raw: raw}, nil
}

func (s *parquetSource) close() error {
	if s.rows != nil {
		err := s.rows.Close()
		s.rows = nil
		return err
	}
	return nil
}

// jsonSafe rewrites values that encoding/json cannot encode as their JSON
// meaning: byte arrays as text, NaN and infinities as null, maps with
// non-string keys with their keys printed.
func jsonSafe(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = jsonSafe(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = jsonSafe(e)
		}
		return x
	case []byte:
		if utf8.Valid(x) {
			return string(x)
		}
		return x // base64, as encoding/json does
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
	case float32:
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return nil
		}
	case map[any]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[fmt.Sprint(k)] = jsonSafe(e)
		}
		return m
	}
	return v
}
