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

// BuiltinSpecs returns every built-in source, file by file in name order.
// The built-in files are checked by the tests, so this never fails; a broken
// embedded file would panic, as a programmer error.
func BuiltinSpecs() []Spec {
	specs, err := loadBuiltin("all")
	if err != nil {
		panic(fmt.Sprintf("ingest: built-in specs: %v", err))
	}
	return specs
}

// loadBuiltin resolves "builtin:NAME": a built-in file, a built-in source,
// or "all". Built-in specs resolve relative paths against the working
// directory (Dir ".").
func loadBuiltin(name string) ([]Spec, error) {
	var all []Spec
	for _, n := range BuiltinSpecNames() {
		file := "specs/" + n + ".yaml"
		data, err := builtinFS.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("load specs: %w", err)
		}
		specs, err := ParseSpecs(data, builtinPrefix+path.Base(file), ".")
		if err != nil {
			return nil, err
		}
		if n == name {
			return specs, nil
		}
		all = append(all, specs...)
	}
	if name == "all" || name == "" {
		return all, nil
	}
	for _, s := range all {
		if s.Name == name {
			return []Spec{s}, nil
		}
	}
	return nil, fmt.Errorf("load specs: no built-in spec or source named %q (files: %s): %w",
		name, strings.Join(BuiltinSpecNames(), ", "), bigmath.ErrNotFound)
}
