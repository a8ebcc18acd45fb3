package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"golang.org/x/sync/semaphore"

	"github.com/bigmath/bigmath/internal/parallel"
)

// streamStats counts what jsonlStream wrote.
type streamStats struct {
	lines, errors, correct int
}

// lineJob is one input line on its way through jsonlStream.
type lineJob struct {
	n       int    // line number, from 1
	data    []byte // the line without its line break
	tooLong bool   // the line was longer than the cap and was not kept
	weight  int64  // bytes held against the in-flight budget
}

// lineOut is the output of one input line.
type lineOut struct {
	out     []byte // the output line, with its line break
	correct bool
	failed  bool // out is an error line
	weight  int64
}

// jsonlStream reads JSON Lines from r, runs fn on each line on cfg.workers
// goroutines (parallel.Stream: fn must be safe for concurrent use when
// workers > 1; with one worker it is called in input order) and writes the
// outputs to w in input order. Memory is bounded by cfg.window lines and
// cfg.maxInFlight input bytes (plus one line being read). The output is
// flushed whenever no later line is ready, so that a streaming reader is
// not kept waiting. It returns the first read or write error, or the
// context's error.
func jsonlStream(ctx context.Context, r io.Reader, w io.Writer, cfg streamConfig, fn func(context.Context, *lineJob) lineOut) (streamStats, error) {
	sem := semaphore.NewWeighted(cfg.maxInFlight)
	br := bufio.NewReaderSize(r, 1<<20)
	bw := bufio.NewWriterSize(w, 1<<20)
	n := 0
	eof := false
	next := func(ctx context.Context) (*lineJob, bool, error) {
		if eof {
			return nil, false, nil
		}
		n++
		data, tooLong, err := readLine(br, cfg.maxLine)
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, false, fmt.Errorf("read input line %d: %w", n, err)
		}
		eof = errors.Is(err, io.EOF)
		if eof && len(data) == 0 && !tooLong {
			return nil, false, nil // no final line without a line break
		}
		if n == 1 {
			data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a UTF-8 byte order mark
		}
		j := &lineJob{n: n, data: data, tooLong: tooLong}
		j.weight = min(max(int64(len(data)), 1), cfg.maxInFlight)
		if err := sem.Acquire(ctx, j.weight); err != nil {
			return nil, false, fmt.Errorf("stopped before line %d: %w", n, err)
		}
		return j, true, nil
	}
	work := func(ctx context.Context, j *lineJob) lineOut {
		out := fn(ctx, j)
		out.weight = j.weight
		return out
	}
	var st streamStats
	emit := func(o lineOut, idle bool) error {
		sem.Release(o.weight)
		if _, err := bw.Write(o.out); err != nil {
			return fmt.Errorf("write output: %w", err)
		}
		st.lines++
		if o.failed {
			st.errors++
		}
		if o.correct {
			st.correct++
		}
		if idle {
			if err := bw.Flush(); err != nil {
				return fmt.Errorf("write output: %w", err)
			}
		}
		return nil
	}
	if err := parallel.Stream(ctx, cfg.workers, cfg.window, next, work, emit); err != nil {
		return st, err
	}
	if err := bw.Flush(); err != nil {
		return st, fmt.Errorf("write output: %w", err)
	}
	return st, nil
}
