package sharedtest

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRootFromModule(t *testing.T) {
	t.Setenv("BIGMATH_SHARED", "")
	dir := t.TempDir()
	repo := filepath.Join(dir, "clone", "pkg")
	if err := os.MkdirAll(repo, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "clone", "go.mod"), []byte("module x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(repo)
	if got := Root(); got != "" {
		t.Fatalf("Root() = %q with no shared folder, want empty", got)
	}
	if err := os.MkdirAll(filepath.Join(dir, "shared", "datasets"), 0o755); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(dir, "shared")
	if got := Root(); got != want {
		t.Fatalf("Root() = %q, want %q", got, want)
	}
}

func TestPathSkipsWhenAbsent(t *testing.T) {
	t.Setenv("BIGMATH_SHARED", filepath.Join(t.TempDir(), "nowhere"))
	ran := false
	t.Run("inner", func(t *testing.T) {
		Datasets(t, "gsm8k", "train.jsonl")
		ran = true
	})
	if ran {
		t.Fatal("Datasets did not skip with no shared folder")
	}
}
