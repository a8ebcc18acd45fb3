// Package audit holds hand-labelled audit sets over the files in
// ../shared/datasets: problem labels (keep or a drop reason), candidate
// duplicate pairs, and multiple-choice rows. The label files in testdata
// refer to shared rows by source file and id only; no problem text from
// ../shared is stored here. This package loads the shared files the same way
// for every consumer, so that an id always means the same row.
package audit

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Row is one problem of a shared dataset file, as this package reads it.
type Row struct {
	// File is the path relative to shared/datasets.
	File string
	// ID is the dataset's own id field when it has one, else the 0-based
	// line (JSON Lines) or array (JSON) index, as a string.
	ID       string
	Problem  string
	Answer   string
	Solution string
}

// File describes one shared dataset file and how its rows are identified.
type File struct {
	Path string
	// IDField names the dataset's own id field; empty means the 0-based
	// line or array index is the id.
	IDField string
	// JSONArray is true for a plain JSON array, false for JSON Lines.
	JSONArray bool
	// Zipped is true when the JSON Lines file is the single member of a zip.
	Zipped bool
}

// Files lists every shared dataset file the audit sets use.
func Files() []File {
	return []File{
		{Path: "gsm8k/train.jsonl"},
		{Path: "gsm8k/test.jsonl"},
		{Path: "math_test/test.jsonl", IDField: "idx"},
		{Path: "math500/test.jsonl", IDField: "unique_id"},
		{Path: "deepscaler/train/aime.json", JSONArray: true},
		{Path: "deepscaler/train/math.json", JSONArray: true},
		{Path: "deepscaler/test/aime.json", JSONArray: true},
		{Path: "deepscaler/test/amc.json", JSONArray: true},
		{Path: "deepscaler/test/math.json", JSONArray: true, IDField: "unique_id"},
		{Path: "aime24/test.jsonl", IDField: "id"},
		{Path: "amc23/test.jsonl", IDField: "id"},
		{Path: "aime25/test.jsonl"},
		{Path: "harp/HARP_proof-based.jsonl.zip", Zipped: true},
	}
}

// LookupFile returns the File with the given path.
func LookupFile(path string) (File, bool) {
	for _, f := range Files() {
		if f.Path == path {
			return f, true
		}
	}
	return File{}, false
}

// Load reads one shared file below datasets (the shared/datasets folder).
func Load(datasets string, f File) ([]Row, error) {
	data, err := os.ReadFile(filepath.Join(datasets, f.Path))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", f.Path, err)
	}
	if f.Zipped {
		data, err = unzipOne(data)
		if err != nil {
			return nil, fmt.Errorf("unzip %s: %w", f.Path, err)
		}
	}
	var objs []map[string]any
	if f.JSONArray {
		if err := json.Unmarshal(data, &objs); err != nil {
			return nil, fmt.Errorf("decode %s: %w", f.Path, err)
		}
	} else {
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
		line := 0
		for sc.Scan() {
			line++
			var m map[string]any
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
				return nil, fmt.Errorf("%s line %d: %w", f.Path, line, err)
			}
			objs = append(objs, m)
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("scan %s: %w", f.Path, err)
		}
	}
	rows := make([]Row, 0, len(objs))
	for i, m := range objs {
		r := Row{File: f.Path, ID: strconv.Itoa(i)}
		if f.IDField != "" {
			r.ID = str(m[f.IDField])
		}
		r.Problem = str(m["problem"])
		if r.Problem == "" {
			r.Problem = str(m["question"])
		}
		r.Solution = str(m["solution"])
		if r.Solution == "" {
			r.Solution = str(m["solution_1"])
		}
		r.Answer = str(m["answer"])
		switch {
		case strings.HasPrefix(f.Path, "gsm8k/"):
			if k := strings.LastIndex(r.Answer, "#### "); k >= 0 {
				r.Solution = r.Answer[:k]
				r.Answer = strings.TrimSpace(r.Answer[k+5:])
			}
		case f.Path == "math_test/test.jsonl":
			r.Answer = lastBoxed(r.Solution)
		}
		rows = append(rows, r)
	}
	return rows, nil
}

func unzipOne(data []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	if len(zr.File) != 1 {
		return nil, fmt.Errorf("want one member, have %d", len(zr.File))
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

// lastBoxed returns the content of the last \boxed{...} in s, braces matched.
func lastBoxed(s string) string {
	k := strings.LastIndex(s, `\boxed`)
	if k < 0 {
		return ""
	}
	rest := s[k+len(`\boxed`):]
	rest = strings.TrimLeft(rest, " ")
	if !strings.HasPrefix(rest, "{") {
		// \boxed 5
		f := strings.Fields(rest)
		if len(f) == 0 {
			return ""
		}
		return strings.TrimRight(f[0], "$.")
	}
	depth := 0
	for i, c := range rest {
		switch c {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return rest[1:i]
			}
		}
	}
	return ""
}

// Weights is the number of problems drawn uniformly from each file for the
// problem audit set.
func Weights() map[string]int {
	return map[string]int{
		"deepscaler/train/aime.json":      125,
		"deepscaler/train/math.json":      140,
		"math_test/test.jsonl":            140,
		"gsm8k/train.jsonl":               35,
		"gsm8k/test.jsonl":                15,
		"math500/test.jsonl":              25,
		"deepscaler/test/math.json":       10,
		"deepscaler/test/amc.json":        25,
		"deepscaler/test/aime.json":       8,
		"aime24/test.jsonl":               7,
		"amc23/test.jsonl":                7,
		"aime25/test.jsonl":               12,
		"harp/HARP_proof-based.jsonl.zip": 10,
	}
}

// Seed is the fixed seed of the problem draw.
const Seed = 20261204

// CueDraw is the number of extra problems drawn, after the uniform draw,
// from rows of the MATH and AIME files whose text carries any of a broad
// set of cues (figures, parts, options, proofs, yes/no, links, hints).
const CueDraw = 60

var cueRe = regexp.MustCompile(`(?i)(figure|diagram|shown|pictured|\(a\)|\(b\)|\(i\)|\(1\)|part \d|\(A\)|\\textbf\{\(|which of the following|prove|show that|true or false|is it possible|is there|does there exist|http|www\.|solution|hint|enter the letter|enter all|separated by commas)`)

// A cueFamily is a family of rare drop cases used to enrich the sample:
// rows of Files whose problem (or gold) carries a cue, of which N are drawn.
// The cues only choose which rows get read; every drawn row is labelled by
// reading it, and many of them turn out to be keep.
type cueFamily struct {
	Name  string
	Files []string
	N     int
	Match func(Row) bool
}

var (
	figureCue = regexp.MustCompile(`(?i)(shown|figure|diagram|pictured|below|graph of)`)
	partsCue  = regexp.MustCompile(`(\((a|b|c|i|ii|iii|1|2|3)\))|(?i:part [1-3a-c])|①|②`)
	aopsCue   = regexp.MustCompile(`(?i)(hint|solution|diagram|~|credit|note)`)
	mcCue     = regexp.MustCompile(`(?i)(\(A\)|\\textbf\{\(A|(^|\n)\s*A[.:)]\s|which of the following|enter the letter)`)
	linkCue   = regexp.MustCompile(`(?i)(https?://|www\.|\\url|\\href)`)
	scriptCue = regexp.MustCompile(`[\p{Han}\p{Cyrillic}\p{Hangul}\p{Arabic}\p{Hiragana}\p{Katakana}]`)
	figPhrase = regexp.MustCompile(`(?i)(in the (figure|diagram|picture)|shown (below|above|here|at right|in the)|as shown|the (figure|diagram) (below|above|shows)|pictured|graphed below|the graph below)`)
	listCue   = regexp.MustCompile(`(?s)(\([a-d]\)[^()]{0,400}\?.{0,400}\([b-e]\))|(\((i|ii|1|2)\)[^?]*\?[^?]*\((ii|iii|2|3)\))|((^|\n)\s*(1|a)[.)]\s.*(\n)\s*(2|b)[.)]\s)|(\bPart\b)`)
	yesNoCue  = regexp.MustCompile(`(?i)^\s*(\\text\{)?\s*(yes|no|true|false)\b`)
)

// placeholderGold reports a gold that is missing or says nothing.
func placeholderGold(a string) bool {
	switch strings.ToLower(strings.Trim(strings.TrimSpace(a), "$")) {
	case "", "null", "none", "n/a", "na", "?", "-", "—", "see solution", `\boxed{}`:
		return true
	}
	return false
}

var mathFiles = []string{"deepscaler/train/math.json", "math_test/test.jsonl", "deepscaler/train/aime.json"}

var allFiles = func() []string {
	var out []string
	for _, f := range Files() {
		out = append(out, f.Path)
	}
	return out
}()

func cueFamilies() []cueFamily {
	return []cueFamily{
		{"figure_without_asy", mathFiles, 30, func(r Row) bool {
			return !strings.Contains(r.Problem, "[asy]") && figureCue.MatchString(r.Problem)
		}},
		{"parts", mathFiles, 20, func(r Row) bool { return partsCue.MatchString(r.Problem) }},
		{"aops_residue", []string{"deepscaler/train/aime.json"}, 15, func(r Row) bool { return aopsCue.MatchString(r.Problem) }},
		{"options", mathFiles, 12, func(r Row) bool { return mcCue.MatchString(r.Problem) }},
		{"empty_gold", allFiles, 10, func(r Row) bool {
			return !strings.HasPrefix(r.File, "harp/") && placeholderGold(r.Answer)
		}},
		{"link_or_script", allFiles, 6, func(r Row) bool {
			return linkCue.MatchString(r.Problem) || scriptCue.MatchString(r.Problem)
		}},
		{"yes_no_gold", allFiles, 6, func(r Row) bool { return yesNoCue.MatchString(r.Answer) }},
		{"figure_phrase_without_asy", mathFiles, 30, func(r Row) bool {
			return !strings.Contains(r.Problem, "[asy]") && figPhrase.MatchString(r.Problem)
		}},
		{"numbered_lists", allFiles, 12, func(r Row) bool {
			return !strings.Contains(r.Problem, "[asy]") && listCue.MatchString(r.Problem)
		}},
	}
}

// Ref names one row of a shared file.
type Ref struct {
	File string
	ID   string
}

// Draw returns the problem audit sample: Weights() rows per file drawn
// with Seed (files in path order, rows by a seeded shuffle), then, from the
// rows not drawn yet, the rows of each cue family (rare drop cases) in
// family order. byFile holds every file's rows in file order. The sample
// is the same on every run: only the seed and the files decide it.
func Draw(byFile map[string][]Row) []Ref {
	rng := rand.New(rand.NewPCG(Seed, Seed>>1))
	w := Weights()
	paths := make([]string, 0, len(w))
	for p := range w {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	taken := map[Ref]bool{}
	var out []Ref
	for _, p := range paths {
		rows := byFile[p]
		perm := rng.Perm(len(rows))
		n := min(w[p], len(rows))
		for _, i := range perm[:n] {
			r := Ref{p, rows[i].ID}
			taken[r] = true
			out = append(out, r)
		}
	}
	var pool []Ref
	for _, p := range []string{"deepscaler/train/aime.json", "deepscaler/train/math.json", "math_test/test.jsonl"} {
		for _, r := range byFile[p] {
			ref := Ref{p, r.ID}
			if !taken[ref] && cueRe.MatchString(r.Problem) {
				pool = append(pool, ref)
			}
		}
	}
	perm := rng.Perm(len(pool))
	for _, i := range perm[:min(CueDraw, len(pool))] {
		taken[pool[i]] = true
		out = append(out, pool[i])
	}
	for _, fam := range cueFamilies() {
		var pool []Ref
		for _, p := range fam.Files {
			for _, r := range byFile[p] {
				ref := Ref{p, r.ID}
				if !taken[ref] && fam.Match(r) {
					pool = append(pool, ref)
				}
			}
		}
		perm := rng.Perm(len(pool))
		for _, i := range perm[:min(fam.N, len(pool))] {
			taken[pool[i]] = true
			out = append(out, pool[i])
		}
	}
	return out
}

// LoadAll reads every file of Files below datasets, keyed by path.
func LoadAll(datasets string) (map[string][]Row, error) {
	out := map[string][]Row{}
	for _, f := range Files() {
		rows, err := Load(datasets, f)
		if err != nil {
			return nil, err
		}
		out[f.Path] = rows
	}
	return out, nil
}
