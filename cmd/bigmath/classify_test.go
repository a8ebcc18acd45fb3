package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runOffline runs `bigmath <cmd> args...` in-process on the given input.
func runOffline(t testing.TB, input string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	getenv := func(string) string { return "" }
	code = run(context.Background(), args, getenv, strings.NewReader(input), &out, &errb)
	return code, out.String(), errb.String()
}

// offlineLine is an output line of classify or dedup, every field optional.
type offlineLine struct {
	ID          json.RawMessage `json:"id"`
	Keep        *bool           `json:"keep"`
	Reason      *string         `json:"reason"`
	Evidence    string          `json:"evidence"`
	Cluster     json.RawMessage `json:"cluster"`
	DuplicateOf json.RawMessage `json:"duplicate_of"`
	Similarity  *float64        `json:"similarity"`
	Exact       *bool           `json:"exact"`
	Edits       []string        `json:"edits"`
	// Reformulated is classify's recovered multiple-choice problem.
	Reformulated *struct {
		Problem string `json:"problem"`
		Answer  string `json:"answer"`
	} `json:"reformulated"`
	Line  *int    `json:"line"`
	Error *string `json:"error"`
}

func decodeOffline(t testing.TB, stdout string) []offlineLine {
	t.Helper()
	return decodeLines[offlineLine](t, stdout, false)
}

// checkOfflineLines decodes the output of classify or dedup, checks that it
// has one line a wanted line, in order, with the wanted id, and calls check
// with each line's index, what is wanted of it and what it says.
func checkOfflineLines[W any](t *testing.T, stdout string, want []W, id func(W) string, check func(i int, w W, g offlineLine)) {
	t.Helper()
	got := decodeOffline(t, stdout)
	if len(got) != len(want) {
		t.Fatalf("%d output lines for %d input lines:\n%s", len(got), len(want), stdout)
	}
	for i, w := range want {
		if string(got[i].ID) != id(w) {
			t.Errorf("line %d: id %s, want %s", i+1, got[i].ID, id(w))
		}
		check(i, w, got[i])
	}
}

// decodeLines decodes every line of a command's JSONL output as a T; strict
// also fails on a field T does not have.
func decodeLines[T any](t testing.TB, stdout string, strict bool) []T {
	t.Helper()
	var lines []T
	sc := bufio.NewScanner(strings.NewReader(stdout))
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var l T
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		if strict {
			dec.DisallowUnknownFields()
		}
		if err := dec.Decode(&l); err != nil {
			t.Fatalf("output line %q: %v", sc.Text(), err)
		}
		lines = append(lines, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

func TestClassifyCLI(t *testing.T) {
	input := strings.Join([]string{
		`{"id": 1, "problem": "Prove that there are infinitely many primes."}`,
		`{"id": "b", "problem": "What is $3+5$?", "answer": "8"}`,
		`{"id": 3, "problem": "Which is prime? (A) 4 (B) 6 (C) 7 (D) 9", "answer": "C"}`,
		`not json`,
		`{"id": 5, "problem": "What is $1+1$?", "answer": null}`,
		`{"id": 6, "problem": "Natalia sold 48 clips. How many?", "solution": "48/2 = <<48/2=24>>24\n#### 72"}`,
		`{"id": 7, "problem": 12}`,
		``,
		`{"id": 9, "answer": "3"}`,
		`{"id": 10, "problem": "Find $x$ if $2x=10$.", "answer": 5}`,
		`{"id": 11, "problem": "Is 91 prime?", "solution": "No: 91 = 7*13, so \\boxed{\\text{No}}"}`,
		`[1, 2]`,
		`{"id": 13, "problem": "(1) Find $f(2)$; (2) find the minimum of $f$.", "answer": "4"}`,
	}, "\n")
	code, stdout, stderr := runOffline(t, input, "classify")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	type wantLine struct {
		id     string
		reason string // "" for an error line
	}
	want := []wantLine{
		{"1", "proof"}, {`"b"`, "keep"}, {"3", "multiple_choice"}, {"null", ""}, {"5", "no_answer"},
		{"6", "keep"}, {"7", ""}, {"null", ""}, {"9", ""}, {"10", "keep"}, {"11", "yes_no"}, {"null", ""},
		{"13", "multi_part"},
	}
	checkOfflineLines(t, stdout, want, func(w wantLine) string { return w.id }, func(i int, w wantLine, g offlineLine) {
		if w.reason == "" {
			if g.Error == nil || g.Line == nil || *g.Line != i+1 || !strings.Contains(*g.Error, "line "+itoa(i+1)) {
				t.Errorf("line %d: want an error line naming line %d, got %+v", i+1, i+1, g)
			}
			return
		}
		if g.Reason == nil || *g.Reason != w.reason || g.Keep == nil || *g.Keep != (w.reason == "keep") {
			t.Errorf("line %d: %s, want reason %s", i+1, lineOf(stdout, i), w.reason)
		}
		if w.reason != "keep" && g.Evidence == "" {
			t.Errorf("line %d: no evidence for %s", i+1, w.reason)
		}
	})
	if strings.Contains(stderr, "panic") {
		t.Errorf("stderr: %s", stderr)
	}
}

// TestClassifyCLIReformulated checks that classify prints "reformulated"
// for a multiple-choice problem it recovers, and only then.
func TestClassifyCLIReformulated(t *testing.T) {
	input := strings.Join([]string{
		`{"id": 1, "problem": "Which of the following is equal to $\\frac12+\\frac13$? (A) $\\frac25$ (B) $\\frac56$ (C) $1$ (D) $\\frac16$", "answer": "B"}`,
		`{"id": 2, "problem": "The value of $\\log_2 8$ is ( ) A: $2$ B: $3$ C: $4$ D: $8$", "answer": "3"}`,
		`{"id": 3, "problem": "Which of the following is prime? (A) 4 (B) 6 (C) 7 (D) 9", "answer": "C"}`,
		`{"id": 4, "problem": "Find the roots.\nA. 1\nB. 2\nC. 3\nD. 6", "answer": "BC"}`,
		`{"id": 5, "problem": "What is $3+5$?", "answer": "8"}`,
		`{"id": 6, "problem": "$9^2=$ (A) 18 (B) 72 (C) 81 (D) 99", "answer": "E"}`,
	}, "\n")
	code, stdout, stderr := runOffline(t, input, "classify")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	got := decodeOffline(t, stdout)
	want := []struct{ problem, answer string }{
		{`What is $\frac12+\frac13$?`, `\frac56`}, {`The value of $\log_2 8$ is`, "3"}, {}, {}, {}, {},
	}
	if len(got) != len(want) {
		t.Fatalf("%d output lines, want %d:\n%s", len(got), len(want), stdout)
	}
	for i, w := range want {
		r := got[i].Reformulated
		switch {
		case w.problem == "" && r != nil:
			t.Errorf("line %d: reformulated %+v, want none", i+1, *r)
		case w.problem != "" && r == nil:
			t.Errorf("line %d: not reformulated: %s", i+1, lineOf(stdout, i))
		case w.problem != "" && (r.Problem != w.problem || r.Answer != w.answer):
			t.Errorf("line %d: reformulated %+v, want %+v", i+1, *r, w)
		}
	}
	if strings.Contains(lineOf(stdout, 4), "reformulated") {
		t.Errorf("a kept problem has a reformulated field: %s", lineOf(stdout, 4))
	}
}

func TestClassifyCLIFilesAndErrors(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	out := filepath.Join(dir, "out.jsonl")
	if err := os.WriteFile(in, []byte(`{"id":1,"problem":"What is 2+2?","answer":"4"}`+"\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runOffline(t, "", "classify", "--in", in, "--out", out)
	if code != exitOK || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := decodeOffline(t, string(b)); len(got) != 1 || got[0].Reason == nil || *got[0].Reason != "keep" {
		t.Errorf("output file %q", b)
	}
	code, _, stderr = runOffline(t, "", "classify", "--in", filepath.Join(dir, "missing.jsonl"))
	if code != exitFailure || strings.Count(strings.TrimSpace(stderr), "\n") > 1 || !strings.Contains(stderr, "missing.jsonl") {
		t.Errorf("missing input: exit %d, stderr %q", code, stderr)
	}
}

func TestClassifyCLIHugeLine(t *testing.T) {
	huge := `{"id":1,"problem":"` + strings.Repeat("x", maxJSONLLine+10) + `"}`
	input := huge + "\n" + `{"id":2,"problem":"What is 2+2?","answer":"4"}`
	code, stdout, _ := runOffline(t, input, "classify")
	got := decodeOffline(t, stdout)
	if code != exitOK || len(got) != 2 || got[0].Error == nil || !strings.Contains(*got[0].Error, "longer than") ||
		got[1].Reason == nil || *got[1].Reason != "keep" {
		t.Errorf("exit %d, output %.300s", code, stdout)
	}
}

func TestClassifyCLICanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	code := run(ctx, []string{"classify"}, func(string) string { return "" },
		strings.NewReader(`{"id":1,"problem":"x"}`), &out, &errb)
	if code != exitFailure || !strings.Contains(errb.String(), "canceled") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func lineOf(s string, i int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if i < len(lines) {
		return lines[i]
	}
	return ""
}
