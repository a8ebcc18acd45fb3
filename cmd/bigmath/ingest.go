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
	"github.com/bigmath/bigmath/postgres"
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

// ingestMemoryLimit is the soft memory limit of an ingest (unless
// GOMEMLIMIT is set): the dedup index of a few million problems lives in
// memory, and the garbage collector would otherwise let the heap grow to
// twice its live size.
const ingestMemoryLimit = 1 << 30

// Run ingests the chosen sources in spec-file order.
func (c ingestCmd) Run(e *env) error {
	specs, err := ingest.LoadSpecs(c.Sources)
	if err != nil {
		return usageError{err}
	}
	if len(c.Only) > 0 {
		var picked []ingest.Spec
		for _, name := range c.Only {
			i := slices.IndexFunc(specs, func(s ingest.Spec) bool { return s.Name == name })
			if i < 0 {
				names := make([]string, len(specs))
				for j, s := range specs {
					names[j] = s.Name
				}
				return usageError{fmt.Errorf("--only: no source %q in %s (it has: %s)", name, c.Sources, strings.Join(names, ", "))}
			}
			picked = append(picked, specs[i])
		}
		specs = picked
	}
	cfg, err := loadConfig(e.getenv)
	if err != nil {
		return err
	}
	if e.getenv("GOMEMLIMIT") == "" {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(ingestMemoryLimit))
	}
	if c.CPUProfile != "" {
		f, err := os.Create(c.CPUProfile)
		if err != nil {
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fmt.Errorf("--cpuprofile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	pool, closeDB, err := e.openDB(cfg)
	if err != nil {
		return err
	}
	defer closeDB()
	if _, err := postgresMigrate(e, pool); err != nil {
		return err
	}
	store := postgres.NewStore(pool)
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
	var bar *progressbar.ProgressBar
	start := time.Now()
	if isTerminal(e.stderr) {
		p.Progress = func(source string, rows, done, total int64) {
			if bar == nil {
				bar = progressbar.NewOptions64(max(total, 1), progressbar.OptionSetWriter(e.stderr), progressbar.OptionShowBytes(true),
					progressbar.OptionSetPredictTime(true), progressbar.OptionThrottle(200*time.Millisecond), progressbar.OptionClearOnFinish())
				start = time.Now()
			}
			bar.Describe(fmt.Sprintf("%s: %d rows, %.0f rows/s", source, rows, float64(rows)/max(time.Since(start).Seconds(), 1e-3)))
			bar.Set64(done)
		}
	} else {
		last := time.Now()
		p.Progress = func(source string, rows, done, total int64) {
			if time.Since(last) < 5*time.Second {
				return
			}
			last = time.Now()
			e.logger.Info("ingest progress", "source", source, "rows", rows, "bytes_done", done, "bytes_total", total)
		}
	}
	for _, s := range specs {
		bar, start = nil, time.Now()
		if c.CopyOnly {
			n, secs, err := p.CopyBaseline(e.ctx, s)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%s: copied %d rows in %.2fs (%.0f rows/s), bare COPY only\n", s.Name, n, secs, float64(n)/max(secs, 1e-9))
			continue
		}
		rep, err := p.IngestSource(e.ctx, s)
		if bar != nil {
			bar.Finish()
		}
		if err != nil {
			if errors.Is(err, e.ctx.Err()) && e.ctx.Err() != nil {
				return fmt.Errorf("ingest of %s interrupted; run the command again to complete it", s.Name)
			}
			return err
		}
		if c.JSON {
			if err := json.NewEncoder(e.stdout).Encode(rep); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintf(e.stdout, "%s: %d rows read (%d bad), %d inserted, %d updated, %d links, %d clusters, %d cluster updates, %.2fs\n",
			rep.Source, rep.RowsRead, rep.BadRows, rep.Inserted, rep.Updated, rep.Links, rep.Resolve.Clusters, rep.Resolve.Updated, rep.Seconds)
	}
	return nil
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
