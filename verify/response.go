package verify

import (
	"context"
	"errors"

	"github.com/bigmath/bigmath/verify/internal/extract"
)

// maxAlternatives bounds how many boxed alternatives Response compares with
// each other; a response offering more has no answer.
const maxAlternatives = 8

// Response extracts the final answer from a model response (see Extract for
// the rules), then compares it with the gold answer as Answer does; the
// verdict's Extracted is the extracted answer.
//
// The gold is judged first: when it cannot be used the reason is
// unparsable_gold (or budget_exceeded), whatever the response says, so that a
// broken gold row shows up as such instead of hiding among no_answer
// verdicts. When the response has no final answer (nothing found, truncated,
// several different final candidates) the reason is no_answer, the reward 0,
// and Kind and GoldCanonical still describe the gold. An empty extraction is
// never correct, not even against an empty gold.
//
// Boxed alternatives joined by "or" or "=" (\boxed{x+11} or \boxed{11+x}) are
// accepted when every one of them is equal in value to the first, which is
// then graded; otherwise they are several different candidates: no_answer.
//
// Response never panics; a recovered panic is reported as
// ReasonInternalError.
func Response(ctx context.Context, gold, response string, opts Options) (v Verdict) {
	defer func() {
		if r := recover(); r != nil {
			v = Verdict{Extracted: v.Extracted, Reason: ReasonInternalError}
		}
	}()
	answer, alts := extract.Final(response)
	if answer == "" && len(alts) > 1 {
		answer = sameValue(ctx, alts, opts)
	}
	if answer == "" {
		return noAnswer(ctx, gold, opts)
	}
	v = Answer(ctx, gold, answer, opts)
	v.Extracted = answer
	return v
}

// noAnswer is the verdict for a response without a final answer: no_answer
// with the gold's kind and canonical form, or the gold's own problem when the
// gold cannot be used.
func noAnswer(ctx context.Context, gold string, opts Options) Verdict {
	canonical, kind, err := Canonical(ctx, gold, opts)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return Verdict{Reason: e.Reason}
		}
		return Verdict{Reason: ReasonInternalError}
	}
	return Verdict{Kind: kind, GoldCanonical: canonical, Reason: ReasonNoAnswer}
}

// sameValue returns alts[0] when every alternative equals it in value, and ""
// otherwise (or when there are more than maxAlternatives).
func sameValue(ctx context.Context, alts []string, opts Options) string {
	if len(alts) > maxAlternatives {
		return ""
	}
	for _, a := range alts[1:] {
		if v := Answer(ctx, alts[0], a, opts); !v.Correct {
			return ""
		}
	}
	return alts[0]
}
