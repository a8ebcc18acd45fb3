package verify

import (
	"context"
	"errors"
	"strings"

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
// An answer stated as an option letter with the option's content ("(c)
// $\theta^{-1}$", "C. 5") is graded as that letter when the gold is an
// option letter ((c), C, \text{(C)}).
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
	if !v.Correct && (v.Reason == ReasonNotEqual || v.Reason == ReasonUnparsableAnswer) {
		if head, ok := answerHead(gold, answer); ok {
			w := Answer(ctx, gold, head, opts)
			if w.Correct {
				w.Extracted = answer
				return w
			}
		}
	}
	return v
}

// answerHead returns the option letter of a stated answer that carries the
// option's content after its letter ("(c) $\theta^{-1}$", "C. 5"), when the
// gold is an option letter ((c), C, \text{(C)}) and names the same letter
// (compared case-insensitively): the answer then states the gold's option.
// ok=false otherwise.
func answerHead(gold, answer string) (string, bool) {
	g, ok := optionLetter(stripWrappers(gold))
	if !ok {
		return "", false
	}
	p, rest, ok := optionPrefix(answer)
	if !ok || rest == "" || !strings.EqualFold(p, g) {
		return "", false
	}
	return gold, true
}

// optionLetter reports whether s is an option label, a single letter A-E
// alone or in parentheses ("c", "(C)"), and returns the letter.
func optionLetter(s string) (string, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(s, ".")
	if len(s) == 3 && s[0] == '(' && s[2] == ')' {
		s = s[1:2]
	}
	if len(s) == 1 && (s[0]|0x20) >= 'a' && (s[0]|0x20) <= 'e' {
		return s, true
	}
	return "", false
}

// optionPrefix reads an option label at the start of an answer: "(c) ...",
// "c) ...", "C. ...", "C: ..."; rest is the text after it.
func optionPrefix(a string) (letter, rest string, ok bool) {
	a = strings.TrimSpace(a)
	var n int
	switch {
	case len(a) >= 3 && a[0] == '(' && a[2] == ')':
		letter, n = a[1:2], 3
	case len(a) >= 2 && (a[1] == ')' || a[1] == '.' || a[1] == ':'):
		letter, n = a[:1], 2
	default:
		return "", "", false
	}
	if _, ok := optionLetter(letter); !ok || n < len(a) && a[n] != ' ' {
		return "", "", false
	}
	return letter, strings.TrimSpace(a[n:]), true
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
