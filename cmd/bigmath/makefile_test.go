package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMakeRunSaysWhatItDoes checks, with make's dry run, that `make run`
// says what it does before the first go build, which takes minutes on a
// cold cache.
func TestMakeRunSaysWhatItDoes(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("no make")
	}
	cmd := exec.Command("make", "-n", "run", "BIN="+filepath.Join(t.TempDir(), "bigmath"))
	cmd.Dir = filepath.Join("..", "..")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make -n run: %v\n%s", err, out)
	}
	lines := strings.Split(string(out), "\n")
	for i, l := range lines {
		if strings.Contains(l, " build -o ") && !strings.Contains(l, "echo") {
			before := strings.Join(lines[:i], "\n")
			if !strings.Contains(before, "first build takes a few minutes") {
				t.Errorf("make run builds before saying so:\n%s", out)
			}
			return
		}
	}
	t.Errorf("make -n run shows no go build:\n%s", out)
}
