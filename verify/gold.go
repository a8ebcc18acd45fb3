package verify

import (
	"context"
	"errors"
	"strings"

	"github.com/bigmath/bigmath/verify/internal/extract"
)

// parseGold parses a gold answer. A gold holding a box is reduced to the
// answer its boxes state (see goldAnswer); a gold without a box that does not
// parse is retried on the final answer extraction finds in it ("$5$.", "The
// answer is 5.", a solution ending in a concluding sentence).
func (st *state) parseGold(gold string) (*node, error) {
	boxed := strings.Contains(gold, `\boxed`) || strings.Contains(gold, `\fbox`)
	if boxed {
		if a, ok := st.goldAnswer(gold); ok {
			return st.parseAnswer(a)
		}
	}
	n, err := st.parseAnswer(gold)
	if err == nil || errors.Is(err, errBudget) || boxed {
		// A gold whose boxes do not decide stays as it is: reading its
		// last box, as a reward check would, could pick a wrong one.
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
// own deadline. ok=false when the boxes do not decide.
func (st *state) goldAnswer(gold string) (string, bool) {
	ctx := st.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithDeadline(ctx, st.deadline)
	defer cancel()
	a, status := goldFromSolution(ctx, "", gold, Options{Budget: st.b})
	return a, status == GoldFound
}
