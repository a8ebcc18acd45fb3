package audit

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
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

// readTSV reads a tab-separated file with a header line and want columns,
// and returns its rows, each parsed by parse with its line number; an error
// names the file and the line.
func readTSV[T any](path string, header []string, parse func(line int, f []string) (T, error)) ([]T, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read labels: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 1<<16), 1<<20)
	var out []T
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
		v, err := parse(line, f)
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %w", path, line, err)
		}
		out = append(out, v)
	}
	return out, sc.Err()
}

// checkRow checks a row's source files and that its label is one of labels.
func checkRow(label string, labels []string, files ...string) error {
	for _, f := range files {
		if _, ok := LookupFile(f); !ok {
			return fmt.Errorf("unknown source file %q", f)
		}
	}
	if !slices.Contains(labels, label) {
		return fmt.Errorf("unknown label %q", label)
	}
	return nil
}

// ReadProblemLabels reads testdata/problems.tsv and checks its vocabulary.
func ReadProblemLabels(path string) ([]ProblemLabel, error) {
	return readTSV(path, []string{"file", "id", "label", "gold", "note"}, func(line int, r []string) (ProblemLabel, error) {
		l := ProblemLabel{Line: line, Ref: Ref{r[0], r[1]}, Label: r[2], Gold: r[3], Note: r[4]}
		if !slices.Contains(GoldChecks, l.Gold) {
			return l, fmt.Errorf("unknown gold check %q", l.Gold)
		}
		return l, checkRow(l.Label, ProblemLabels, l.Ref.File)
	})
}

// ReadPairLabels reads testdata/pairs.tsv and checks its vocabulary.
func ReadPairLabels(path string) ([]PairLabel, error) {
	return readTSV(path, []string{"file_a", "id_a", "file_b", "id_b", "label", "hard", "note"}, func(line int, r []string) (PairLabel, error) {
		l := PairLabel{Line: line, A: Ref{r[0], r[1]}, B: Ref{r[2], r[3]}, Label: r[4], Note: r[6]}
		switch r[5] {
		case "yes":
			l.Hard = true
		case "no":
		default:
			return l, fmt.Errorf("hard is %q, want yes or no", r[5])
		}
		if l.Hard && l.Label != "distinct" {
			return l, fmt.Errorf("only a distinct pair is a hard negative")
		}
		return l, checkRow(l.Label, PairLabels, l.A.File, l.B.File)
	})
}

// ReadMCLabels reads testdata/mc.tsv and checks its vocabulary: a
// recoverable row has an expected answer and no reason, a not recoverable
// row a reason and no expected answer.
func ReadMCLabels(path string) ([]MCLabel, error) {
	return readTSV(path, []string{"file", "id", "label", "expected_answer", "reason", "note"}, func(line int, r []string) (MCLabel, error) {
		l := MCLabel{Line: line, Ref: Ref{r[0], r[1]}, Label: r[2], Expected: r[3], Reason: r[4], Note: r[5]}
		if err := checkRow(l.Label, MCLabels, l.Ref.File); err != nil {
			return l, err
		}
		return l, checkMC(l.Label, l.Expected, l.Reason)
	})
}

func checkMC(label, expected, reason string) error {
	switch label {
	case "recoverable":
		if expected == "" || reason != "" {
			return fmt.Errorf("recoverable wants an expected answer and no reason")
		}
	case "not_recoverable":
		if expected != "" || !slices.Contains(MCReasons, reason) {
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
