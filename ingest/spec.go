// Package ingest reads math datasets into bigmath: declarative source specs,
// streaming readers for the file formats the datasets ship in, a Hugging Face
// Hub client that fetches and caches pinned revisions, and the pipeline that
// drives normalize -> classify -> verify -> dedup -> store.
//
// # Source specs
//
// A spec file is YAML with one top-level key, sources, listing sources:
//
//	sources:
//	  - name: gsm8k-train          # unique; letters, digits, '.', '_', '-'
//	    role: corpus               # corpus | benchmark
//	    path: data/train.jsonl     # a local file, relative to the spec file's folder
//	    # or: hub: openai/gsm8k, revision: main, files: [main/train-*.parquet]
//	    fields: {problem: question, answer: answer, solution: answer, id: null}
//	    answer_from: gsm8k_hash    # field (default) | boxed_in_solution | gsm8k_hash
//	    license: MIT
//	    priority: 50               # higher wins when choosing a duplicate's canonical copy
//
// Keys are checked strictly: an unknown key, a wrong type or a failed rule is
// a *SpecError naming the file, the line, the source and the field. The rules:
// role is corpus or benchmark; exactly one of path and hub; revision and files
// only with hub (revision defaults to "main", files needs at least one glob);
// fields.problem is required; answer_from field needs fields.answer, except
// that an explicit "answer: null" declares a source without answers (every row
// then has no gold answer, as in the HARP proof split); boxed_in_solution and
// gsm8k_hash need fields.solution; names are unique within a file.
//
// A local path may end in .jsonl, .json (a JSON array, or JSON Lines under a
// .json name), .parquet or .csv, optionally followed by .gz, or be a .zip
// holding exactly one such file (read in place, never extracted). Hub files
// are matched with path.Match globs per path segment, e.g. main/train-*.parquet.
//
// Field names in fields are column names or dotted paths into nested values:
// reward_model.ground_truth reads key ground_truth of the object in column
// reward_model, and prompt.0.content reads key content of element 0 of the
// list in column prompt. A column whose own name contains a dot is matched
// first, before the path is split. See Row.Lookup.
//
// # Built-in specs
//
// The package embeds specs for the well-known datasets (see BuiltinSpecs and
// the YAML files in specs/). LoadSpecs accepts "builtin:NAME" in place of a
// file path, where NAME is a built-in spec file without .yaml (builtin:gsm8k
// gives gsm8k-train and gsm8k-test), the name of one built-in source
// (builtin:gsm8k-test), or "all" (every Hub source; the HARP specs read local
// zips, as HARP is only on GitHub, so they are loaded only by name). Several
// names may be joined with commas: builtin:gsm8k,math500. BuiltinSpecNames
// lists the files. Built-in Hub specs use revision "main", pinned to a commit
// sha at fetch time (Reader.Revision).
//
// # Hub sources
//
// Open fetches a Hub source from OpenOptions.HFEndpoint (HF_ENDPOINT, default
// https://huggingface.co) with OpenOptions.HFToken (HF_TOKEN) as a bearer
// token on every request:
//
//  1. GET /api/datasets/{id}/revision/{rev} pins the revision to its commit
//     sha, remembered in the cache so that a cached dataset opens offline;
//     a revision that is already a 40-hex sha needs no request.
//  2. GET /api/datasets/{id}/tree/{sha}?recursive=true lists the files,
//     following Link rel="next" pages; the spec's globs pick the files.
//  3. GET /datasets/{id}/resolve/{sha}/{path} downloads each file not yet
//     complete in the cache (redirects followed) into a .part file, resumed
//     with "Range: bytes=N-" after an interruption (also across runs), then
//     checked against the listing (size, and the LFS sha256 or git blob sha1)
//     and renamed into place, so a cached file is always whole.
//
// Files live in OpenOptions.CacheDir/<owner>/<name>/<sha>/<path>, with a
// manifest per sha naming the files the globs matched: a second Open of the
// same spec downloads nothing, and with a sha revision makes no request at
// all. Network errors, 408, 429 and 5xx are retried up to
// OpenOptions.MaxAttempts times with exponential back-off and jitter, waiting
// as long as Retry-After or the RateLimit header's t= asks (capped by
// OpenOptions.MaxRetryWait); an attempt that downloaded bytes resets the
// count; a download that receives nothing for OpenOptions.StallTimeout is
// aborted and resumed. Every wait ends early when the context is cancelled. Other answers
// are a *HubError; 404 wraps bigmath.ErrNotFound.
//
// # Rows
//
// Open resolves a Spec to its files (downloading Hub files into a cache) and
// returns a *Reader whose Next streams one Row at a time; no reader holds more
// than one row (or, for Parquet, one page) in memory. See Row for how keys,
// fields and raw bytes are defined.
package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"

	"github.com/bigmath/bigmath"
)

// Ways a source gives the gold answer (Spec.AnswerFrom).
const (
	// AnswerFromField: the answer is the value of fields.answer (none when
	// fields.answer is empty).
	AnswerFromField = "field"
	// AnswerFromBoxed: the answer is the last balanced \boxed{...} of the
	// solution field.
	AnswerFromBoxed = "boxed_in_solution"
	// AnswerFromGSM8K: the answer follows "#### " on the last line of the
	// solution field, as in GSM8K.
	AnswerFromGSM8K = "gsm8k_hash"
)

// Spec is one source from a YAML spec file.
type Spec struct {
	Name     string             // unique within a spec file; used in problem ids
	Role     bigmath.SourceRole // corpus or benchmark
	Path     string             // a local file, as written (resolve with LocalPath)
	Hub      string             // a Hub dataset id, owner/name
	Revision string             // Hub revision: a commit sha, branch or tag ("main" by default)
	Files    []string           // Hub file globs, e.g. main/train-*.parquet
	Fields   FieldMap
	// AnswerFrom says where the gold answer is: AnswerFromField,
	// AnswerFromBoxed or AnswerFromGSM8K.
	AnswerFrom string
	License    string
	Priority   int    // which copy of a duplicate is canonical (higher wins)
	Dir        string // folder of the spec file; relative paths resolve against it

	// Line is the line of the source in its spec file (0 when unknown).
	Line int
	// File is the spec file the source came from ("builtin:<name>.yaml" for
	// built-in specs).
	File string
}

// FieldMap names the columns (or dotted paths, see Row.Lookup) that hold each
// part of a problem. An empty string means the source has no such column.
type FieldMap struct {
	Problem, Answer, Solution, ID, Domain, Difficulty, Level string
}

// LocalPath returns the spec's local file path resolved against Dir, or ""
// for a Hub source.
func (s Spec) LocalPath() string {
	if s.Path == "" {
		return ""
	}
	if filepath.IsAbs(s.Path) || s.Dir == "" {
		return filepath.Clean(s.Path)
	}
	return filepath.Join(s.Dir, s.Path)
}

// Location is the local path (resolved) or the Hub dataset id of the source,
// for display and for bigmath.Source.Location.
func (s Spec) Location() string {
	if s.Hub != "" {
		return s.Hub
	}
	return s.LocalPath()
}

// Source returns the bigmath.Source this spec describes, with the given
// pinned revision (see Reader.Revision).
func (s Spec) Source(revision string) bigmath.Source {
	return bigmath.Source{
		Name:     s.Name,
		Role:     s.Role,
		Location: s.Location(),
		Revision: revision,
		License:  s.License,
		Priority: s.Priority,
	}
}

// SpecError reports a bad spec file: where, which source, which field, and
// what is wrong. Line is 1-based, 0 when the YAML library gave no position.
type SpecError struct {
	File   string
	Line   int
	Source string // the source's name, or "#3" (1-based index) when it has none
	Field  string // the key, e.g. "role" or "fields.problem"
	Reason string
}

// Error implements error: "file:line: source "x": field "role": reason".
func (e *SpecError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Source != "" {
		fmt.Fprintf(&b, "source %q: ", e.Source)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, "field %q: ", e.Field)
	}
	b.WriteString(e.Reason)
	return b.String()
}

// maxSpecSize bounds a spec file; specs are hand-written and small.
const maxSpecSize = 4 << 20

// LoadSpecs reads a YAML spec file and returns its sources in file order,
// validated, with Dir set to the file's folder. A path of the form
// "builtin:NAME" loads built-in specs instead (see the package doc). Errors
// from a bad file are *SpecError; a missing file wraps fs.ErrNotExist; an
// unknown built-in name wraps bigmath.ErrNotFound.
func LoadSpecs(path string) ([]Spec, error) {
	if name, ok := strings.CutPrefix(path, builtinPrefix); ok {
		return loadBuiltin(name)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load specs: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("load specs: %w", err)
	}
	if st.IsDir() {
		return nil, &SpecError{File: path, Reason: "is a directory, not a spec file"}
	}
	if st.Size() > maxSpecSize {
		return nil, &SpecError{File: path, Reason: fmt.Sprintf("spec file is %d bytes, over the %d byte limit", st.Size(), maxSpecSize)}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load specs: %w", err)
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("load specs: %w", err)
	}
	return ParseSpecs(data, path, dir)
}

// ParseSpecs parses and validates spec YAML. file names the input in errors;
// dir becomes each Spec's Dir. Errors are *SpecError.
func ParseSpecs(data []byte, file, dir string) ([]Spec, error) {
	p := specParser{file: file}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, p.errf(0, "", "", "empty spec file: want a top-level \"sources:\" list")
		}
		return nil, p.yamlErr(err, data)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, p.errf(extra.Line, "", "", "more than one YAML document; put every source in one sources list")
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return nil, p.errf(root.Line, "", "", "top level must be a mapping with a \"sources:\" list")
	}
	var list *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Value != "sources" {
			return nil, p.errf(k.Line, "", k.Value, "unknown top-level key (the only key is \"sources\")")
		}
		list = v
	}
	if list == nil {
		return nil, p.errf(root.Line, "", "sources", "missing")
	}
	if list.Kind != yaml.SequenceNode {
		return nil, p.errf(list.Line, "", "sources", "must be a list of sources")
	}
	if len(list.Content) == 0 {
		return nil, p.errf(list.Line, "", "sources", "is empty")
	}
	specs := make([]Spec, 0, len(list.Content))
	seen := map[string]int{}
	for i, n := range list.Content {
		s, err := p.source(n, i, dir)
		if err != nil {
			return nil, err
		}
		if prev, dup := seen[s.Name]; dup {
			return nil, p.errf(s.Line, s.Name, "name", fmt.Sprintf("duplicate source name (first used on line %d)", prev))
		}
		seen[s.Name] = s.Line
		specs = append(specs, s)
	}
	return specs, nil
}

var (
	validName   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)
	validHubID  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$`)
	sourceKeys  = []string{"name", "role", "path", "hub", "revision", "files", "fields", "answer_from", "license", "priority"}
	fieldKeys   = []string{"problem", "answer", "solution", "id", "domain", "difficulty", "level"}
	answerFroms = []string{AnswerFromField, AnswerFromBoxed, AnswerFromGSM8K}
)

type specParser struct{ file string }

func (p specParser) errf(line int, source, field, reason string) *SpecError {
	return &SpecError{File: p.file, Line: line, Source: source, Field: field, Reason: reason}
}

// yamlErr turns a YAML syntax error into a *SpecError at the line where the
// parser met the problem; a problem met at the end of the input (an
// unclosed bracket or quote) is reported on the input's last line.
func (p specParser) yamlErr(err error, data []byte) *SpecError {
	var le *yaml.LoadError
	if !errors.As(err, &le) {
		return p.errf(0, "", "", "invalid YAML: "+err.Error())
	}
	msg := le.Message
	if le.ContextMsg != "" {
		msg = le.ContextMsg + ": " + msg
	}
	line := le.Mark.Line
	if le.Mark.Index >= len(data) && len(data) > 0 {
		line = bytes.Count(data[:len(data)-1], []byte("\n")) + 1
	}
	return p.errf(line, "", "", "invalid YAML: "+msg)
}

// source parses and validates one entry of the sources list.
func (p specParser) source(n *yaml.Node, idx int, dir string) (Spec, error) {
	s := Spec{Dir: dir, Line: n.Line, File: p.file}
	if n.Kind != yaml.MappingNode {
		return s, p.errf(n.Line, fmt.Sprintf("#%d", idx+1), "", "a source must be a mapping of keys (name, role, ...)")
	}
	e, err := p.entry(n, idx)
	if err != nil {
		return s, err
	}
	for _, step := range []func(*Spec) error{e.strings, e.identity, e.files, e.location, e.fields} {
		if err := step(&s); err != nil {
			return s, err
		}
	}
	return s, nil
}

// sourceEntry is one entry of the sources list, its keys indexed: the
// steps of specParser.source read it.
type sourceEntry struct {
	p       specParser
	n       *yaml.Node
	label   string // the source's name once known, else its position
	vals    map[string]*yaml.Node
	keyLine map[string]int
}

// entry indexes the keys of a source entry, rejecting non-string, repeated
// and unknown keys. The name is looked up first so every later error can
// name the source.
func (p specParser) entry(n *yaml.Node, idx int) (*sourceEntry, error) {
	e := &sourceEntry{p: p, n: n, label: fmt.Sprintf("#%d", idx+1), vals: map[string]*yaml.Node{}, keyLine: map[string]int{}}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k, v := n.Content[i], n.Content[i+1]; k.Value == "name" && v.Kind == yaml.ScalarNode && v.Value != "" && len(v.Value) <= 128 {
			e.label = v.Value
			break
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, e.errf(k.Line, "", "keys must be plain strings")
		}
		if _, dup := e.vals[k.Value]; dup {
			return nil, e.errf(k.Line, k.Value, "key given twice")
		}
		e.vals[k.Value] = v
		e.keyLine[k.Value] = k.Line
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; !contains(sourceKeys, k.Value) {
			return nil, e.errf(k.Line, k.Value, "unknown key (known: "+strings.Join(sourceKeys, ", ")+")")
		}
	}
	return e, nil
}

func (e *sourceEntry) errf(line int, field, reason string) *SpecError {
	return e.p.errf(line, e.label, field, reason)
}

// line is the line of a key's value, or of the entry when the key is absent.
func (e *sourceEntry) line(key string) int {
	if v, ok := e.vals[key]; ok {
		return v.Line
	}
	return e.n.Line
}

// str reads an optional string key into dst, trimmed.
func (e *sourceEntry) str(key string, dst *string) error {
	v, ok := e.vals[key]
	if !ok || isNull(v) {
		return nil
	}
	if v.Kind != yaml.ScalarNode {
		return e.errf(v.Line, key, "must be a string")
	}
	*dst = strings.TrimSpace(v.Value)
	return nil
}

// strings reads the plain string keys.
func (e *sourceEntry) strings(s *Spec) error {
	var role string
	for _, kv := range []struct {
		key string
		dst *string
	}{{"name", &s.Name}, {"role", &role}, {"path", &s.Path}, {"hub", &s.Hub}, {"revision", &s.Revision}, {"answer_from", &s.AnswerFrom}, {"license", &s.License}} {
		if err := e.str(kv.key, kv.dst); err != nil {
			return err
		}
	}
	s.Role = bigmath.SourceRole(role)
	return nil
}

// identity checks the name and role and reads the priority.
func (e *sourceEntry) identity(s *Spec) error {
	switch {
	case s.Name == "":
		return e.errf(e.line("name"), "name", "required")
	case !validName.MatchString(s.Name):
		return e.errf(e.line("name"), "name", "must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit")
	case s.Role == "":
		return e.errf(e.line("role"), "role", "required (corpus or benchmark)")
	case !s.Role.Valid():
		return e.errf(e.line("role"), "role", fmt.Sprintf("must be corpus or benchmark, got %q", string(s.Role)))
	}
	if v, ok := e.vals["priority"]; ok && !isNull(v) {
		pr, err := strconv.Atoi(v.Value)
		if v.Kind != yaml.ScalarNode || err != nil {
			return e.errf(v.Line, "priority", fmt.Sprintf("must be an integer, got %q", v.Value))
		}
		s.Priority = pr
	}
	return nil
}

// files reads the hub file globs: one string or a list of them.
func (e *sourceEntry) files(s *Spec) error {
	v, ok := e.vals["files"]
	if !ok || isNull(v) {
		return nil
	}
	switch v.Kind {
	case yaml.ScalarNode:
		s.Files = []string{v.Value}
	case yaml.SequenceNode:
		for _, f := range v.Content {
			if f.Kind != yaml.ScalarNode || strings.TrimSpace(f.Value) == "" {
				return e.errf(f.Line, "files", "each entry must be a non-empty glob string")
			}
			s.Files = append(s.Files, strings.TrimSpace(f.Value))
		}
	default:
		return e.errf(v.Line, "files", "must be a list of glob strings")
	}
	for _, g := range s.Files {
		if _, err := path.Match(g, ""); err != nil {
			return e.errf(v.Line, "files", fmt.Sprintf("bad glob %q: %v", g, err))
		}
	}
	return nil
}

// location checks that the source is a local path or a hub dataset, with
// the keys that go with each.
func (e *sourceEntry) location(s *Spec) error {
	switch {
	case s.Path == "" && s.Hub == "":
		return e.errf(e.n.Line, "path", "one of path or hub is required")
	case s.Path != "" && s.Hub != "":
		return e.errf(e.line("hub"), "hub", "give either path or hub, not both")
	case s.Path != "":
		if s.Revision != "" {
			return e.errf(e.line("revision"), "revision", "only for hub sources (a local file's revision is its sha256)")
		}
		if len(s.Files) > 0 {
			return e.errf(e.line("files"), "files", "only for hub sources")
		}
		if _, err := formatOf(s.Path); err != nil {
			return e.errf(e.line("path"), "path", err.Error())
		}
		return nil
	}
	if !validHubID.MatchString(s.Hub) {
		return e.errf(e.line("hub"), "hub", fmt.Sprintf("must be a dataset id owner/name, got %q", s.Hub))
	}
	if s.Revision == "" {
		s.Revision = "main"
	}
	if strings.ContainsAny(s.Revision, " \t\n") || strings.Contains(s.Revision, "..") {
		return e.errf(e.line("revision"), "revision", fmt.Sprintf("bad revision %q", s.Revision))
	}
	if len(s.Files) == 0 {
		return e.errf(e.line("files"), "files", "required for hub sources: globs such as main/train-*.parquet")
	}
	return nil
}

// fields reads the column mapping and checks it against answer_from.
func (e *sourceEntry) fields(s *Spec) error {
	explicitNull, err := e.columns(s)
	if err != nil {
		return err
	}
	if s.Fields.Problem == "" {
		return e.errf(e.fieldLine("problem"), "fields.problem", "required: the column holding the problem text")
	}
	if s.AnswerFrom == "" {
		s.AnswerFrom = AnswerFromField
	}
	if !contains(answerFroms, s.AnswerFrom) {
		return e.errf(e.line("answer_from"), "answer_from", fmt.Sprintf("must be one of %s, got %q", strings.Join(answerFroms, ", "), s.AnswerFrom))
	}
	switch {
	case s.AnswerFrom == AnswerFromField && s.Fields.Answer == "" && !explicitNull["answer"]:
		return e.errf(e.fieldLine("answer"), "fields.answer", "required when answer_from is field (write answer: null for a source without answers)")
	case s.AnswerFrom != AnswerFromField && s.Fields.Solution == "":
		return e.errf(e.fieldLine("solution"), "fields.solution", fmt.Sprintf("required when answer_from is %s", s.AnswerFrom))
	}
	return nil
}

// columns reads the fields mapping into s.Fields; it returns the keys
// written as null.
func (e *sourceEntry) columns(s *Spec) (map[string]bool, error) {
	explicitNull := map[string]bool{}
	v, ok := e.vals["fields"]
	if !ok || isNull(v) {
		return explicitNull, nil
	}
	if v.Kind != yaml.MappingNode {
		return nil, e.errf(v.Line, "fields", "must be a mapping such as {problem: question, answer: answer}")
	}
	dst := map[string]*string{
		"problem": &s.Fields.Problem, "answer": &s.Fields.Answer, "solution": &s.Fields.Solution, "id": &s.Fields.ID,
		"domain": &s.Fields.Domain, "difficulty": &s.Fields.Difficulty, "level": &s.Fields.Level,
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, fv := v.Content[i], v.Content[i+1]
		fk := "fields." + k.Value
		if !contains(fieldKeys, k.Value) {
			return nil, e.errf(k.Line, fk, "unknown key (known: "+strings.Join(fieldKeys, ", ")+")")
		}
		if seen[k.Value] {
			return nil, e.errf(k.Line, fk, "key given twice")
		}
		seen[k.Value] = true
		if isNull(fv) {
			explicitNull[k.Value] = true
			continue
		}
		if fv.Kind != yaml.ScalarNode || strings.TrimSpace(fv.Value) == "" {
			return nil, e.errf(fv.Line, fk, "must be a column name or null")
		}
		*dst[k.Value] = strings.TrimSpace(fv.Value)
	}
	return explicitNull, nil
}

// fieldLine is the line of a key of the fields mapping, or of the mapping,
// or of the entry.
func (e *sourceEntry) fieldLine(key string) int {
	v, ok := e.vals["fields"]
	if !ok || v.Kind != yaml.MappingNode {
		return e.n.Line
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		if v.Content[i].Value == key {
			return v.Content[i].Line
		}
	}
	return e.keyLine["fields"]
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
