package audit

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// ProblemLabels is the vocabulary of testdata/problems.tsv: keep, or the
// reason a problem is dropped. The names follow normalize.Reason where one
// fits; hint_appended is new (see testdata/README.md).
var ProblemLabels = []string{
	"keep", "multiple_choice", "yes_no", "true_false", "proof", "multi_part",
	"needs_figure", "no_answer", "non_english", "hyperlink", "open_ended_text",
	"hint_appended",
}

// PairLabels is the vocabulary of testdata/pairs.tsv.
var PairLabels = []string{"dup", "distinct"}

// MCLabels is the vocabulary of the multiple-choice files.
var MCLabels = []string{"recoverable", "not_recoverable"}

// MCReasons are the reasons a multiple-choice row is not recoverable.
var MCReasons = []string{
	"stem_needs_options", "all_none_of_above", "multi_select",
	"key_matches_no_option", "options_are_statements", "question_changes",
	"option_not_a_value", "stem_broken",
}

// GoldChecks is the vocabulary of the gold column of problems.tsv: the
// source's gold answer (as read by Load) is ok, missing or wrong.
var GoldChecks = []string{"ok", "missing", "wrong"}

// ProblemLabel is one row of testdata/problems.tsv.
type ProblemLabel struct {
	Line  int
	Ref   Ref
	Label string
	Gold  string
	Note  string
}

// PairLabel is one row of testdata/pairs.tsv.
type PairLabel struct {
	Line  int
	A, B  Ref
	Label string
	// Hard marks a distinct pair whose texts differ in at most two small
	// edits (one word, number, operator or name): a hard negative.
	Hard bool
	Note string
}

// MCLabel is one row of testdata/mc.tsv.
type MCLabel struct {
	Line     int
	Ref      Ref
	Label    string
	Expected string // the gold value when recoverable
	Reason   string // why not, when not recoverable
	Note     string
}

// MCWritten is one line of testdata/mc_written.jsonl: a multiple-choice
// problem written for this audit set (not taken from anywhere).
type MCWritten struct {
	ID             string `json:"id"`
	Problem        string `json:"problem"`
	Answer         string `json:"answer"`
	Label          string `json:"label"`
	ExpectedAnswer string `json:"expected_answer"`
	Reason         string `json:"reason"`
	Layout         string `json:"layout"`
}

// readTSV reads a tab-separated file with a header line and want columns.
func readTSV(path string, header []string) ([][]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read labels: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 1<<16), 1<<20)
	var rows [][]string
	line := 0
	for sc.Scan() {
		line++
		f := strings.Split(sc.Text(), "\t")
		if line == 1 {
			if strings.Join(f, "\t") != strings.Join(header, "\t") {
				return nil, fmt.Errorf("%s line 1: header %q, want %q", path, f, header)
			}
			continue
		}
		if len(f) != len(header) {
			return nil, fmt.Errorf("%s line %d: %d columns, want %d", path, line, len(f), len(header))
		}
		rows = append(rows, append([]string{fmt.Sprint(line)}, f...))
	}
	return rows, sc.Err()
}

func in(v string, set []string) bool {
	for _, s := range set {
		if s == v {
			return true
		}
	}
	return false
}

func checkFile(line int, f string) error {
	if _, ok := LookupFile(f); !ok {
		return fmt.Errorf("line %d: unknown source file %q", line, f)
	}
	return nil
}

// ReadProblemLabels reads testdata/problems.tsv and checks its vocabulary.
func ReadProblemLabels(path string) ([]ProblemLabel, error) {
	rows, err := readTSV(path, []string{"file", "id", "label", "gold", "note"})
	if err != nil {
		return nil, err
	}
	out := make([]ProblemLabel, 0, len(rows))
	for _, r := range rows {
		var l ProblemLabel
		fmt.Sscan(r[0], &l.Line)
		l.Ref, l.Label, l.Gold, l.Note = Ref{r[1], r[2]}, r[3], r[4], r[5]
		if !in(l.Gold, GoldChecks) {
			return nil, fmt.Errorf("%s line %d: unknown gold check %q", path, l.Line, l.Gold)
		}
		if err := checkFile(l.Line, l.Ref.File); err != nil {
			return nil, err
		}
		if !in(l.Label, ProblemLabels) {
			return nil, fmt.Errorf("%s line %d: unknown label %q", path, l.Line, l.Label)
		}
		out = append(out, l)
	}
	return out, nil
}

// ReadPairLabels reads testdata/pairs.tsv and checks its vocabulary.
func ReadPairLabels(path string) ([]PairLabel, error) {
	rows, err := readTSV(path, []string{"file_a", "id_a", "file_b", "id_b", "label", "hard", "note"})
	if err != nil {
		return nil, err
	}
	out := make([]PairLabel, 0, len(rows))
	for _, r := range rows {
		var l PairLabel
		fmt.Sscan(r[0], &l.Line)
		l.A, l.B, l.Label, l.Note = Ref{r[1], r[2]}, Ref{r[3], r[4]}, r[5], r[7]
		switch r[6] {
		case "yes":
			l.Hard = true
		case "no":
		default:
			return nil, fmt.Errorf("%s line %d: hard is %q, want yes or no", path, l.Line, r[6])
		}
		if l.Hard && r[5] != "distinct" {
			return nil, fmt.Errorf("%s line %d: only a distinct pair is a hard negative", path, l.Line)
		}
		for _, f := range []string{l.A.File, l.B.File} {
			if err := checkFile(l.Line, f); err != nil {
				return nil, err
			}
		}
		if !in(l.Label, PairLabels) {
			return nil, fmt.Errorf("%s line %d: unknown label %q", path, l.Line, l.Label)
		}
		out = append(out, l)
	}
	return out, nil
}

// ReadMCLabels reads testdata/mc.tsv and checks its vocabulary: a
// recoverable row has an expected answer and no reason, a not recoverable
// row a reason and no expected answer.
func ReadMCLabels(path string) ([]MCLabel, error) {
	rows, err := readTSV(path, []string{"file", "id", "label", "expected_answer", "reason", "note"})
	if err != nil {
		return nil, err
	}
	out := make([]MCLabel, 0, len(rows))
	for _, r := range rows {
		var l MCLabel
		fmt.Sscan(r[0], &l.Line)
		l.Ref, l.Label, l.Expected, l.Reason, l.Note = Ref{r[1], r[2]}, r[3], r[4], r[5], r[6]
		if err := checkFile(l.Line, l.Ref.File); err != nil {
			return nil, err
		}
		if err := checkMC(l.Label, l.Expected, l.Reason); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, l.Line, err)
		}
		out = append(out, l)
	}
	return out, nil
}

func checkMC(label, expected, reason string) error {
	switch label {
	case "recoverable":
		if expected == "" || reason != "" {
			return fmt.Errorf("recoverable wants an expected answer and no reason")
		}
	case "not_recoverable":
		if expected != "" || !in(reason, MCReasons) {
			return fmt.Errorf("not_recoverable wants a known reason (have %q) and no expected answer", reason)
		}
	default:
		return fmt.Errorf("unknown label %q", label)
	}
	return nil
}

// ReadMCWritten reads testdata/mc_written.jsonl and checks each line.
func ReadMCWritten(path string) ([]MCWritten, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read written problems: %w", err)
	}
	var out []MCWritten
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 1<<16), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		var w MCWritten
		if err := dec.Decode(&w); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, line, err)
		}
		if w.ID == "" || w.Problem == "" || w.Answer == "" {
			return nil, fmt.Errorf("%s line %d: id, problem and answer are required", path, line)
		}
		if err := checkMC(w.Label, w.ExpectedAnswer, w.Reason); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, line, err)
		}
		out = append(out, w)
	}
	return out, sc.Err()
}
