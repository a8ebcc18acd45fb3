package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/dedup"
	"github.com/bigmath/bigmath/postgres"
)

// Pipeline ingests sources into PostgreSQL. Per source:
//
//   - one reader goroutine streams rows (never a whole dataset in memory)
//     in chunks to Workers goroutines that run the per-row stages:
//     normalize (normalize.Text, gold extraction per answer_from), classify
//     (normalize.Classify), verify (verify.Canonical; verify.Answer against
//     the solution's own final answer) and the dedup fingerprint
//     (dedup.Hasher; plus dedup.OverlapIndex.Match against the stored
//     benchmarks for a corpus source);
//   - one goroutine puts the chunks back in input order and links
//     duplicates within the source (exact key, then LSH band candidates
//     confirmed with dedup.Compare), and collects candidates among the
//     stored problems of other sources;
//   - Writers connections write batches of BatchSize rows, each in one
//     transaction: COPY into a staging table and INSERT ... ON CONFLICT
//     (source_id, row_key) DO UPDATE only where raw_hash differs (a first
//     load COPYs straight into problems), with the batch's links and its
//     confirmed cross-source links;
//   - then RecheckOverlaps (when the benchmark set changed) and Resolve
//     recompute clusters, canonical members, conflicts and contamination
//     from what is stored, in one transaction.
//
// Every drop is recorded in problems.status/stage/reason and in verdicts.
// A problem's status reflects the per-row stages; being a duplicate or
// contaminated is recorded in duplicate_of / contaminated and in the dedup
// and decontaminate verdicts (bigmath stats counts kept = status kept,
// canonical and not contaminated). Rerunning an unchanged source touches no
// row; a run killed at any moment leaves whole batches behind, and the next
// run writes the rest and resolves.
type Pipeline struct {
	Store  *postgres.Store
	Open   OpenOptions
	Logger *slog.Logger
	// Workers run the per-row stages; default GOMAXPROCS.
	Workers int
	// BatchSize is the number of rows per write transaction; default 5000.
	BatchSize int
	// Writers is the number of connections writing batches; default 2.
	Writers int
	// Progress, when set, is called from one goroutine as rows go by:
	// rows written so far, and the reader's bytes done and total.
	Progress func(source string, rows, done, total int64)
}

// StageCount is the funnel of one stage in one run.
type StageCount struct {
	In      int64            `json:"in"`
	Passed  int64            `json:"passed"`
	Dropped map[string]int64 `json:"dropped,omitempty"`
	Seconds float64          `json:"seconds"`
	// RowsPerSecond is In / Seconds: the throughput of one worker thread
	// for per-row stages, of the single goroutine for read, dedup and write.
	RowsPerSecond float64 `json:"rows_per_second"`
}

// RunReport says what one source's ingest run did.
type RunReport struct {
	Source   string                 `json:"source"`
	RunID    int64                  `json:"run_id"`
	Revision string                 `json:"revision"`
	RowsRead int64                  `json:"rows_read"`
	BadRows  int64                  `json:"bad_rows"`
	Inserted int64                  `json:"inserted"`
	Updated  int64                  `json:"updated"`
	Links    int64                  `json:"links"`
	Stages   map[string]*StageCount `json:"stages"`
	Resolve  ResolveReport          `json:"resolve"`
	Seconds  float64                `json:"seconds"`
}

func (p *Pipeline) logger() *slog.Logger {
	if p.Logger != nil {
		return p.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// Ingest runs IngestSource for each spec in order, stopping at the first
// error.
func (p *Pipeline) Ingest(ctx context.Context, specs []Spec) ([]RunReport, error) {
	var reports []RunReport
	for _, s := range specs {
		rep, err := p.IngestSource(ctx, s)
		if err != nil {
			return reports, err
		}
		reports = append(reports, rep)
	}
	return reports, nil
}

// chunk is a run of consecutive rows handed to a worker.
type chunk struct {
	seq  int
	rows []Row
	keys []string
	idx  []int64
	out  []processedRow
	t    stageTimes
}

const chunkSize = 256

// IngestSource ingests one source: registers it, records an ingest run,
// streams and writes its rows, then resolves clusters. Rows already stored
// unchanged are left untouched, so a second run of the same revision
// changes nothing, and a run that was killed is completed by the next one.
// The run is recorded as failed when an error (or ctx) stops it.
func (p *Pipeline) IngestSource(ctx context.Context, s Spec) (rep RunReport, err error) {
	start := time.Now()
	log := p.logger().With("source", s.Name)
	rep = RunReport{Source: s.Name, Stages: map[string]*StageCount{}}
	r, err := Open(ctx, s, p.Open)
	if err != nil {
		return rep, fmt.Errorf("source %s: %w", s.Name, err)
	}
	defer r.Close()
	rep.Revision = r.Revision()
	specJSON, _ := json.Marshal(s)
	sourceID, err := p.Store.UpsertSource(ctx, s.Source(rep.Revision), specJSON)
	if err != nil {
		return rep, err
	}
	if rep.RunID, err = p.Store.BeginRun(ctx, sourceID, rep.Revision); err != nil {
		return rep, err
	}
	log.Info("ingest started", "run_id", rep.RunID, "revision", rep.Revision, "location", s.Location())
	defer func() {
		rep.Seconds = time.Since(start).Seconds()
		res := postgres.RunResult{Succeeded: err == nil, RowsRead: rep.RowsRead}
		res.StageCounts, _ = json.Marshal(rep.Stages)
		if err != nil {
			res.Error = err.Error()
		}
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if ferr := p.Store.FinishRun(fctx, rep.RunID, res); ferr != nil && err == nil {
			err = ferr
		}
	}()

	ix := newDedupIndex()
	t0 := time.Now()
	if err := p.Store.StoredBands(ctx, sourceID, func(id string, bands []int64) error {
		ix.addStored(id, bands)
		return nil
	}); err != nil {
		return rep, err
	}
	rep.Stages["load_index"] = &StageCount{In: int64(len(ix.storedIDs)), Seconds: time.Since(t0).Seconds()}

	if err := p.stream(ctx, r, s, sourceID, ix, &rep, log); err != nil {
		return rep, err
	}

	t2 := time.Now()
	rechecked, err := RecheckOverlaps(ctx, p.Store)
	if err != nil {
		return rep, err
	}
	rep.Stages["overlap_recheck"] = &StageCount{In: rechecked, Seconds: time.Since(t2).Seconds()}
	if rep.Resolve, err = Resolve(ctx, p.Store); err != nil {
		return rep, err
	}
	for _, st := range rep.Stages {
		if st.Seconds > 0 {
			st.RowsPerSecond = float64(st.In) / st.Seconds
		}
	}
	log.Info("ingest finished", "run_id", rep.RunID, "rows", rep.RowsRead, "inserted", rep.Inserted, "updated", rep.Updated,
		"links", rep.Links, "clusters", rep.Resolve.Clusters, "cluster_updates", rep.Resolve.Updated, "seconds", time.Since(start).Seconds())
	return rep, nil
}

// stream reads, processes, deduplicates and writes every row of r.
func (p *Pipeline) stream(ctx context.Context, r *Reader, s Spec, sourceID int64, ix *dedupIndex, rep *RunReport, log *slog.Logger) error {
	workers := p.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	batchSize := p.BatchSize
	if batchSize <= 0 {
		batchSize = 5000
	}
	sc := newStageContext(s)
	if !sc.benchmark {
		ov, err := loadOverlapIndex(ctx, p.Store)
		if err != nil {
			return err
		}
		sc.overlap = ov
	}
	hasRows, err := p.Store.HasRows(ctx, sourceID)
	if err != nil {
		return err
	}
	newBatch := func() postgres.IngestBatch {
		return postgres.IngestBatch{SourceID: sourceID, Revision: r.Revision(), License: s.License, RunID: rep.RunID, Fresh: !hasRows}
	}
	g, ctx := errgroup.WithContext(ctx)
	todo := make(chan *chunk, 2*workers)
	done := make(chan *chunk, 2*workers)
	batches := make(chan postgres.IngestBatch, 2)
	var readTime time.Duration

	// Reader: one goroutine, rows in order, keys made unique.
	g.Go(func() error {
		defer close(todo)
		seen := map[string]int{}
		c := &chunk{}
		var index int64
		send := func() error {
			select {
			case todo <- c:
			case <-ctx.Done():
				return ctx.Err()
			}
			c = &chunk{seq: c.seq + 1}
			return nil
		}
		for {
			t := time.Now()
			row, err := r.Next()
			readTime += time.Since(t)
			if err == io.EOF {
				break
			}
			var rowErr *RowError
			if errors.As(err, &rowErr) {
				rep.BadRows++
				if rep.BadRows <= 10 {
					log.Warn("skipped a bad row", "err", rowErr.Error())
				}
				continue
			}
			if err != nil {
				return fmt.Errorf("source %s: %w", s.Name, err)
			}
			key := row.Key
			if n := seen[key]; n > 0 {
				key = row.Key + "#" + strconv.Itoa(n+1)
			}
			seen[row.Key]++
			c.rows = append(c.rows, row)
			c.keys = append(c.keys, key)
			c.idx = append(c.idx, index)
			index++
			if len(c.rows) == chunkSize {
				if err := send(); err != nil {
					return err
				}
			}
		}
		rep.RowsRead = index
		if len(c.rows) > 0 {
			return send()
		}
		return nil
	})

	// Workers: the per-row stages.
	wg, wctx := errgroup.WithContext(ctx)
	for range workers {
		wg.Go(func() error {
			h := dedup.NewHasher()
			for c := range todo {
				c.out = make([]processedRow, len(c.rows))
				for i := range c.rows {
					c.out[i] = sc.process(wctx, h, c.rows[i], c.keys[i], c.idx[i], &c.t)
				}
				c.rows = nil
				select {
				case done <- c:
				case <-wctx.Done():
					return wctx.Err()
				}
			}
			return nil
		})
	}
	g.Go(func() error {
		err := wg.Wait()
		close(done)
		return err
	})

	// Dedup: in input order; batches go to the writer.
	stages := map[bigmath.Stage]*StageCount{}
	for _, st := range bigmath.Stages[:3] {
		stages[st] = &StageCount{Dropped: map[string]int64{}}
	}
	var times stageTimes
	var dedupTime time.Duration
	g.Go(func() error {
		defer close(batches)
		pendingChunks := map[int]*chunk{}
		next := 0
		batch := newBatch()
		flush := func() error {
			if len(batch.Rows) == 0 {
				return nil
			}
			if len(batch.Candidates) > 0 {
				batch.Confirm = confirmCandidates(batch.Rows)
			}
			select {
			case batches <- batch:
			case <-ctx.Done():
				return ctx.Err()
			}
			batch = newBatch()
			return nil
		}
		for c := range done {
			pendingChunks[c.seq] = c
			for {
				c, ok := pendingChunks[next]
				if !ok {
					break
				}
				delete(pendingChunks, next)
				next++
				times.normalize += c.t.normalize
				times.classify += c.t.classify
				times.verify += c.t.verify
				times.fingerprint += c.t.fingerprint
				t := time.Now()
				for i := range c.out {
					pr := &c.out[i]
					countStages(stages, pr)
					ix.add(pr, &batch)
					batch.Rows = append(batch.Rows, pr.row)
				}
				dedupTime += time.Since(t)
				if len(batch.Rows) >= batchSize {
					if err := flush(); err != nil {
						return err
					}
				}
			}
		}
		return flush()
	})

	// Writers: each on its own connection, one transaction per batch.
	// Batches are independent (links have no foreign keys), so two
	// writers keep PostgreSQL busy on both cores while a batch commits.
	writers := p.Writers
	if writers <= 0 {
		writers = 2
	}
	var mu sync.Mutex
	var writeTime time.Duration
	var written, crossIn, crossLinks int64
	for range writers {
		g.Go(func() error {
			w, err := p.Store.NewIngestWriter(ctx)
			if err != nil {
				return err
			}
			defer w.Close()
			for b := range batches {
				t := time.Now()
				res, err := w.Write(ctx, b)
				if err != nil {
					return fmt.Errorf("source %s: %w", s.Name, err)
				}
				mu.Lock()
				writeTime += time.Since(t)
				rep.Inserted += res.Inserted
				rep.Updated += res.Updated
				rep.Links += res.Links
				crossIn += int64(len(b.Candidates))
				crossLinks += res.CrossLinks
				written += int64(len(b.Rows))
				if p.Progress != nil {
					done, total := r.Size()
					p.Progress(s.Name, written, done, total)
				}
				mu.Unlock()
			}
			return nil
		})
	}
	err = g.Wait()
	rep.Stages["read"] = &StageCount{In: rep.RowsRead + rep.BadRows, Passed: rep.RowsRead, Seconds: readTime.Seconds()}
	for st, sec := range map[bigmath.Stage]time.Duration{bigmath.StageNormalize: times.normalize, bigmath.StageClassify: times.classify, bigmath.StageVerify: times.verify} {
		stages[st].Seconds = sec.Seconds()
		rep.Stages[string(st)] = stages[st]
	}
	rep.Stages["fingerprint"] = &StageCount{In: rep.RowsRead, Passed: rep.RowsRead, Seconds: times.fingerprint.Seconds()}
	rep.Stages[string(bigmath.StageDedup)] = &StageCount{In: rep.RowsRead, Passed: rep.Links, Seconds: dedupTime.Seconds()}
	rep.Stages["dedup_cross"] = &StageCount{In: crossIn, Passed: crossLinks}
	rep.Stages["write"] = &StageCount{In: written, Passed: rep.Inserted + rep.Updated, Seconds: writeTime.Seconds()}
	return err
}

// countStages adds one row's per-row stage outcomes to the counts.
func countStages(stages map[bigmath.Stage]*StageCount, pr *processedRow) {
	for _, st := range bigmath.Stages[:3] {
		c := stages[st]
		c.In++
		if pr.dropped == st {
			c.Dropped[pr.row.Reason]++
			return
		}
		c.Passed++
	}
}

// dedupIndex finds duplicate candidates for one run. This run's rows are
// indexed by exact text key and by LSH band keys; a bucket remembers its
// first member only, a row links to the first members it collides with,
// and clusters form by transitivity. The stored problems of other sources
// are indexed apart, by band key, so that the links within a source do
// not depend on what else is stored (a rerun makes the same links).
type dedupIndex struct {
	exact       map[[16]byte]int32
	bands       map[int64]int32
	ids         []string
	fps         []dedup.Fingerprint
	storedBands map[int64]int32
	storedIDs   []string
}

func newDedupIndex() *dedupIndex {
	return &dedupIndex{exact: map[[16]byte]int32{}, bands: map[int64]int32{}, storedBands: map[int64]int32{}}
}

func (ix *dedupIndex) addStored(id string, bands []int64) {
	i := int32(len(ix.storedIDs))
	ix.storedIDs = append(ix.storedIDs, id)
	for _, k := range bands {
		if _, ok := ix.storedBands[k]; !ok {
			ix.storedBands[k] = i
		}
	}
}

func orderedLink(a, b string, sim float64) postgres.Link {
	if b < a {
		a, b = b, a
	}
	return postgres.Link{A: a, B: b, Similarity: float32(sim)}
}

// add indexes one row: it appends the links it makes with earlier rows of
// the run to b.Links, and its candidates among stored problems of other
// sources to b.Candidates (confirmed by the writer if the row changed).
func (ix *dedupIndex) add(pr *processedRow, b *postgres.IngestBatch) {
	if !pr.dedup {
		return
	}
	id := pr.row.ID
	if e, ok := ix.exact[pr.exactKey]; ok {
		b.Links = append(b.Links, orderedLink(id, ix.ids[e], 1))
		return
	}
	i := int32(len(ix.ids))
	ix.ids = append(ix.ids, id)
	ix.fps = append(ix.fps, pr.fp)
	ix.exact[pr.exactKey] = i
	var seen [dedup.NumBands]int32
	n := 0
	for _, k := range pr.row.Bands {
		c, ok := ix.bands[k]
		if !ok {
			ix.bands[k] = i
		} else if !slices.Contains(seen[:n], c) {
			seen[n] = c
			n++
			if sim, ok := dedup.Compare(pr.fp, ix.fps[c], dedup.DefaultThreshold); ok {
				b.Links = append(b.Links, orderedLink(id, ix.ids[c], sim))
			}
		}
	}
	n = 0
	for _, k := range pr.row.Bands {
		if c, ok := ix.storedBands[k]; ok && !slices.Contains(seen[:n], c) {
			seen[n] = c
			n++
			b.Candidates = append(b.Candidates, postgres.Link{A: id, B: ix.storedIDs[c]})
		}
	}
}

// confirmCandidates is the writer's callback (IngestBatch.Confirm): it
// checks the candidates of the batch's changed rows against the stored
// problems' texts.
func confirmCandidates(rows []postgres.IngestRow) func(cands []postgres.Link, stored map[string]postgres.DedupText) []postgres.Link {
	return func(cands []postgres.Link, stored map[string]postgres.DedupText) []postgres.Link {
		byID := make(map[string]int, len(rows))
		for i := range rows {
			byID[rows[i].ID] = i
		}
		h := dedup.NewHasher()
		var out []postgres.Link
		for _, c := range cands {
			st, ok := stored[c.B]
			i, okA := byID[c.A]
			if !ok || !okA {
				continue
			}
			if sim, ok := dedup.Compare(h.Fingerprint(rows[i].ProblemNorm), h.Fingerprint(st.Norm), dedup.DefaultThreshold); ok {
				out = append(out, orderedLink(c.A, c.B, sim))
			}
		}
		return out
	}
}

// CopyBaseline reads every row of a source and only COPYs its key and raw
// bytes into a temporary table, in batches: the baseline an ingest run's
// speed is compared with. It returns the rows copied and the seconds taken.
func (p *Pipeline) CopyBaseline(ctx context.Context, s Spec) (int64, float64, error) {
	start := time.Now()
	r, err := Open(ctx, s, p.Open)
	if err != nil {
		return 0, 0, fmt.Errorf("source %s: %w", s.Name, err)
	}
	defer r.Close()
	w, err := p.Store.NewIngestWriter(ctx)
	if err != nil {
		return 0, 0, err
	}
	defer w.Close()
	batchSize := p.BatchSize
	if batchSize <= 0 {
		batchSize = 5000
	}
	var n int64
	var keys []string
	var raws [][]byte
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		var rowErr *RowError
		if errors.As(err, &rowErr) {
			continue
		}
		if err != nil {
			return n, 0, fmt.Errorf("source %s: %w", s.Name, err)
		}
		keys = append(keys, row.Key)
		raws = append(raws, row.Raw)
		if len(keys) == batchSize {
			if err := w.CopyRaw(ctx, keys, raws); err != nil {
				return n, 0, err
			}
			n += int64(len(keys))
			keys, raws = keys[:0], raws[:0]
		}
	}
	if len(keys) > 0 {
		if err := w.CopyRaw(ctx, keys, raws); err != nil {
			return n, 0, err
		}
		n += int64(len(keys))
	}
	return n, time.Since(start).Seconds(), nil
}

// overlapStateKey is the ingest_state key of the fingerprint of the
// benchmark set that problems.overlaps was last computed against.
const overlapStateKey = "benchmark_overlaps"

// loadOverlapIndex builds an OverlapIndex of every stored benchmark
// problem, or returns nil when there are none.
func loadOverlapIndex(ctx context.Context, store *postgres.Store) (*dedup.OverlapIndex, error) {
	ov, err := dedup.NewOverlapIndex(dedup.OverlapOptions{})
	if err != nil {
		return nil, err
	}
	if err := store.BenchmarkTexts(ctx, func(name, norm string) error {
		ov.Add(name, norm)
		return nil
	}); err != nil {
		return nil, err
	}
	if ov.Len() == 0 {
		return nil, nil
	}
	ov.Build()
	return ov, nil
}

// RecheckOverlaps recomputes the benchmark overlaps of every corpus
// problem when the set of stored benchmark problems changed since they
// were last computed (a benchmark ingested after the corpus), and returns
// how many problems it checked (0 when nothing changed). The new overlaps
// and the fingerprint of the benchmark set are written in one transaction,
// so an interrupted recheck is redone by the next run.
func RecheckOverlaps(ctx context.Context, store *postgres.Store) (int64, error) {
	fp, err := store.BenchmarkFingerprint(ctx)
	if err != nil {
		return 0, err
	}
	last, err := store.IngestState(ctx, overlapStateKey)
	if err != nil {
		return 0, err
	}
	if fp == last {
		return 0, nil
	}
	ov, err := loadOverlapIndex(ctx, store)
	if err != nil {
		return 0, err
	}
	var n int64
	var updates []postgres.OverlapUpdate
	err = store.CorpusTexts(ctx, func(id, norm string, stored []string) error {
		n++
		var m []string
		if ov != nil && norm != "" {
			m = ov.Match(norm)
		}
		if !slices.Equal(m, stored) {
			updates = append(updates, postgres.OverlapUpdate{ID: id, Overlaps: m})
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	return n, store.SetOverlaps(ctx, updates, overlapStateKey, fp)
}
