// Package parallel runs work on a few goroutines and hands the results back
// in input order: the ingest pipeline's stages, the bigmath verify,
// classify and dedup commands, and the batch rewarder all use it.
//
// # Cancellation
//
// There is one rule. When the context is done, or a step returns an error,
// no new item starts; items already started run to their end (their
// function sees the cancelled context and should return early); results
// not yet handed back are dropped; and the call returns the first error
// (the context's own when it was cancelled) once every goroutine it
// started has ended. Nothing is left running behind a returned call.
package parallel

import (
	"context"
	"sync"
)

// Map calls fn(ctx, i) for every i in [0, n) on up to workers goroutines
// and returns when all calls have ended. When ctx is done, items not yet
// started are not run (see the package doc), and Map returns ctx.Err().
// fn writes its result itself, typically into element i of a slice.
func Map(ctx context.Context, workers, n int, fn func(ctx context.Context, i int)) error {
	workers = max(1, min(workers, n))
	var mu sync.Mutex
	next := 0
	take := func() (int, bool) {
		mu.Lock()
		defer mu.Unlock()
		if next >= n || ctx.Err() != nil {
			return 0, false
		}
		next++
		return next - 1, true
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i, ok := take()
				if !ok {
					return
				}
				fn(ctx, i)
			}
		})
	}
	wg.Wait()
	if next < n {
		return ctx.Err()
	}
	return nil
}

// Stream calls fn on each item that next produces, on up to workers
// goroutines with at most window items between next and emit, and calls
// emit with the results from one goroutine, in the order next produced the
// items. next reports ok false at the end of its input. idle tells emit
// that no later result is ready yet (a writer may flush then).
//
// Stream returns the first error of next or emit, or ctx's error; see the
// package doc for what stops then.
func Stream[T, R any](ctx context.Context, workers, window int,
	next func(ctx context.Context) (item T, ok bool, err error),
	fn func(ctx context.Context, item T) R,
	emit func(result R, idle bool) error,
) error {
	workers = max(1, workers)
	window = max(window, workers)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	type job struct {
		item T
		out  R
		done chan struct{}
	}
	jobs := make(chan *job, workers)
	order := make(chan *job, window)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for j := range jobs {
				j.out = fn(ctx, j.item)
				close(j.done)
			}
		})
	}
	var readErr error
	wg.Go(func() {
		defer close(jobs)
		defer close(order)
		for {
			item, ok, err := next(ctx)
			if err != nil {
				readErr = err
				cancel(err)
				return
			}
			if !ok {
				return
			}
			j := &job{item: item, done: make(chan struct{})}
			select {
			case order <- j: // first: the order channel bounds the window
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- j:
			case <-ctx.Done():
				close(j.done) // never started: its result is dropped
				return
			}
		}
	})
	var emitErr error
	for j := range order {
		<-j.done
		if emitErr != nil || ctx.Err() != nil {
			continue // drain, so that the reader and the workers end
		}
		if err := emit(j.out, len(order) == 0); err != nil {
			emitErr = err
			cancel(err)
		}
	}
	wg.Wait()
	switch {
	case emitErr != nil:
		return emitErr
	case readErr != nil:
		return readErr
	}
	return context.Cause(ctx)
}
