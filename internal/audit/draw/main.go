// Command draw prints the problem audit sample of package audit: one line
// per drawn row, "file<TAB>id". With -text it also writes the drawn
// problems and their gold answers to a file for reading (outside the
// repository: the texts come from ../shared and are never committed).
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/bigmath/bigmath/internal/audit"
)

func main() {
	shared := flag.String("datasets", "../shared/datasets", "the shared/datasets folder")
	text := flag.String("text", "", "also write the drawn problems to this file")
	flag.Parse()
	if err := run(*shared, *text); err != nil {
		slog.Error("draw", "err", err)
		os.Exit(1)
	}
}

func run(datasets, text string) error {
	byFile, err := audit.LoadAll(datasets)
	if err != nil {
		return err
	}
	refs := audit.Draw(byFile)
	index := map[audit.Ref]audit.Row{}
	for p, rows := range byFile {
		for _, r := range rows {
			index[audit.Ref{File: p, ID: r.ID}] = r
		}
	}
	var b strings.Builder
	for i, ref := range refs {
		fmt.Printf("%s\t%s\n", ref.File, ref.ID)
		r := index[ref]
		fmt.Fprintf(&b, "=== %d %s %s\n%s\n--- gold: %s\n", i, ref.File, ref.ID, r.Problem, r.Answer)
	}
	if text != "" {
		if err := os.WriteFile(text, []byte(b.String()), 0o600); err != nil {
			return fmt.Errorf("write text: %w", err)
		}
	}
	return nil
}
