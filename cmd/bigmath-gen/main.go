// Command bigmath-gen writes synthetic math problems as JSON Lines on
// stdout, with a known share of exact and near duplicates, for the ingest
// benchmark:
//
//	go run ./cmd/bigmath-gen -n 1000000 -counts /tmp/synth.counts.json > /tmp/synth.jsonl
//
// The counts of what dedup should find (duplicates, clusters) go to the
// -counts file, or to stderr.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"

	"github.com/bigmath/bigmath/ingest/synth"
)

func main() {
	n := flag.Int("n", 1000000, "rows to write")
	seed := flag.Uint64("seed", 1, "random seed (same seed, same rows)")
	exact := flag.Float64("exact", 0.10, "share of rows that are exact (formatting-only) copies")
	near := flag.Float64("near", 0.05, "share of rows that are near (reworded) copies")
	countsPath := flag.String("counts", "", "write the expected dedup counts as JSON to this file (default: stderr)")
	flag.Parse()
	if *n < 0 || *exact < 0 || *near < 0 || *exact+*near >= 1 {
		fmt.Fprintln(os.Stderr, "bigmath-gen: -n must be >= 0 and -exact + -near below 1")
		os.Exit(2)
	}
	c, err := synth.Generate(os.Stdout, synth.Options{N: *n, Seed: *seed, ExactRate: *exact, NearRate: *near})
	if err != nil {
		fmt.Fprintf(os.Stderr, "bigmath-gen: %v\n", err)
		os.Exit(1)
	}
	b, _ := json.Marshal(c)
	if *countsPath == "" {
		fmt.Fprintln(os.Stderr, string(b))
		return
	}
	if err := os.WriteFile(*countsPath, append(b, '\n'), 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "bigmath-gen: %v\n", err)
		os.Exit(1)
	}
}
