package sharedtest_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/bigmath/bigmath/postgres/pgtest"
)

// sharedUse matches test code that reads the shared folder.
var sharedUse = regexp.MustCompile(`sharedtest\.|\.\./shared|/shared/`)

// TestCloneWithoutShared clones the repository (its committed HEAD) into a
// temporary directory that has no ../shared beside it and runs the tests of
// every package whose tests read the shared folder: they must pass, the
// ones that need the folder skipping with sharedtest's message. This is
// what a user who clones the repository alone meets.
func TestCloneWithoutShared(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the clone test builds and runs other packages' tests")
	}
	if os.Getenv("BIGMATH_IN_CLONE_TEST") != "" {
		t.Skip("already inside the clone test")
	}
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("no git")
	}
	root, err := exec.Command(git, "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Skipf("not in a git checkout: %v", err)
	}
	dbURL := pgtest.ServerURL(t) // the clone's tests use the same server
	dir := filepath.Join(t.TempDir(), "bigmath")
	if out, err := exec.Command(git, "clone", "--quiet", "--no-hardlinks", strings.TrimSpace(string(root)), dir).CombinedOutput(); err != nil {
		t.Fatalf("git clone: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "..", "shared")); err == nil {
		t.Fatal("the temporary clone has a ../shared beside it")
	}
	pkgs := sharedPackages(t, dir)
	if len(pkgs) == 0 {
		t.Fatal("no package's tests read the shared folder: the test has nothing to check")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	args := append([]string{"test", "-count=1", "-v", "-timeout", "7m"}, pkgs...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(withoutEnv(os.Environ(), "BIGMATH_SHARED", "TEST_DATABASE_URL", "BIGMATH_TEST_DATA_DIR"),
		"TEST_DATABASE_URL="+dbURL, "BIGMATH_IN_CLONE_TEST=1", "GOFLAGS=-buildvcs=false")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	if err != nil {
		t.Fatalf("go test %v in a clone without ../shared: %v\n%s", pkgs, err, failures(out.String()))
	}
	if !strings.Contains(out.String(), "../shared is not beside this clone") {
		t.Errorf("no test skipped with sharedtest's message in a clone without ../shared:\n%s", tail(out.String(), 40))
	}
}

// sharedPackages lists the packages (./dir form) whose test files read the
// shared folder.
func sharedPackages(t *testing.T, root string) []string {
	t.Helper()
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, filepath.Dir(p))
		if sharedUse.Match(b) && rel != filepath.Join("internal", "sharedtest") {
			seen["./"+filepath.ToSlash(rel)] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var pkgs []string
	for p := range seen {
		pkgs = append(pkgs, p)
	}
	sort.Strings(pkgs)
	return pkgs
}

func withoutEnv(env []string, names ...string) []string {
	var out []string
	for _, kv := range env {
		keep := true
		for _, n := range names {
			if strings.HasPrefix(kv, n+"=") {
				keep = false
			}
		}
		if keep {
			out = append(out, kv)
		}
	}
	return out
}

// testMessage matches a test's t.Log or t.Error line in go test -v output,
// which a parallel test prints apart from its "--- FAIL" line.
var testMessage = regexp.MustCompile(`^\s+\w+_test\.go:\d+: `)

// failures keeps the lines of go test's output that say what failed: each
// --- FAIL line and the few lines after it, the tests' messages, and the
// package verdicts.
func failures(out string) string {
	lines := strings.Split(out, "\n")
	var keep []string
	for i, l := range lines {
		switch {
		case strings.Contains(l, "--- FAIL"):
			keep = append(keep, lines[i:min(i+4, len(lines))]...)
		case strings.HasPrefix(l, "FAIL\t"), strings.HasPrefix(l, "ok  \t"), strings.Contains(l, "panic:"), testMessage.MatchString(l):
			keep = append(keep, l)
		}
	}
	return tail(strings.Join(keep, "\n"), 80)
}

func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
