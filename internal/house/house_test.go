// Package house checks the layout rules that DESIGN.md states and that no
// compiler enforces: which packages may import which, how long a function
// may grow, and that nothing from ../shared is copied into the repository.
package house

import (
	"crypto/sha256"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bigmath/bigmath/internal/sharedtest"
)

const module = "github.com/bigmath/bigmath"

// root is the module root, two levels above this package.
var root = filepath.Join("..", "..")

// maxFuncLines bounds the length of a non-test function (a closure counts
// as part of the function it is written in) in the orchestration and I/O
// packages, where long functions hide several steps.
const maxFuncLines = 100

// lengthChecked are the package directories whose functions are bounded.
var lengthChecked = []string{"ingest", "api", "postgres", "export", "cmd"}

func TestFunctionLength(t *testing.T) {
	var long []string
	for _, dir := range lengthChecked {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if os.IsNotExist(err) {
					return filepath.SkipDir
				}
				return err
			}
			if d.IsDir() && d.Name() == "testdata" {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			for _, decl := range f.Decls {
				fn, ok := decl.(*ast.FuncDecl)
				if !ok || fn.Body == nil {
					continue
				}
				n := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1
				if n > maxFuncLines {
					rel, _ := filepath.Rel(root, path)
					long = append(long, fmt.Sprintf("%s: %s is %d lines", rel, fn.Name.Name, n))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range long {
		t.Errorf("%s (at most %d)", l, maxFuncLines)
	}
}

// forbidden lists imports a package must not have (outside its tests).
var forbidden = map[string][]string{
	"ingest":    {module + "/postgres", module + "/api"},
	"api":       {module + "/postgres", "github.com/parquet-go/parquet-go"},
	"export":    {module + "/postgres", module + "/api", "github.com/gin-gonic/gin"},
	"postgres":  {module + "/api", "github.com/gin-gonic/gin", module + "/ingest"},
	"verify":    {"github.com/jackc/pgx/v5", "github.com/gin-gonic/gin", "net/http", "os"},
	"normalize": {"github.com/jackc/pgx/v5", "github.com/gin-gonic/gin", "net/http", "os"},
	"dedup":     {"github.com/jackc/pgx/v5", "github.com/gin-gonic/gin", "net/http", "os"},
}

func TestImports(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	for pkg, bad := range forbidden {
		out, err := exec.Command("go", "list", "-f", `{{join .Imports "\n"}}`, module+"/"+pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		imports := strings.Fields(string(out))
		for _, b := range bad {
			if slices.Contains(imports, b) {
				t.Errorf("%s imports %s", pkg, b)
			}
		}
	}
	// The root package carries the data and imports nothing of the module.
	out, err := exec.Command("go", "list", "-f", `{{join .Imports "\n"}}`, module).Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, imp := range strings.Fields(string(out)) {
		if strings.HasPrefix(imp, module+"/") {
			t.Errorf("the root package imports %s", imp)
		}
	}
}

// TestNoSharedCopies fails when a file under a testdata folder has the
// content of a file in ../shared (those come from other public projects and
// are read at test time, never copied).
func TestNoSharedCopies(t *testing.T) {
	shared := sharedtest.Path(t)
	sums := map[[32]byte]string{}
	err := filepath.WalkDir(shared, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		sums[sha256.Sum256(b)] = path
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == ".bigmath" || d.Name() == "bin") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.Contains(filepath.ToSlash(path), "/testdata/") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if src, ok := sums[sha256.Sum256(b)]; ok {
			t.Errorf("%s is a copy of %s", path, src)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
