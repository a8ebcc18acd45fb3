package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"

	"github.com/bigmath/bigmath/ingest"
	"github.com/bigmath/bigmath/normalize"
	"github.com/bigmath/bigmath/verify"
)

// classCmd is `bigmath classify`: it classifies JSON Lines of problems offline: keep, or the reason
// a problem is not a single-answer, machine-checkable problem.
type classCmd struct {
	lineFiles `embed:""`
}

// Help implements kong.HelpProvider: the lines read and written.
func (c *classCmd) Help() string {
	return `Each input line is {"id", "problem", "answer"?, "solution"?}. Without "answer", the gold is taken from "solution" as ingest takes it (its boxed answer, all boxes when the problem asks for all, or its "####" line); a null answer is no answer.

Each output line is {"id", "keep", "reason", "evidence"}, with "reformulated": {"problem", "answer"} for a multiple-choice problem recovered as an open-ended one.`
}

// maxJSONLLine caps one input line of classify and dedup; a longer line
// yields an error line.
const maxJSONLLine = 8 << 20

// classifyInput is one input line; fields stay raw so that their types can be
// checked with a message naming the field.
type classifyInput struct {
	ID       json.RawMessage `json:"id"`
	Problem  json.RawMessage `json:"problem"`
	Answer   json.RawMessage `json:"answer"`
	Solution json.RawMessage `json:"solution"`
}

// classifyOutput is one output line. Field names are a contract: add, never
// rename.
type classifyOutput struct {
	ID       json.RawMessage  `json:"id"`
	Keep     bool             `json:"keep"`
	Reason   normalize.Reason `json:"reason"`
	Evidence string           `json:"evidence,omitempty"`
	// Reformulated is set only for a multiple-choice problem that
	// normalize.Reformulate recovers as an open-ended one.
	Reformulated *reformulatedJSON `json:"reformulated,omitempty"`
}

// reformulatedJSON is the open-ended problem derived from a multiple-choice
// one: the stem without its options and the keyed option's value.
type reformulatedJSON struct {
	Problem string `json:"problem"`
	Answer  string `json:"answer"`
}

// Run reads the input, classifies each line and writes one output line per
// input line, in order. A malformed line yields an output line with "line"
// and "error" and processing goes on; only I/O errors and cancellation stop
// the command.
func (c *classCmd) Run(e *env) error {
	n, bad, err := jsonlFilter(e, c.In, c.Out, runtime.GOMAXPROCS(0), classifyLine)
	if err != nil {
		return err
	}
	e.logger.Info("classify finished", "lines", n, "error_lines", bad)
	return nil
}

// classifyLine turns one input line into its output line.
func classifyLine(n int, data []byte) (out []byte, failed bool) {
	var in classifyInput
	if msg := jsonlDecode(data, &in); msg != "" {
		return jsonlFail(recoverID(data), n, "%s", msg), true
	}
	problem, err := textField(in.Problem, "problem", false)
	if err != nil {
		return jsonlFail(in.ID, n, "%v", err), true
	}
	if isNull(in.Problem) {
		return jsonlFail(in.ID, n, `missing "problem"`), true
	}
	solution, err := textField(in.Solution, "solution", false)
	if err != nil {
		return jsonlFail(in.ID, n, "%v", err), true
	}
	answer, err := textField(in.Answer, "answer", true)
	if err != nil {
		return jsonlFail(in.ID, n, "%v", err), true
	}
	hasAnswer, unclear := !isNull(in.Answer), false
	if in.Answer == nil && solution != "" { // field absent: take it from the solution, as ingest does
		a, st := verify.GoldFromSolution(context.Background(), problem, solution)
		answer, hasAnswer, unclear = a, st == verify.GoldFound, st == verify.GoldUnclear
	}
	v := normalize.Classify(normalize.ClassifyInput{
		Problem:   problem,
		Answer:    answer,
		Solution:  normalize.StripCalculatorNotes(solution),
		HasAnswer: hasAnswer,
	})
	if v.Reason == normalize.NoAnswer && unclear {
		// Several different boxed answers, and the problem does not ask
		// for all of them: no one gold can be chosen.
		v = normalize.Verdict{Reason: ingest.ReasonUnclearAnswer, Evidence: "the solution boxes several different answers"}
	}
	id := in.ID
	if id == nil {
		id = json.RawMessage("null")
	}
	out = encodeLine(classifyOutput{ID: id, Keep: v.Keep(), Reason: v.Reason, Evidence: v.Evidence, Reformulated: reformulated(v, problem, answer)})
	return out, false
}

// reformulated returns the recovered open-ended problem of a problem
// classified multiple_choice, or nil.
func reformulated(v normalize.Verdict, problem, answer string) *reformulatedJSON {
	if v.Reason != normalize.MultipleChoice {
		return nil
	}
	r := normalize.Reformulate(problem, answer)
	if !r.Recovered() {
		return nil
	}
	return &reformulatedJSON{Problem: r.Problem, Answer: r.Answer}
}

// jsonlFilter streams in (a path or "-" for stdin) line by line through f,
// on workers goroutines (jsonlStream; one worker calls f in input order),
// and writes each result to out (a path or "-" for stdout), in order. It returns
// the number of lines and of error lines, and the first I/O error or the
// context's error.
func jsonlFilter(e *env, inPath, outPath string, workers int, f func(n int, line []byte) ([]byte, bool)) (lines, bad int, err error) {
	in := e.stdin
	if inPath != "-" {
		fh, err := os.Open(inPath)
		if err != nil {
			return 0, 0, fmt.Errorf("open input: %w", err)
		}
		defer fh.Close()
		in = fh
	}
	out := e.stdout
	var outFile *os.File
	if outPath != "-" {
		fh, err := os.Create(outPath)
		if err != nil {
			return 0, 0, fmt.Errorf("create output: %w", err)
		}
		defer fh.Close()
		out, outFile = fh, fh
	}
	st, err := jsonlStream(e.ctx, in, out, streamConfig{workers: workers, maxLine: maxJSONLLine, window: 4 * max(workers, 1), maxInFlight: 64 << 20},
		func(_ context.Context, j *lineJob) lineOut {
			switch {
			case j.tooLong:
				return lineOut{out: jsonlFail(nil, j.n, "line longer than %d bytes", maxJSONLLine), failed: true}
			case len(bytes.TrimSpace(j.data)) == 0:
				return lineOut{out: jsonlFail(nil, j.n, "empty line"), failed: true}
			}
			res, failed := f(j.n, j.data)
			return lineOut{out: res, failed: failed}
		})
	if err != nil {
		return st.lines, st.errors, err
	}
	if outFile != nil {
		if err := outFile.Close(); err != nil {
			return st.lines, st.errors, fmt.Errorf("close output: %w", err)
		}
	}
	return st.lines, st.errors, nil
}

// jsonlDecode unmarshals one JSON object and returns a readable message on
// failure ("" on success).
func jsonlDecode(data []byte, v any) string {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		return "not a JSON object"
	}
	if err := json.Unmarshal(data, v); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return fmt.Sprintf("invalid JSON at byte %d: %v", se.Offset, se)
		case errors.As(err, &te):
			return fmt.Sprintf("field %q: %v", te.Field, te)
		}
		return "invalid JSON: " + err.Error()
	}
	return ""
}

// jsonlFail builds the error output line of input line n.
func jsonlFail(id json.RawMessage, n int, format string, args ...any) []byte {
	if id == nil {
		id = json.RawMessage("null")
	}
	return encodeLine(verifyErrorOutput{ID: id, Line: n, Error: fmt.Sprintf("line %d: ", n) + fmt.Sprintf(format, args...)})
}
