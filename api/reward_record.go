package api

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bigmath/bigmath"
)

// AttemptWriter stores attempts: it inserts them and adds them to the
// problems' attempt and correct counters, all or nothing.
type AttemptWriter interface {
	RecordAttempts(ctx context.Context, attempts []bigmath.Attempt) error
}

// RecorderOptions tune a Recorder; zero fields take the defaults.
type RecorderOptions struct {
	QueueSize     int           // attempts waiting to be written; default 100,000
	BatchSize     int           // attempts per write; default 1,000
	FlushInterval time.Duration // longest wait before a partial batch is written; default 1 s
	WriteTimeout  time.Duration // bound of one write; default 10 s
	Logger        *slog.Logger
}

// RecorderStats counts what a Recorder did.
type RecorderStats struct {
	Queued  int64 // waiting in the queue now
	Dropped int64 // refused because the queue was full or the recorder closed
	Written int64 // written to the database
	Failed  int64 // lost because a write failed
}

// Recorder stores reward outcomes asynchronously: Record puts an attempt in
// a bounded queue without ever blocking (a full queue drops it and counts
// the drop), and a background flusher writes the queue in batches. Start it
// with Start and stop it with Close, which writes what is still queued.
type Recorder struct {
	w    AttemptWriter
	opt  RecorderOptions
	ch   chan bigmath.Attempt
	mu   sync.RWMutex // guards closed against Record racing Close
	done chan struct{}

	closed  bool
	started atomic.Bool
	dropped atomic.Int64
	written atomic.Int64
	failed  atomic.Int64
}

// NewRecorder returns a Recorder writing to w.
func NewRecorder(w AttemptWriter, opt RecorderOptions) *Recorder {
	if opt.QueueSize <= 0 {
		opt.QueueSize = 100000
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = 1000
	}
	if opt.FlushInterval <= 0 {
		opt.FlushInterval = time.Second
	}
	if opt.WriteTimeout <= 0 {
		opt.WriteTimeout = 10 * time.Second
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	return &Recorder{w: w, opt: opt, ch: make(chan bigmath.Attempt, opt.QueueSize), done: make(chan struct{})}
}

// Start launches the background flusher. It is called once.
func (r *Recorder) Start() {
	if r.started.Swap(true) {
		return
	}
	go r.run()
}

// Record queues a for writing. It never blocks: it returns false, and
// counts a drop, when the queue is full or the recorder is closed.
func (r *Recorder) Record(a bigmath.Attempt) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.closed {
		r.dropped.Add(1)
		return false
	}
	select {
	case r.ch <- a:
		return true
	default:
		r.dropped.Add(1)
		return false
	}
}

// Stats returns the recorder's counters.
func (r *Recorder) Stats() RecorderStats {
	return RecorderStats{
		Queued:  int64(len(r.ch)),
		Dropped: r.dropped.Load(),
		Written: r.written.Load(),
		Failed:  r.failed.Load(),
	}
}

// Close stops accepting attempts, writes those still queued and waits for
// the flusher until ctx ends. It returns ctx's error when the queue could
// not be written in time. Close on a recorder never started writes nothing.
func (r *Recorder) Close(ctx context.Context) error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return nil
	}
	r.closed = true
	close(r.ch)
	r.mu.Unlock()
	if !r.started.Load() {
		return nil
	}
	select {
	case <-r.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (r *Recorder) run() {
	defer close(r.done)
	batch := make([]bigmath.Attempt, 0, r.opt.BatchSize)
	tick := time.NewTicker(r.opt.FlushInterval)
	defer tick.Stop()
	for {
		select {
		case a, ok := <-r.ch:
			if !ok {
				r.flush(batch, true)
				return
			}
			batch = append(batch, a)
			if len(batch) >= r.opt.BatchSize {
				r.flush(batch, false)
				batch = batch[:0]
			}
		case <-tick.C:
			if len(batch) > 0 {
				r.flush(batch, false)
				batch = batch[:0]
			}
		}
	}
}

// flush writes one batch, retrying a failed write twice (once when
// closing), then gives the batch up and counts it as failed.
func (r *Recorder) flush(batch []bigmath.Attempt, closing bool) {
	if len(batch) == 0 {
		return
	}
	tries := 3
	if closing {
		tries = 1
	}
	var err error
	for i := 0; i < tries; i++ {
		if i > 0 {
			time.Sleep(time.Duration(i) * 500 * time.Millisecond)
		}
		ctx, cancel := context.WithTimeout(context.Background(), r.opt.WriteTimeout)
		err = r.w.RecordAttempts(ctx, batch)
		cancel()
		if err == nil {
			r.written.Add(int64(len(batch)))
			return
		}
		if errors.Is(err, context.Canceled) {
			break
		}
	}
	r.failed.Add(int64(len(batch)))
	r.opt.Logger.Error("record attempts", "count", len(batch), "err", err)
}
