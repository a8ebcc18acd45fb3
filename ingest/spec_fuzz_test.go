package ingest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func FuzzLoadSpecs(f *testing.F) {
	for _, dir := range []string{"testdata/*.yaml", "specs/*.yaml"} {
		files, _ := filepath.Glob(dir)
		for _, p := range files {
			b, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	entries, _ := fs.ReadDir(builtinFS, "specs")
	if len(entries) == 0 {
		f.Fatal("no built-in specs to seed from")
	}
	f.Add([]byte("sources:\n  - name: x\n    role: corpus\n    hub: o/n\n    files: [a/*.parquet]\n    fields: {problem: p, answer: null}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 16<<10 {
			// Spec files are small; big inputs only slow the search down
			// (the YAML parser is linear but instrumented code is not fast).
			return
		}
		specs, err := ParseSpecs(data, "fuzz.yaml", "/d")
		if err != nil {
			var se *SpecError
			if !errors.As(err, &se) || se.File != "fuzz.yaml" {
				t.Fatalf("error %v is not a *SpecError naming the file", err)
			}
			return
		}
		names := map[string]bool{}
		for _, s := range specs {
			if !validName.MatchString(s.Name) || names[s.Name] {
				t.Fatalf("accepted bad or duplicate name %q", s.Name)
			}
			names[s.Name] = true
			if !s.Role.Valid() || (s.Path == "") == (s.Hub == "") || s.Fields.Problem == "" || !contains(answerFroms, s.AnswerFrom) {
				t.Fatalf("accepted an invalid spec: %+v", s)
			}
			if s.AnswerFrom != AnswerFromField && s.Fields.Solution == "" {
				t.Fatalf("accepted %s without a solution field", s.AnswerFrom)
			}
			if s.Hub != "" && (len(s.Files) == 0 || s.Revision == "") {
				t.Fatalf("accepted a hub spec without files or revision: %+v", s)
			}
			if s.Dir != "/d" || s.File != "fuzz.yaml" || s.Line <= 0 {
				t.Fatalf("spec position not recorded: %+v", s)
			}
		}
	})
}
