package ingest

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/bigmath/bigmath"
)

// builtinPrefix marks a built-in spec in place of a file path.
const builtinPrefix = "builtin:"

//go:embed specs/*.yaml
var builtinFS embed.FS

// BuiltinSpecNames lists the built-in spec files, without .yaml, sorted.
func BuiltinSpecNames() []string {
	entries, _ := fs.ReadDir(builtinFS, "specs")
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// BuiltinSpecs returns every built-in source, file by file in name order,
// including the local-file HARP specs. The embedded files are checked by the
// tests, so this never fails; a broken one would panic, as a programmer error.
func BuiltinSpecs() []Spec {
	specs, err := parseBuiltin()
	if err != nil {
		panic(fmt.Sprintf("ingest: built-in specs: %v", err))
	}
	return specs
}

// parseBuiltin parses every embedded spec file.
func parseBuiltin() ([]Spec, error) {
	var all []Spec
	for _, n := range BuiltinSpecNames() {
		specs, err := parseBuiltinFile(n)
		if err != nil {
			return nil, err
		}
		all = append(all, specs...)
	}
	return all, nil
}

func parseBuiltinFile(name string) ([]Spec, error) {
	file := "specs/" + name + ".yaml"
	data, err := builtinFS.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("load specs: %w", err)
	}
	return ParseSpecs(data, builtinPrefix+path.Base(file), ".")
}

// loadBuiltin resolves "builtin:NAME[,NAME...]", each NAME a built-in file,
// a built-in source, or "all" (every Hub source; the local-file HARP specs
// only by name). A source named twice is returned once.
// Built-in specs resolve relative paths against the working directory.
func loadBuiltin(names string) ([]Spec, error) {
	var out []Spec
	seen := map[string]bool{}
	for _, name := range strings.Split(names, ",") {
		specs, err := loadBuiltinOne(strings.TrimSuffix(strings.TrimSpace(name), ".yaml"))
		if err != nil {
			return nil, err
		}
		for _, s := range specs {
			if !seen[s.Name] {
				seen[s.Name] = true
				out = append(out, s)
			}
		}
	}
	return out, nil
}

func loadBuiltinOne(name string) ([]Spec, error) {
	for _, n := range BuiltinSpecNames() {
		if n == name {
			return parseBuiltinFile(n)
		}
	}
	all, err := parseBuiltin()
	if err != nil {
		return nil, err
	}
	if name == "all" {
		var hub []Spec
		for _, s := range all {
			if s.Hub != "" {
				hub = append(hub, s)
			}
		}
		return hub, nil
	}
	for _, s := range all {
		if s.Name == name {
			return []Spec{s}, nil
		}
	}
	return nil, fmt.Errorf("load specs: no built-in spec or source named %q (files: %s): %w",
		name, strings.Join(BuiltinSpecNames(), ", "), bigmath.ErrNotFound)
}
