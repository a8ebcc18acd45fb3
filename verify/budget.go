package verify

import (
	"context"
	"math/big"
	"math/rand/v2"
	"time"
)

// state carries the limits of one check: the budget, the deadline and a
// step counter. It is created per call and never shared between goroutines.
type state struct {
	ctx      context.Context
	deadline time.Time
	b        Budget
	sig      int
	steps    int
	nodes    int
	stopped  bool
	pi       *big.Float
	sc       []scEntry
	ln2Cache map[uint]*big.Float
	rng      *rand.Rand // sample points, seeded from crypto/rand on first use
}

func newState(ctx context.Context, opts Options) *state {
	if ctx == nil {
		ctx = context.Background()
	}
	t := opts.Timeout
	if t <= 0 {
		t = DefaultTimeout
	}
	d := time.Now().Add(t)
	if cd, ok := ctx.Deadline(); ok && cd.Before(d) {
		d = cd
	}
	return &state{ctx: ctx, deadline: d, b: opts.Budget.withDefaults(), sig: opts.SignificantDigits}
}

// tick counts one unit of work and reports errBudget once the deadline has
// passed or the context is done. The clock is read every 64 ticks.
func (s *state) tick() error {
	if s.stopped {
		return errBudget
	}
	s.steps++
	if s.steps&63 != 0 {
		return nil
	}
	return s.checkTime()
}

// checkTime reads the clock now.
func (s *state) checkTime() error {
	if s.stopped {
		return errBudget
	}
	if s.ctx.Err() != nil || time.Now().After(s.deadline) {
		s.stopped = true
		return errBudget
	}
	return nil
}

// bitsOK reports whether a number of the given bit length fits MaxDigits.
func (s *state) bitsOK(bits int) bool {
	// 3.33 bits per decimal digit, rounded up.
	return bits <= s.b.MaxDigits*10/3+64
}

// scEntry memoizes sin and cos of one ball at one precision (tan y and
// sec y of the same y are common in one check).
type scEntry struct {
	prec     uint
	m, r     *big.Float
	sin, cos ball
}
