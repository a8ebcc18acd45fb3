package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/bigmath/bigmath/internal/sharedtest"
	"github.com/bigmath/bigmath/internal/testutil"
	"github.com/bigmath/bigmath/verify"
)

// runVerify runs `bigmath verify args...` in-process on the given input.
func runVerify(t testing.TB, input string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runOffline(t, input, append([]string{"verify"}, args...)...)
}

// outLine is an output line, decoded with every field optional.
type outLine struct {
	ID            json.RawMessage `json:"id"`
	Correct       *bool           `json:"correct"`
	Reward        *float64        `json:"reward"`
	Extracted     *string         `json:"extracted"`
	Kind          *string         `json:"kind"`
	GoldCanonical *string         `json:"gold_canonical"`
	PredCanonical *string         `json:"pred_canonical"`
	Reason        *string         `json:"reason"`
	Line          *int            `json:"line"`
	Error         *string         `json:"error"`
}

func decodeOut(t testing.TB, stdout string) []outLine {
	t.Helper()
	return decodeLines[outLine](t, stdout, true)
}

func TestVerifyCLILines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		line   string
		id     string // the output id, as JSON
		reason string // a verdict reason, or "" for an error line
		errSub string // substring of the error, for error lines
		want   func(outLine) string
	}{
		// Verdicts.
		{name: "response correct", line: `{"id": 1, "gold": "5", "response": "So $2+3=\\boxed{5}$."}`, id: `1`, reason: "equal",
			want: verdict(true, "5")},
		{name: "response wrong", line: `{"id": "b", "gold": "5", "response": "\\boxed{6}"}`, id: `"b"`, reason: "not_equal",
			want: verdict(false, "6")},
		{name: "answer without extraction", line: `{"id": {"k": [1, 2]}, "gold": "\\frac{1}{2}", "answer": "0.5"}`, id: `{"k":[1,2]}`, reason: "equal",
			want: verdict(true, "0.5")},
		{name: "answer is not extracted from", line: `{"id": 4, "gold": "5", "answer": "The answer is 5."}`, id: `4`, reason: "",
			want: func(l outLine) string {
				if *l.Correct || *l.Extracted != "The answer is 5." {
					return "an answer must be graded as given, not extracted from"
				}
				return ""
			}},
		{name: "no answer", line: `{"id": 5, "gold": "5", "response": "I am not sure how to go on from here at all."}`, id: `5`, reason: "no_answer",
			want: func(l outLine) string {
				if *l.Kind != string(verify.KindInteger) || *l.GoldCanonical == "" || *l.Reward != 0 {
					return "no_answer must describe the gold and give reward 0"
				}
				return ""
			}},
		{name: "numeric gold", line: `{"id": 6, "gold": 42, "response": "#### 42"}`, id: `6`, reason: "equal", want: verdict(true, "42")},
		{name: "unparsable gold", line: `{"id": 7, "gold": "\\frac{", "response": "\\boxed{5}"}`, id: `7`, reason: "unparsable_gold", want: verdict(false, "5")},
		{name: "missing id", line: `{"gold": "5", "answer": "5"}`, id: `null`, reason: "equal", want: verdict(true, "5")},
		{name: "null id", line: `{"id": null, "gold": "5", "answer": "5"}`, id: `null`, reason: "equal", want: verdict(true, "5")},
		{name: "extra fields are ignored", line: `{"id": 8, "gold": "5", "answer": "5", "source": "gsm8k"}`, id: `8`, reason: "equal", want: verdict(true, "5")},
		{name: "html characters stay readable", line: `{"id": 9, "gold": "x<1", "answer": "x<1"}`, id: `9`, reason: "equal", want: verdict(true, "x<1")},

		// Malformed lines.
		{name: "empty line", line: ``, id: `null`, errSub: "line 1: empty line"},
		{name: "blank line", line: "  \t ", id: `null`, errSub: "line 1: empty line"},
		{name: "not json", line: `gold=5 response=5`, id: `null`, errSub: "line 1: invalid JSON"},
		{name: "truncated json keeps the id", line: `{"id": 77, "gold": "5", "response": "\\box`, id: `77`, errSub: "line 1: invalid JSON"},
		{name: "array", line: `[1, 2]`, id: `null`, errSub: "line 1: want a JSON object, got array"},
		{name: "string", line: `"5"`, id: `null`, errSub: "line 1: want a JSON object, got string"},
		{name: "missing gold", line: `{"id": 3, "response": "\\boxed{5}"}`, id: `3`, errSub: "line 1: missing gold"},
		{name: "null gold", line: `{"id": 3, "gold": null, "response": "\\boxed{5}"}`, id: `3`, errSub: "line 1: missing gold"},
		{name: "missing response", line: `{"id": 3, "gold": "5"}`, id: `3`, errSub: "line 1: missing response (or answer)"},
		{name: "both response and answer", line: `{"id": 3, "gold": "5", "response": "5", "answer": "5"}`, id: `3`, errSub: "line 1: give response or answer, not both"},
		{name: "gold object", line: `{"id": 3, "gold": {"v": 5}, "answer": "5"}`, id: `3`, errSub: "line 1: gold must be a string or a number, got an object"},
		{name: "response number", line: `{"id": 3, "gold": "5", "response": 5}`, id: `3`, errSub: "line 1: response must be a string, got a number"},
		{name: "answer boolean", line: `{"id": 3, "gold": "5", "answer": true}`, id: `3`, errSub: "line 1: answer must be a string or a number, got a boolean"},
		{name: "invalid escape keeps the id", line: `{"id": 3, "gold": "\u12", "answer": "5"}`, id: `3`, errSub: "line 1: invalid JSON"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runVerify(t, tc.line+"\n", "--workers", "1")
			if code != exitOK {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			lines := decodeOut(t, stdout)
			if len(lines) != 1 {
				t.Fatalf("%d output lines for one input line: %q", len(lines), stdout)
			}
			l := lines[0]
			if got := string(l.ID); got != tc.id && !(got == "" && tc.id == "null") {
				t.Errorf("id = %s, want %s", got, tc.id)
			}
			if tc.errSub != "" {
				if l.Error == nil || !strings.Contains(*l.Error, tc.errSub) || l.Line == nil || *l.Line != 1 || l.Reason != nil {
					t.Fatalf("output %q, want an error line for line 1 containing %q", stdout, tc.errSub)
				}
				return
			}
			if l.Error != nil || l.Reason == nil || l.Correct == nil || l.Reward == nil || l.Extracted == nil ||
				l.Kind == nil || l.GoldCanonical == nil || l.PredCanonical == nil {
				t.Fatalf("output %q, want every verdict field", stdout)
			}
			if tc.reason != "" && *l.Reason != tc.reason {
				t.Errorf("reason = %s, want %s (%q)", *l.Reason, tc.reason, stdout)
			}
			if msg := tc.want(l); msg != "" {
				t.Errorf("%s: %q", msg, stdout)
			}
		})
	}
}

// verdict checks correct, reward and extracted.
func verdict(correct bool, extracted string) func(outLine) string {
	return func(l outLine) string {
		want := 0.0
		if correct {
			want = 1
		}
		if *l.Correct != correct || *l.Reward != want || *l.Extracted != extracted {
			return fmt.Sprintf("want correct=%v reward=%v extracted=%q", correct, want, extracted)
		}
		return ""
	}
}

// TestVerifyCLIOrder checks that many workers keep the input order and the
// positions of malformed lines.
func TestVerifyCLIOrder(t *testing.T) {
	t.Parallel()
	const n = 5000
	var in strings.Builder
	for i := range n {
		switch {
		case i%97 == 13:
			in.WriteString("\n") // an empty line keeps its position
		case i%89 == 5:
			fmt.Fprintf(&in, "{\"id\": %d, \"gold\": \n", i) // broken JSON
		case i%2 == 0:
			fmt.Fprintf(&in, "{\"id\": %d, \"gold\": \"%d\", \"response\": \"so the value is $\\\\boxed{%d}$\"}\n", i, i, i)
		default:
			fmt.Fprintf(&in, "{\"id\": %d, \"gold\": \"\\\\frac{%d}{2}\", \"answer\": \"%d\"}\n", i, i, i)
		}
	}
	for _, workers := range []string{"1", "8", "64"} {
		t.Run("workers="+workers, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runVerify(t, in.String(), "--workers", workers)
			if code != exitOK {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			lines := decodeOut(t, stdout)
			if len(lines) != n {
				t.Fatalf("%d output lines, want %d", len(lines), n)
			}
			for i, l := range lines {
				switch {
				case i%97 == 13:
					if l.Error == nil || *l.Line != i+1 || !strings.Contains(*l.Error, fmt.Sprintf("line %d: empty line", i+1)) {
						t.Fatalf("output %d: %+v, want the empty-line error", i, l)
					}
				case i%89 == 5:
					if l.Error == nil || *l.Line != i+1 || string(l.ID) != fmt.Sprint(i) {
						t.Fatalf("output %d: id %s error %v, want the invalid-JSON error with id %d", i, l.ID, l.Error, i)
					}
				default:
					if string(l.ID) != fmt.Sprint(i) {
						t.Fatalf("output %d has id %s", i, l.ID)
					}
					// Even lines are correct; odd ones grade i against i/2.
					if want := i%2 == 0; *l.Correct != want {
						t.Fatalf("output %d: correct=%v, want %v (reason %s)", i, *l.Correct, want, *l.Reason)
					}
				}
			}
		})
	}
}

func TestVerifyCLIHugeLine(t *testing.T) {
	t.Parallel()
	huge := `{"id": 2, "gold": "5", "response": "` + strings.Repeat("x", maxVerifyLine) + `\\boxed{5}"}`
	input := `{"id": 1, "gold": "5", "answer": "5"}` + "\n" + huge + "\n" + `{"id": 3, "gold": "5", "answer": "5"}` + "\n"
	code, stdout, stderr := runVerify(t, input)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	lines := decodeOut(t, stdout)
	if len(lines) != 3 {
		t.Fatalf("%d output lines, want 3: %.300q", len(lines), stdout)
	}
	if l := lines[1]; l.Error == nil || *l.Line != 2 || !strings.Contains(*l.Error, fmt.Sprintf("line 2: line longer than %d bytes", maxVerifyLine)) {
		t.Errorf("line 2 = %+v, want the too-long error", l)
	}
	for _, i := range []int{0, 2} {
		if l := lines[i]; l.Correct == nil || !*l.Correct || string(l.ID) != fmt.Sprint(i+1) {
			t.Errorf("line %d = %+v, want a correct verdict", i+1, l)
		}
	}
}

// TestVerifyCLIUnderCap checks that a line just under the cap is verified.
func TestVerifyCLIUnderCap(t *testing.T) {
	t.Parallel()
	prefix, suffix := `{"id": 1, "gold": "5", "response": "`, `\\boxed{5}"}`
	line := prefix + strings.Repeat("y", maxVerifyLine-len(prefix)-len(suffix)) + suffix
	code, stdout, stderr := runVerify(t, line+"\r\n")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	lines := decodeOut(t, stdout)
	if len(lines) != 1 || lines[0].Correct == nil || !*lines[0].Correct {
		t.Fatalf("output %.300q, want one correct verdict", stdout)
	}
}

func TestVerifyCLIInputForms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		input string
		ids   []string
	}{
		{"no final line break", `{"id": 1, "gold": "5", "answer": "5"}` + "\n" + `{"id": 2, "gold": "5", "answer": "5"}`, []string{"1", "2"}},
		{"crlf", `{"id": 1, "gold": "5", "answer": "5"}` + "\r\n" + `{"id": 2, "gold": "5", "answer": "5"}` + "\r\n", []string{"1", "2"}},
		{"byte order mark", "\ufeff" + `{"id": 1, "gold": "5", "answer": "5"}` + "\n", []string{"1"}},
		{"empty input", "", nil},
		{"trailing empty line", `{"id": 1, "gold": "5", "answer": "5"}` + "\n\n", []string{"1", "null"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runVerify(t, tc.input)
			if code != exitOK {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			lines := decodeOut(t, stdout)
			if len(lines) != len(tc.ids) {
				t.Fatalf("%d output lines, want %d: %q", len(lines), len(tc.ids), stdout)
			}
			for i, l := range lines {
				if string(l.ID) != tc.ids[i] {
					t.Errorf("line %d id %s, want %s", i+1, l.ID, tc.ids[i])
				}
				if tc.ids[i] != "null" && (l.Correct == nil || !*l.Correct) {
					t.Errorf("line %d = %+v, want correct", i+1, l)
				}
			}
		})
	}
}

func TestVerifyCLIFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.jsonl"), filepath.Join(dir, "out.jsonl")
	if err := os.WriteFile(in, []byte(`{"id": 1, "gold": "5", "response": "Answer: 5"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runVerify(t, "", "--in", in, "--out", out)
	if code != exitOK || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if lines := decodeOut(t, string(b)); len(lines) != 1 || !*lines[0].Correct {
		t.Fatalf("output file %q, want one correct verdict", b)
	}
	if !strings.Contains(stderr, `"lines":1`) {
		t.Errorf("stderr %q, want the summary log with lines=1", stderr)
	}
}

func TestVerifyCLIErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name    string
		args    []string
		code    int
		wantErr string
	}{
		{"negative workers", []string{"--workers=-1"}, exitUsage, "--workers=-1"},
		{"negative timeout", []string{"--timeout=-1s"}, exitUsage, "--timeout=-1s"},
		{"bad timeout", []string{"--timeout", "soon"}, exitUsage, "--timeout"},
		{"missing input file", []string{"--in", filepath.Join(dir, "nope.jsonl")}, exitFailure, "open input"},
		{"output in a missing directory", []string{"--out", filepath.Join(dir, "no", "out.jsonl")}, exitFailure, "create output"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, _, stderr := runVerify(t, "", tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.wantErr) {
				t.Errorf("bigmath verify %v: exit %d stderr %q, want exit %d and %q", tc.args, code, stderr, tc.code, tc.wantErr)
			}
		})
	}
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, io.ErrClosedPipe }

func TestVerifyCLIWriteError(t *testing.T) {
	t.Parallel()
	var in strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&in, "{\"id\": %d, \"gold\": \"5\", \"answer\": \"5\"}\n", i)
	}
	var errb bytes.Buffer
	code := run(context.Background(), []string{"verify", "--workers", "4"}, func(string) string { return "" },
		strings.NewReader(in.String()), failWriter{}, &errb)
	if code != exitFailure || !strings.Contains(errb.String(), "write output") {
		t.Errorf("exit %d stderr %q, want exit %d and a write error", code, errb.String(), exitFailure)
	}
}

func TestVerifyCLICanceled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	code := run(ctx, []string{"verify"}, func(string) string { return "" },
		strings.NewReader(`{"id": 1, "gold": "5", "answer": "5"}`+"\n"), &out, &errb)
	if code != exitFailure || !strings.Contains(errb.String(), "context canceled") {
		t.Errorf("exit %d stderr %q, want exit %d and the cancellation", code, errb.String(), exitFailure)
	}
}

// verifyCorpus builds n input lines by cycling through realistic rows: the
// conformance pairs of ../shared/conformance when present (graded as answers, or as responses
// when the prediction is a response), the response samples of
// verify/testdata/extract, and, when BIGMATH_SHARED_DATASETS names the shared
// datasets folder, GSM8K and MATH solutions graded as responses against their
// own final answers.
func verifyCorpus(tb testing.TB, n int) []byte {
	tb.Helper()
	type row struct{ gold, response, answer string }
	var rows []row
	var conf []string // the shared conformance files, when ../shared is here
	if root := sharedtest.Root(); root != "" {
		var err error
		if conf, err = filepath.Glob(filepath.Join(root, "conformance", "*_cases.jsonl")); err != nil {
			tb.Fatal(err)
		}
	}
	for _, f := range conf {
		testutil.EachJSONLine(tb, f, func(_ int, b []byte) {
			var c struct{ Gold, Pred string }
			if err := json.Unmarshal(b, &c); err != nil {
				tb.Fatalf("%s: %v", f, err)
			}
			if len(c.Pred) > 200 {
				rows = append(rows, row{gold: c.Gold, response: c.Pred})
			} else {
				rows = append(rows, row{gold: c.Gold, answer: c.Pred})
			}
		})
	}
	for _, sm := range testutil.ExtractSamples(tb, filepath.Join("..", "..", "verify", "testdata", "extract")) {
		gold := strings.TrimSpace(sm.Want)
		if gold == "!no_answer" {
			gold = "5"
		}
		rows = append(rows, row{gold: gold, response: sm.Response})
	}
	if dir := os.Getenv("BIGMATH_SHARED_DATASETS"); dir != "" {
		testutil.EachJSONLine(tb, filepath.Join(dir, "gsm8k", "test.jsonl"), func(_ int, b []byte) {
			var r struct{ Answer string }
			if err := json.Unmarshal(b, &r); err != nil {
				tb.Fatal(err)
			}
			gold := strings.TrimSpace(r.Answer[strings.LastIndex(r.Answer, "####")+4:])
			rows = append(rows, row{gold: gold, response: r.Answer})
		})
		testutil.EachJSONLine(tb, filepath.Join(dir, "math500", "test.jsonl"), func(_ int, b []byte) {
			var r struct{ Solution, Answer string }
			if err := json.Unmarshal(b, &r); err != nil {
				tb.Fatal(err)
			}
			rows = append(rows, row{gold: r.Answer, response: r.Solution})
		})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for i := range n {
		r := rows[i%len(rows)]
		line := map[string]any{"id": i, "gold": r.gold}
		if r.answer != "" || r.response == "" {
			line["answer"] = r.answer
		} else {
			line["response"] = r.response
		}
		if err := enc.Encode(line); err != nil {
			tb.Fatal(err)
		}
	}
	return buf.Bytes()
}

// TestVerifyCLICorpus runs the realistic corpus once: every line gets a
// verdict (no error line) and no check ends in a recovered panic.
func TestVerifyCLICorpus(t *testing.T) {
	t.Parallel()
	input := verifyCorpus(t, 3000)
	code, stdout, stderr := runVerify(t, string(input))
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	lines := decodeOut(t, stdout)
	if len(lines) != 3000 {
		t.Fatalf("%d output lines, want 3000", len(lines))
	}
	for i, l := range lines {
		if l.Error != nil || l.Reason == nil || *l.Reason == string(verify.ReasonInternalError) || string(l.ID) != fmt.Sprint(i) {
			t.Fatalf("line %d: %+v", i+1, l)
		}
	}
}

// TestWriteVerifyCorpus writes the corpus to the file named by
// BIGMATH_VERIFY_CORPUS, for timing the real binary:
//
//	BIGMATH_VERIFY_CORPUS=/tmp/verify.jsonl BIGMATH_VERIFY_CORPUS_LINES=100000 \
//	BIGMATH_SHARED_DATASETS=/work/shared/datasets go test -run TestWriteVerifyCorpus ./cmd/bigmath/
//	time bin/bigmath verify --in /tmp/verify.jsonl --out /dev/null
func TestWriteVerifyCorpus(t *testing.T) {
	path := os.Getenv("BIGMATH_VERIFY_CORPUS")
	if path == "" {
		t.Skip("set BIGMATH_VERIFY_CORPUS to a file name to write the verify corpus")
	}
	n := 100000
	if s := os.Getenv("BIGMATH_VERIFY_CORPUS_LINES"); s != "" {
		if _, err := fmt.Sscan(s, &n); err != nil {
			t.Fatalf("BIGMATH_VERIFY_CORPUS_LINES=%q: %v", s, err)
		}
	}
	if err := os.WriteFile(path, verifyCorpus(t, n), 0o644); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkVerifyCLI runs `bigmath verify` in-process over 100,000 realistic
// lines per iteration, with every core.
func BenchmarkVerifyCLI(b *testing.B) {
	const n = 100000
	path := filepath.Join(b.TempDir(), "in.jsonl")
	input := verifyCorpus(b, n)
	if err := os.WriteFile(path, input, 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(input)))
	b.ReportMetric(float64(runtime.GOMAXPROCS(0)), "cores")
	for b.Loop() {
		var errb bytes.Buffer
		code := run(context.Background(), []string{"verify", "--in", path, "--out", os.DevNull},
			func(string) string { return "" }, strings.NewReader(""), io.Discard, &errb)
		if code != exitOK {
			b.Fatalf("exit %d: %s", code, errb.String())
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

// FuzzVerifyLine checks that any input line yields exactly one JSON output
// line: a verdict with a reason, or an error naming the line number.
func FuzzVerifyLine(f *testing.F) {
	for _, s := range []string{
		`{"id": 1, "gold": "5", "response": "\\boxed{5}"}`,
		`{"id": "x", "gold": 42, "answer": "42"}`,
		`{"id": 77, "gold": "5", "response": "\\box`,
		`[1, 2]`, ``, `null`, `{"gold": {"a": 1}}`, `{"id": [1, {"b": null}], "gold": "\\frac{1}{2}", "answer": "0.5"}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		j := &lineJob{n: 3, data: []byte(s)}
		out, correct, failed := verifyLine(context.Background(), j, verify.Options{}, maxVerifyLine)
		if len(out) == 0 || out[len(out)-1] != '\n' || bytes.Count(out, []byte("\n")) != 1 {
			t.Fatalf("verifyLine(%q) = %q: want one line", s, out)
		}
		var l outLine
		if err := json.Unmarshal(out, &l); err != nil {
			t.Fatalf("verifyLine(%q) = %q: %v", s, out, err)
		}
		switch {
		case failed:
			if l.Error == nil || l.Line == nil || *l.Line != 3 || !strings.HasPrefix(*l.Error, "line 3: ") || correct {
				t.Fatalf("verifyLine(%q) = %q: want an error line for line 3", s, out)
			}
		default:
			if l.Reason == nil || l.Error != nil || l.Correct == nil || *l.Correct != correct {
				t.Fatalf("verifyLine(%q) = %q: want a verdict", s, out)
			}
		}
	})
}

// FuzzUnquoteValid: wherever unquoteValid decodes a valid JSON string, it
// agrees with encoding/json.
func FuzzUnquoteValid(f *testing.F) {
	for _, s := range []string{`""`, `"a"`, `"\\boxed{3}"`, `"x\ny\t\"q\"\/"`, `"\u00e9"`, `"é"`, "\"\xff\"", `"\\"`, `"a\\b\\"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) || len(raw) == 0 || raw[0] != '"' {
			return
		}
		got, ok := unquoteValid(raw)
		if !ok {
			return
		}
		var want string
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatalf("json.Unmarshal(%q): %v", raw, err)
		}
		if got != want {
			t.Fatalf("unquoteValid(%q) = %q, encoding/json says %q", raw, got, want)
		}
	})
}
