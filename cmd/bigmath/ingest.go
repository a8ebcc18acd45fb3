package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/bigmath/bigmath/ingest"
)

// ingestCmd ingests sources into the database.
type ingestCmd struct {
	Sources string   `required:"" placeholder:"FILE" help:"Spec file (YAML) listing the sources, or builtin:NAME."`
	Only    []string `sep:"," placeholder:"NAME,..." help:"Ingest only these sources of the spec file."`
	JSON    bool     `help:"Print each run's report as a JSON line."`

	Workers    int    `hidden:"" help:"Workers for the per-row stages (default: GOMAXPROCS)."`
	BatchSize  int    `hidden:"" help:"Rows per write transaction (default 5000)."`
	Writers    int    `hidden:"" help:"Connections writing batches (default 2)."`
	CopyOnly   bool   `hidden:"" help:"Only COPY the raw rows into a temporary table: the baseline of the ingest benchmark."`
	CPUProfile string `hidden:"" name:"cpuprofile" type:"path" help:"Write a CPU profile to this file."`
}

// The garbage collector's settings of an ingest, unless GOGC or
// GOMEMLIMIT say otherwise: the dedup index of a million problems (their
// ids, fingerprints and texts for the confirming comparison) lives in
// memory, about 0.6 GB, and at the default GOGC=100 the collector rescans
// it after every 0.6 GB allocated, a quarter of the CPU time of an ingest.
// A lazier collector (GOGC=300) bounded by a soft limit keeps the heap
// under ingestMemoryLimit (1,000,000 synthetic rows: 108 s -> 90 s, peak
// RSS 1.76 GB). An index whose live size nears the limit makes the
// collector work harder (at most half the CPU, by the runtime's own cap):
// set GOMEMLIMIT higher for corpora of several million rows.
const (
	ingestGCPercent   = 300
	ingestMemoryLimit = 1700 << 20
)

// Run ingests the chosen sources in spec-file order.
func (c ingestCmd) Run(e *env) error {
	specs, err := c.specs()
	if err != nil {
		return err
	}
	cfg, err := loadConfig(e.getenv)
	if err != nil {
		return err
	}
	if e.getenv("GOMEMLIMIT") == "" {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(ingestMemoryLimit))
	}
	if e.getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(ingestGCPercent))
	}
	stopProfile, err := startCPUProfile(c.CPUProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	store, _, closeDB, err := e.openStore(cfg)
	if err != nil {
		return err
	}
	defer closeDB()
	unlock, err := store.LockIngest(e.ctx)
	if err != nil {
		return err
	}
	defer unlock()
	p := &ingest.Pipeline{
		Store:     store,
		Open:      ingest.OpenOptions{CacheDir: cfg.CacheDir, HFEndpoint: cfg.HFEndpoint, HFToken: cfg.HFToken, Logger: e.logger},
		Logger:    e.logger,
		Workers:   c.Workers,
		BatchSize: c.BatchSize,
		Writers:   c.Writers,
	}
	prog := &ingestProgress{e: e}
	p.Progress = prog.update
	for _, s := range specs {
		if err := c.ingestOne(e, p, prog, s); err != nil {
			return err
		}
	}
	return nil
}

// specs loads the spec file and keeps the sources --only names.
func (c ingestCmd) specs() ([]ingest.Spec, error) {
	specs, err := ingest.LoadSpecs(c.Sources)
	if err != nil {
		return nil, usageError{err}
	}
	if len(c.Only) == 0 {
		return specs, nil
	}
	var picked []ingest.Spec
	for _, name := range c.Only {
		i := slices.IndexFunc(specs, func(s ingest.Spec) bool { return s.Name == name })
		if i < 0 {
			names := make([]string, len(specs))
			for j, s := range specs {
				names[j] = s.Name
			}
			return nil, usageError{fmt.Errorf("--only: no source %q in %s (it has: %s)", name, c.Sources, strings.Join(names, ", "))}
		}
		picked = append(picked, specs[i])
	}
	return picked, nil
}

// ingestOne ingests (or, with --copy-only, bare-copies) one source and
// prints its report.
func (c ingestCmd) ingestOne(e *env, p *ingest.Pipeline, prog *ingestProgress, s ingest.Spec) error {
	prog.reset()
	if c.CopyOnly {
		n, secs, err := p.CopyBaseline(e.ctx, s)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s: copied %d rows in %.2fs (%.0f rows/s), bare COPY only\n", s.Name, n, secs, float64(n)/max(secs, 1e-9))
		return nil
	}
	rep, err := p.IngestSource(e.ctx, s)
	prog.finish()
	if err != nil {
		if errors.Is(err, e.ctx.Err()) && e.ctx.Err() != nil {
			return fmt.Errorf("ingest of %s interrupted; run the command again to complete it", s.Name)
		}
		return err
	}
	if c.JSON {
		return json.NewEncoder(e.stdout).Encode(rep)
	}
	fmt.Fprintf(e.stdout, "%s: %d rows read (%d bad), %d inserted, %d updated, %d links, %d clusters, %d cluster updates, %.2fs\n",
		rep.Source, rep.RowsRead, rep.BadRows, rep.Inserted, rep.Updated, rep.Links, rep.Resolve.Clusters, rep.Resolve.Updated, rep.Seconds)
	return nil
}

// startCPUProfile starts a CPU profile to path (none when path is empty)
// and returns the function that stops it.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// ingestProgress shows an ingest's progress: a progress bar on a
// terminal, else a log line every 5 seconds.
type ingestProgress struct {
	e     *env
	bar   *progressbar.ProgressBar
	start time.Time
	last  time.Time
}

func (g *ingestProgress) reset() { g.bar, g.start = nil, time.Now() }

func (g *ingestProgress) finish() {
	if g.bar != nil {
		g.bar.Finish()
	}
}

func (g *ingestProgress) update(source string, rows, done, total int64) {
	if !isTerminal(g.e.stderr) {
		if time.Since(g.last) < 5*time.Second {
			return
		}
		g.last = time.Now()
		g.e.logger.Info("ingest progress", "source", source, "rows", rows, "bytes_done", done, "bytes_total", total)
		return
	}
	if g.bar == nil {
		g.bar = progressbar.NewOptions64(max(total, 1), progressbar.OptionSetWriter(g.e.stderr), progressbar.OptionShowBytes(true),
			progressbar.OptionSetPredictTime(true), progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())
		g.start = time.Now()
	}
	g.bar.Describe(fmt.Sprintf("%s: %d rows, %.0f rows/s", source, rows, float64(rows)/max(time.Since(g.start).Seconds(), 1e-3)))
	g.bar.Set64(done)
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
