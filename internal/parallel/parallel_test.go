package parallel

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestMapRunsEveryItem(t *testing.T) {
	for _, tc := range []struct{ workers, n int }{{1, 0}, {1, 5}, {4, 1}, {4, 1000}, {0, 10}} {
		out := make([]int, tc.n)
		if err := Map(context.Background(), tc.workers, tc.n, func(_ context.Context, i int) { out[i] = i * i }); err != nil {
			t.Fatalf("Map(%d, %d): %v", tc.workers, tc.n, err)
		}
		for i, v := range out {
			if v != i*i {
				t.Fatalf("Map(%d, %d): out[%d] = %d", tc.workers, tc.n, i, v)
			}
		}
	}
}

func TestMapStopsStartingOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var ran atomic.Int64
	err := Map(ctx, 2, 1000, func(_ context.Context, i int) {
		if ran.Add(1) == 10 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := ran.Load(); n < 10 || n > 12 {
		t.Fatalf("%d items ran after a cancel at the 10th, want 10 to 12 (two workers)", n)
	}
}

// counter yields 0, 1, ..., n-1.
func counter(n int) func(context.Context) (int, bool, error) {
	i := 0
	return func(context.Context) (int, bool, error) {
		if i == n {
			return 0, false, nil
		}
		i++
		return i - 1, true, nil
	}
}

func TestStreamKeepsOrder(t *testing.T) {
	var got []int
	err := Stream(context.Background(), 4, 16, counter(2000),
		func(_ context.Context, x int) int {
			if x%7 == 0 {
				time.Sleep(50 * time.Microsecond) // finish out of order
			}
			return 2 * x
		},
		func(r int, _ bool) error { got = append(got, r); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2000 {
		t.Fatalf("%d results, want 2000", len(got))
	}
	for i, r := range got {
		if r != 2*i {
			t.Fatalf("result %d = %d, want %d", i, r, 2*i)
		}
	}
}

func TestStreamStopsAtFirstError(t *testing.T) {
	boom := errors.New("boom")
	var started atomic.Int64
	var emitted int
	err := Stream(context.Background(), 2, 4, counter(1_000_000),
		func(_ context.Context, x int) int { started.Add(1); return x },
		func(r int, _ bool) error {
			emitted++
			if r == 100 {
				return boom
			}
			return nil
		})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if emitted != 101 {
		t.Fatalf("%d results emitted, want 101 (none after the error)", emitted)
	}
	if n := started.Load(); n > 101+4+2 {
		t.Fatalf("%d items started, want at most the window past the error", n)
	}

	readErr := errors.New("bad line")
	i := 0
	err = Stream(context.Background(), 2, 4,
		func(context.Context) (int, bool, error) {
			if i == 50 {
				return 0, false, readErr
			}
			i++
			return i, true, nil
		},
		func(_ context.Context, x int) int { return x },
		func(int, bool) error { return nil })
	if !errors.Is(err, readErr) {
		t.Fatalf("err = %v, want the read error", err)
	}
}

func TestStreamCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err := Stream(ctx, 2, 8, counter(1_000_000),
		func(_ context.Context, x int) int { return x },
		func(int, bool) error {
			n++
			if n == 10 {
				cancel()
			}
			return nil
		})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n != 10 {
		t.Fatalf("%d results after a cancel at the 10th, want 10", n)
	}
}
