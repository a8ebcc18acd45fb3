package ingest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bigmath/bigmath"
)

func TestParseSpecs(t *testing.T) {
	const yml = `# a comment
sources:
  - name: gsm8k-train
    role: corpus
    path: data/gsm8k/train.jsonl
    fields: {problem: question, answer: answer, solution: answer, id: null, domain: null, difficulty: null}
    answer_from: gsm8k_hash
    license: MIT
    priority: 50
  - name: dapo
    role: corpus
    hub: BytedTsinghua-SIA/DAPO-Math-17k
    files: data/*.parquet
    fields:
      problem: prompt.0.content
      answer: reward_model.ground_truth
      id: extra_info.index
  - name: harp
    role: corpus
    path: /abs/harp.jsonl.zip
    fields: {problem: problem, answer: null}
`
	got, err := ParseSpecs([]byte(yml), "s.yaml", "/specs")
	if err != nil {
		t.Fatal(err)
	}
	want := []Spec{
		{Name: "gsm8k-train", Role: bigmath.RoleCorpus, Path: "data/gsm8k/train.jsonl",
			Fields:     FieldMap{Problem: "question", Answer: "answer", Solution: "answer"},
			AnswerFrom: AnswerFromGSM8K, License: "MIT", Priority: 50, Dir: "/specs", Line: 3, File: "s.yaml"},
		{Name: "dapo", Role: bigmath.RoleCorpus, Hub: "BytedTsinghua-SIA/DAPO-Math-17k", Revision: "main",
			Files:      []string{"data/*.parquet"},
			Fields:     FieldMap{Problem: "prompt.0.content", Answer: "reward_model.ground_truth", ID: "extra_info.index"},
			AnswerFrom: AnswerFromField, Dir: "/specs", Line: 10, File: "s.yaml"},
		{Name: "harp", Role: bigmath.RoleCorpus, Path: "/abs/harp.jsonl.zip",
			Fields: FieldMap{Problem: "problem"}, AnswerFrom: AnswerFromField, Dir: "/specs", Line: 18, File: "s.yaml"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseSpecs (-want +got):\n%s", diff)
	}
	if p := got[0].LocalPath(); p != "/specs/data/gsm8k/train.jsonl" {
		t.Errorf("LocalPath = %q, want resolved against the spec folder", p)
	}
	if p := got[2].LocalPath(); p != "/abs/harp.jsonl.zip" {
		t.Errorf("LocalPath of an absolute path = %q", p)
	}
	if loc := got[1].Location(); loc != "BytedTsinghua-SIA/DAPO-Math-17k" {
		t.Errorf("Location = %q", loc)
	}
}

func TestParseSpecsErrors(t *testing.T) {
	// Each case is one spec; the error must name the file, line, source and field.
	const head = "sources:\n  - name: s1\n    role: corpus\n" // lines 1-3
	tests := []struct {
		name   string
		yml    string
		line   int
		source string
		field  string
		reason string // substring
	}{
		{"empty file", "", 0, "", "", "empty spec file"},
		{"syntax error", "sources:\n  - name: [\n", 2, "", "", "invalid YAML"},
		{"unclosed quote", "sources:\n  - name: 'x\n    role: corpus\n", 3, "", "", "quoted scalar"},
		{"bad indentation", "sources:\n  - name: x\n role: corpus\n", 3, "", "", "invalid YAML"},
		{"tab indentation", "sources:\n\t- name: x\n", 2, "", "", "cannot start any token"},
		{"top level list", "- name: x\n", 1, "", "", "top level must be a mapping"},
		{"unknown top key", "source:\n  - name: x\n", 1, "", "source", "unknown top-level key"},
		{"sources not a list", "sources: {name: x}\n", 1, "", "sources", "must be a list"},
		{"sources empty", "sources: []\n", 1, "", "sources", "is empty"},
		{"source not a mapping", "sources:\n  - just-a-name\n", 2, "#1", "", "must be a mapping"},
		{"unknown key", head + "    path: a.jsonl\n    feilds: {problem: p, answer: a}\n", 5, "s1", "feilds", "unknown key"},
		{"duplicate key", head + "    path: a.jsonl\n    path: b.jsonl\n", 5, "s1", "path", "given twice"},
		{"missing name", "sources:\n  - role: corpus\n    path: a.jsonl\n", 2, "#1", "name", "required"},
		{"bad name", "sources:\n  - name: 'a b'\n    role: corpus\n", 2, "a b", "name", "letters, digits"},
		{"missing role", "sources:\n  - name: s1\n    path: a.jsonl\n", 2, "s1", "role", "required"},
		{"bad role", "sources:\n  - name: s1\n    role: training\n", 3, "s1", "role", `got "training"`},
		{"neither path nor hub", head + "    fields: {problem: p, answer: a}\n", 2, "s1", "path", "one of path or hub"},
		{"both path and hub", head + "    path: a.jsonl\n    hub: o/n\n    files: [x]\n", 5, "s1", "hub", "not both"},
		{"revision with path", head + "    path: a.jsonl\n    revision: main\n", 5, "s1", "revision", "only for hub"},
		{"files with path", head + "    path: a.jsonl\n    files: [a]\n", 5, "s1", "files", "only for hub"},
		{"unknown extension", head + "    path: a.xlsx\n", 4, "s1", "path", "unknown file type"},
		{"bad hub id", head + "    hub: gsm8k\n    files: [x]\n", 4, "s1", "hub", "owner/name"},
		{"hub without files", head + "    hub: o/n\n", 2, "s1", "files", "required for hub"},
		{"files not strings", head + "    hub: o/n\n    files: {a: b}\n", 5, "s1", "files", "list of glob"},
		{"bad glob", head + "    hub: o/n\n    files: ['a[']\n", 5, "s1", "files", "bad glob"},
		{"priority not int", head + "    path: a.jsonl\n    priority: high\n", 5, "s1", "priority", "integer"},
		{"fields not a mapping", head + "    path: a.jsonl\n    fields: [problem]\n", 5, "s1", "fields", "mapping"},
		{"unknown fields key", head + "    path: a.jsonl\n    fields:\n      problem: q\n      anwser: a\n", 7, "s1", "fields.anwser", "unknown key"},
		{"fields value a list", head + "    path: a.jsonl\n    fields:\n      problem: [q]\n", 6, "s1", "fields.problem", "column name"},
		{"problem missing", head + "    path: a.jsonl\n    fields:\n      answer: a\n", 5, "s1", "fields.problem", "required"},
		{"answer missing for field", head + "    path: a.jsonl\n    fields:\n      problem: q\n", 5, "s1", "fields.answer", "answer: null"},
		{"bad answer_from", head + "    path: a.jsonl\n    fields: {problem: q, answer: a}\n    answer_from: regex\n", 6, "s1", "answer_from", `got "regex"`},
		{"solution missing for boxed", head + "    path: a.jsonl\n    fields: {problem: q, answer: a}\n    answer_from: boxed_in_solution\n", 5, "s1", "fields.solution", "boxed_in_solution"},
		{"solution missing for gsm8k", head + "    path: a.jsonl\n    fields: {problem: q}\n    answer_from: gsm8k_hash\n", 5, "s1", "fields.solution", "gsm8k_hash"},
		{"duplicate name", head + "    path: a.jsonl\n    fields: {problem: q, answer: null}\n  - name: s1\n    role: corpus\n    path: b.jsonl\n    fields: {problem: q, answer: null}\n", 6, "s1", "name", "first used on line 2"},
		{"two documents", head + "    path: a.jsonl\n    fields: {problem: q, answer: null}\n---\nsources: []\n", 6, "", "", "more than one YAML document"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSpecs([]byte(tc.yml), "specs.yaml", ".")
			var se *SpecError
			if !errors.As(err, &se) {
				t.Fatalf("ParseSpecs error = %v, want a *SpecError", err)
			}
			if se.File != "specs.yaml" || se.Line != tc.line || se.Source != tc.source || se.Field != tc.field || !strings.Contains(se.Reason, tc.reason) {
				t.Errorf("error = %+v (%q)\nwant line %d, source %q, field %q, reason containing %q",
					*se, se.Error(), tc.line, tc.source, tc.field, tc.reason)
			}
			if tc.line > 0 && !strings.HasPrefix(se.Error(), "specs.yaml:") {
				t.Errorf("Error() = %q, want it to start with file:line", se.Error())
			}
		})
	}
}

func TestSpecErrorString(t *testing.T) {
	e := &SpecError{File: "a.yaml", Line: 7, Source: "gsm8k", Field: "role", Reason: "must be corpus or benchmark"}
	if got, want := e.Error(), `a.yaml:7: source "gsm8k": field "role": must be corpus or benchmark`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestLoadSpecsFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "sub", "s.yaml")
	os.MkdirAll(filepath.Dir(p), 0o755)
	os.WriteFile(p, []byte("sources:\n  - name: x\n    role: benchmark\n    path: ../d/x.csv\n    fields: {problem: q, answer: a}\n"), 0o644)
	specs, err := LoadSpecs(p)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := specs[0].LocalPath(), filepath.Join(dir, "d", "x.csv"); got != want {
		t.Errorf("LocalPath = %q, want %q", got, want)
	}
	if _, err := LoadSpecs(filepath.Join(dir, "missing.yaml")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: error = %v, want fs.ErrNotExist", err)
	}
	if _, err := LoadSpecs(dir); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("directory: error = %v", err)
	}
}
