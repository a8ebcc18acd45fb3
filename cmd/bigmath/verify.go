package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"time"
	"unicode/utf8"

	"github.com/bigmath/bigmath/verify"
)

// verifyCmd grades a JSON Lines file of gold answers and model responses
// with the verify package. It needs no database.
type verifyCmd struct {
	lineFiles `embed:""`
	Workers   int           `default:"0" help:"Checks run in parallel; 0 uses every core."`
	Timeout   time.Duration `default:"0s" help:"Time limit of one check; 0 means the verifier's default (50ms)."`
	// CPUProfile is for measuring, as ingest's.
	CPUProfile string `hidden:"" name:"cpuprofile" type:"path" help:"Write a CPU profile to this file."`
}

// Help implements kong.HelpProvider: the lines read and written.
func (c *verifyCmd) Help() string {
	return `Each input line is {"id", "gold", "response"}, or "answer" in place of "response" for an already extracted answer; each output line is its verdict.`
}

// Limits of the verify stream.
const (
	// maxVerifyLine caps one input line; a longer line yields an error line.
	maxVerifyLine = 8 << 20
	// verifyWindow caps the lines between the reader and the writer: the
	// reorder window that keeps the output in input order.
	verifyWindow = 16384
	// verifyInFlight caps the input bytes held by that window, so memory
	// stays flat whatever the line sizes.
	verifyInFlight = 64 << 20
)

// Run reads the input line by line, verifies the lines on a pool of workers,
// and writes one output line per input line, in input order. A malformed
// line yields an output line with "line" and "error" and processing goes
// on; only I/O errors and cancellation stop the command.
func (c *verifyCmd) Run(e *env) error {
	if c.Workers < 0 {
		return usageError{fmt.Errorf("--workers=%d: want 0 (every core) or more", c.Workers)}
	}
	if c.Timeout < 0 {
		return usageError{fmt.Errorf("--timeout=%v: want 0 (the default) or more", c.Timeout)}
	}
	stopProfile, err := startCPUProfile(c.CPUProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	workers := c.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	in := e.stdin
	if c.In != "-" {
		f, err := os.Open(c.In)
		if err != nil {
			return fmt.Errorf("open input: %w", err)
		}
		defer f.Close()
		in = f
	}
	out := e.stdout
	var outFile *os.File
	if c.Out != "-" {
		f, err := os.Create(c.Out)
		if err != nil {
			return fmt.Errorf("create output: %w", err)
		}
		defer f.Close()
		out, outFile = f, f
	}
	start := time.Now()
	st, err := verifyStream(e.ctx, in, out, streamConfig{
		workers:     workers,
		opts:        verify.Options{Timeout: c.Timeout},
		maxLine:     maxVerifyLine,
		window:      verifyWindow,
		maxInFlight: verifyInFlight,
	})
	if err == nil && outFile != nil {
		if cerr := outFile.Close(); cerr != nil {
			err = fmt.Errorf("close output: %w", cerr)
		}
	}
	e.logger.Info("verify finished", "lines", st.lines, "error_lines", st.errors, "correct", st.correct,
		"workers", workers, "seconds", time.Since(start).Seconds())
	return err
}

// streamConfig tunes verifyStream.
type streamConfig struct {
	workers     int
	opts        verify.Options
	maxLine     int
	window      int
	maxInFlight int64
}

// verifyStream reads JSON Lines from r, verifies them on cfg.workers
// goroutines and writes the verdicts to w in input order (jsonlStream).
func verifyStream(ctx context.Context, r io.Reader, w io.Writer, cfg streamConfig) (streamStats, error) {
	return jsonlStream(ctx, r, w, cfg, func(ctx context.Context, j *lineJob) lineOut {
		out, correct, failed := verifyLine(ctx, j, cfg.opts, cfg.maxLine)
		return lineOut{out: out, correct: correct, failed: failed}
	})
}

// readLine reads one line without its line break (\n or \r\n). A line longer
// than max is consumed but not kept: tooLong is set and line is nil. err is
// io.EOF at the end of the input, with the last line when it has no line
// break.
func readLine(br *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	for {
		frag, err := br.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(frag) > max+2 { // room for the \r\n
				tooLong, line = true, nil
			} else {
				line = append(line, frag...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		line = bytes.TrimSuffix(line, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if !tooLong && len(line) > max {
			tooLong, line = true, nil
		}
		return line, tooLong, err
	}
}

// verifyInput is one input line. Fields stay raw so that their types can be
// checked with a message naming the field.
type verifyInput struct {
	ID       json.RawMessage `json:"id"`
	Gold     json.RawMessage `json:"gold"`
	Response json.RawMessage `json:"response"`
	Answer   json.RawMessage `json:"answer"`
}

// verifyOutput is one verdict line. Field names are a contract: add, never
// rename.
type verifyOutput struct {
	ID            json.RawMessage `json:"id"`
	Correct       bool            `json:"correct"`
	Reward        float64         `json:"reward"`
	Extracted     string          `json:"extracted"`
	Kind          verify.Kind     `json:"kind"`
	GoldCanonical string          `json:"gold_canonical"`
	PredCanonical string          `json:"pred_canonical"`
	Reason        verify.Reason   `json:"reason"`
}

// verifyErrorOutput is the output line of a malformed input line, at its
// position (shared by verify, classify and dedup).
type verifyErrorOutput struct {
	ID    json.RawMessage `json:"id"`
	Line  int             `json:"line"`
	Error string          `json:"error"`
}

// verifyLine verifies one input line and returns its output line; maxLine is
// the line cap, named in the error of a line that broke it.
func verifyLine(ctx context.Context, j *lineJob, opts verify.Options, maxLine int) (out []byte, correct, failed bool) {
	fail := func(id json.RawMessage, format string, args ...any) ([]byte, bool, bool) {
		msg := fmt.Sprintf("line %d: ", j.n) + fmt.Sprintf(format, args...)
		return encodeLine(verifyErrorOutput{ID: id, Line: j.n, Error: msg}), false, true
	}
	if j.tooLong {
		return fail(nil, "line longer than %d bytes", maxLine)
	}
	data := bytes.TrimSpace(j.data)
	if len(data) == 0 {
		return fail(nil, "empty line")
	}
	var in verifyInput
	if err := json.Unmarshal(data, &in); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field == "" {
			return fail(nil, "want a JSON object, got %s", te.Value)
		}
		return fail(recoverID(data), "invalid JSON: %s", err.Error())
	}
	id := in.ID
	if isNull(id) {
		id = nil
	}
	gold, err := textField(in.Gold, "gold", true)
	if err != nil {
		return fail(id, "%s", err.Error())
	}
	response, err := textField(in.Response, "response", false)
	if err != nil {
		return fail(id, "%s", err.Error())
	}
	answer, err := textField(in.Answer, "answer", true)
	if err != nil {
		return fail(id, "%s", err.Error())
	}
	hasResponse, hasAnswer := !isNull(in.Response), !isNull(in.Answer)
	switch {
	case isNull(in.Gold):
		return fail(id, "missing gold")
	case hasResponse && hasAnswer:
		return fail(id, "give response or answer, not both")
	case !hasResponse && !hasAnswer:
		return fail(id, "missing response (or answer)")
	}
	var v verify.Verdict
	if hasAnswer {
		v = verify.Answer(ctx, gold, answer, opts)
	} else {
		v = verify.Response(ctx, gold, response, opts)
	}
	return encodeLine(verifyOutput{
		ID:            id,
		Correct:       v.Correct,
		Reward:        v.Reward,
		Extracted:     v.Extracted,
		Kind:          v.Kind,
		GoldCanonical: v.GoldCanonical,
		PredCanonical: v.PredCanonical,
		Reason:        v.Reason,
	}), v.Correct, false
}

// textField decodes a text field: a JSON string, or, when numbers is set, a
// JSON number taken as its literal text (gold 42 is "42"). A missing or null
// field is "".
func textField(raw json.RawMessage, name string, numbers bool) (string, error) {
	if isNull(raw) {
		return "", nil
	}
	switch raw[0] {
	case '"':
		if s, ok := unquoteValid(raw); ok {
			return s, nil
		}
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", fmt.Errorf("%s: %w", name, err)
		}
		return s, nil
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		if numbers {
			return string(raw), nil
		}
		return "", fmt.Errorf("%s must be a string, got a number", name)
	}
	kind := map[byte]string{'{': "an object", '[': "an array", 't': "a boolean", 'f': "a boolean"}[raw[0]]
	if numbers {
		return "", fmt.Errorf("%s must be a string or a number, got %s", name, kind)
	}
	return "", fmt.Errorf("%s must be a string, got %s", name, kind)
}

// unquoteValid decodes raw, a JSON string literal that encoding/json has
// already validated (a json.RawMessage field of a decoded line), without
// scanning it twice more as json.Unmarshal would: the long responses of a
// verify stream are most of its bytes. ok is false for what it leaves to
// encoding/json: \u escapes and invalid UTF-8 (which json replaces).
func unquoteValid(raw []byte) (s string, ok bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return "", false
	}
	body := raw[1 : len(raw)-1]
	if !utf8.Valid(body) {
		return "", false
	}
	i := bytes.IndexByte(body, '\\')
	if i < 0 {
		return string(body), true
	}
	b := make([]byte, 0, len(body))
	for i >= 0 {
		if i+1 >= len(body) {
			return "", false
		}
		b = append(b, body[:i]...)
		switch c := body[i+1]; c {
		case '"', '\\', '/':
			b = append(b, c)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		default:
			return "", false
		}
		body = body[i+2:]
		i = bytes.IndexByte(body, '\\')
	}
	return string(append(b, body...)), true
}

// isNull reports whether a raw field is missing or JSON null.
func isNull(raw json.RawMessage) bool {
	return len(raw) == 0 || string(raw) == "null"
}

// recoverID returns the "id" of a malformed line when it can be read before
// the point where the line breaks, and nil otherwise.
func recoverID(data []byte) json.RawMessage {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil
		}
		key, ok := t.(string)
		if !ok {
			return nil
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil
		}
		if key == "id" {
			if isNull(v) {
				return nil
			}
			return v
		}
	}
	return nil
}

// encodeLine marshals v as one JSON line, without escaping <, > and & (LaTeX
// and chat tokens stay readable).
func encodeLine(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only an invalid raw id can fail, and ids come from a successful
		// decode; report the line rather than lose it.
		msg, _ := json.Marshal("encode output: " + err.Error())
		return []byte(`{"id":null,"error":` + string(msg) + "}\n")
	}
	return buf.Bytes()
}
