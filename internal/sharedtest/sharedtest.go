// Package sharedtest finds the project's shared folder (../shared beside the
// repository: real datasets and conformance files from other public
// projects) for tests that read it at test time. Nothing from that folder is
// copied into the repository; a clone without it must still pass its tests,
// so every lookup skips the test, with a message, when the folder is absent.
//
// The folder is found from the module root (the nearest directory above the
// test's working directory that holds go.mod), so a clone anywhere works.
// BIGMATH_SHARED names another place.
package sharedtest

import (
	"os"
	"path/filepath"
	"testing"
)

// Root returns the shared folder, or "" when there is none.
func Root() string {
	if d := os.Getenv("BIGMATH_SHARED"); d != "" {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d
		}
		return ""
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			d := filepath.Join(dir, "..", "shared")
			if st, err := os.Stat(d); err == nil && st.IsDir() {
				return filepath.Clean(d)
			}
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Path returns the path of elem below the shared folder. It skips the test,
// saying which file is missing, when the folder or the file is absent.
func Path(tb testing.TB, elem ...string) string {
	tb.Helper()
	root := Root()
	rel := filepath.Join(elem...)
	if root == "" {
		tb.Skipf("../shared is not beside this clone (set BIGMATH_SHARED to use another place): skipping a test that reads shared/%s", rel)
	}
	p := filepath.Join(root, rel)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared/%s is not here: %v", rel, err)
	}
	return p
}

// Datasets returns the path of elem below shared/datasets, skipping as Path does.
func Datasets(tb testing.TB, elem ...string) string {
	tb.Helper()
	return Path(tb, append([]string{"datasets"}, elem...)...)
}

// Conformance returns the path of elem below shared/conformance, skipping as Path does.
func Conformance(tb testing.TB, elem ...string) string {
	tb.Helper()
	return Path(tb, append([]string{"conformance"}, elem...)...)
}
