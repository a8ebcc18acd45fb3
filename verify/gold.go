package verify

import (
	"context"
	"errors"
	"strings"

	"github.com/bigmath/bigmath/verify/internal/extract"
)

// parseGold parses a gold answer. A gold that is not a bare value is reduced
// to its answer first (see goldAnswer); the reduced text is parsed only when
// it differs from the gold.
func (st *state) parseGold(gold string) (*node, error) {
	if a, ok := st.goldAnswer(gold); ok {
		return st.parseAnswer(a)
	}
	n, err := st.parseAnswer(gold)
	if err == nil || errors.Is(err, errBudget) {
		return n, err
	}
	if a, alts := extract.Final(gold); a != "" && len(alts) == 0 && a != strings.TrimSpace(gold) {
		if n2, err2 := st.parseAnswer(a); err2 == nil {
			return n2, nil
		}
	}
	return n, err
}

// goldAnswer reduces a gold that holds a box to the answer its solution text
// states (GoldFromSolution without a problem: several different boxes are
// one answer only when they form the final box group), within the check's
// own deadline. ok=false when the gold has no box, or when the box does not
// decide.
func (st *state) goldAnswer(gold string) (string, bool) {
	if !strings.Contains(gold, `\boxed`) && !strings.Contains(gold, `\fbox`) {
		return "", false
	}
	ctx := st.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithDeadline(ctx, st.deadline)
	defer cancel()
	a, status := goldFromSolution(ctx, "", gold, Options{Budget: st.b})
	return a, status == GoldFound
}
