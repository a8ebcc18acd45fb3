package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/export"
)

// exportCmd writes a split to a file, as GET /v1/splits/{name}/export does.
type exportCmd struct {
	Split   string `required:"" help:"Name of the split (see POST /v1/splits)."`
	Version int    `default:"0" help:"The frozen version to export; the latest when 0."`
	Format  string `default:"jsonl" enum:"jsonl,parquet,verl" help:"jsonl, parquet (flat columns) or verl (Parquet rows verl trains on)."`
	Part    string `default:"" enum:",train,validation,test" help:"Export only this part (train, validation or test); all parts when empty."`
	Out     string `xor:"out" required:"" help:"The file to write ('-' for standard output). It appears only when the export is complete."`
	Dir     string `xor:"out" required:"" help:"Write the Hugging Face Hub layout to this folder instead (data/<part>-0000K-of-0000N.parquet and a README.md dataset card); it must not exist or be empty, and appears only when complete."`
}

// Run exports the split. The file is written next to its final name and
// renamed at the end, so a failed export leaves no partial file behind.
func (c exportCmd) Run(e *env) error {
	if c.Dir != "" {
		return c.runHub(e)
	}
	format, err := export.ParseFormat(c.Format)
	if err != nil {
		return usageError{fmt.Errorf("--format: %w", err)}
	}
	_, store, closeDB, err := e.loadStore()
	if err != nil {
		return err
	}
	defer closeDB()

	var (
		out    io.Writer = e.stdout
		commit           = func() error { return nil }
	)
	if c.Out != "-" {
		// Check the split first: an unknown name leaves no file.
		if _, err := store.GetSplitVersion(e.ctx, c.Split, c.Version); err != nil {
			return splitError(c.Split, err)
		}
		f, err := os.CreateTemp(filepath.Dir(c.Out), "."+filepath.Base(c.Out)+".*.tmp")
		if err != nil {
			return fmt.Errorf("--out=%s: %w", c.Out, err)
		}
		defer os.Remove(f.Name())
		defer f.Close()
		out = f
		commit = func() error {
			if err := f.Sync(); err != nil {
				return fmt.Errorf("--out=%s: %w", c.Out, err)
			}
			if err := f.Close(); err != nil {
				return fmt.Errorf("--out=%s: %w", c.Out, err)
			}
			if err := os.Rename(f.Name(), c.Out); err != nil {
				return fmt.Errorf("--out=%s: %w", c.Out, err)
			}
			return nil
		}
	}
	w := export.NewWriter(out, format)
	if err := store.ExportSplitVersion(e.ctx, c.Split, c.Version, bigmath.Part(c.Part), w.WriteFrozen); err != nil {
		return splitError(c.Split, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("--out=%s: %w", c.Out, err)
	}
	if err := commit(); err != nil {
		return err
	}
	if c.Out != "-" {
		fmt.Fprintf(e.stderr, "exported %d problems of split %s to %s (%s)\n", w.Rows(), c.Split, c.Out, format)
	}
	return nil
}

// splitError words a store error for the command line.
func splitError(name string, err error) error {
	if errors.Is(err, bigmath.ErrNotFound) {
		return fmt.Errorf("--split=%s: no such split or version (create it with POST /v1/splits, freeze a version with POST /v1/splits/%s/versions)", name, name)
	}
	return fmt.Errorf("export split %s: %w", name, err)
}

// runHub writes the version in the Hub layout to c.Dir: into a fresh
// folder beside it, renamed to c.Dir at the end.
func (c exportCmd) runHub(e *env) error {
	if c.Part != "" || c.Format != "jsonl" {
		return usageError{errors.New("--dir writes every part as Parquet: drop --part and --format")}
	}
	if ents, err := os.ReadDir(c.Dir); err == nil && len(ents) > 0 {
		return fmt.Errorf("--dir=%s: not empty", c.Dir)
	}
	_, store, closeDB, err := e.loadStore()
	if err != nil {
		return err
	}
	defer closeDB()
	v, err := store.GetSplitVersion(e.ctx, c.Split, c.Version)
	if err != nil {
		return splitError(c.Split, err)
	}
	parent := filepath.Dir(filepath.Clean(c.Dir))
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(c.Dir)+".*.tmp")
	if err != nil {
		return fmt.Errorf("--dir=%s: %w", c.Dir, err)
	}
	defer os.RemoveAll(tmp)
	rows := func(part bigmath.Part, fn func(*bigmath.FrozenRow) error) error {
		return store.ExportSplitVersion(e.ctx, c.Split, v.Version, part, fn)
	}
	if err := export.WriteHub(export.DirSink{Dir: tmp}, v, rows); err != nil {
		return fmt.Errorf("export split %s version %d: %w", c.Split, v.Version, err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("--dir=%s: %w", c.Dir, err)
	}
	_ = os.Remove(c.Dir) // an empty folder is replaced
	if err := os.Rename(tmp, c.Dir); err != nil {
		return fmt.Errorf("--dir=%s: %w", c.Dir, err)
	}
	fmt.Fprintf(e.stderr, "exported version %d of split %s (%d problems, sha256:%s) to %s in the Hugging Face Hub layout\n",
		v.Version, c.Split, v.Counts.Total(), v.ContentHash, c.Dir)
	return nil
}
