package verify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Kind of a parsed answer value.
type Kind string

// Kinds of answer values.
const (
	KindInteger    Kind = "integer"
	KindRational   Kind = "rational"
	KindReal       Kind = "real"
	KindComplex    Kind = "complex"
	KindInterval   Kind = "interval"
	KindSet        Kind = "set"
	KindTuple      Kind = "tuple"
	KindMatrix     Kind = "matrix"
	KindExpression Kind = "expression"
	KindEquation   Kind = "equation"
	KindInequality Kind = "inequality"
	KindText       Kind = "text"
	KindRatio      Kind = "ratio"        // a:b, equal to proportional ratios
	KindTime       Kind = "time"         // a time of day: 4:30 p.m., 16:30
	KindBase       Kind = "base_numeral" // digits in a base: 1011_2, A5_{11}
)

// Reason of a verdict.
type Reason string

// Reasons a verdict can carry.
const (
	ReasonEqual            Reason = "equal"
	ReasonNotEqual         Reason = "not_equal"
	ReasonNoAnswer         Reason = "no_answer"
	ReasonUnparsableGold   Reason = "unparsable_gold"
	ReasonUnparsableAnswer Reason = "unparsable_answer"
	ReasonBudgetExceeded   Reason = "budget_exceeded"
	ReasonInternalError    Reason = "internal_error"
)

// DefaultTimeout bounds one check when Options.Timeout is zero.
const DefaultTimeout = 50 * time.Millisecond

// Options tune one check. The zero value is the exact policy with the
// default timeout and budget.
type Options struct {
	// Timeout bounds the check; 0 means DefaultTimeout. A deadline on the
	// context also applies; the earlier one wins.
	Timeout time.Duration
	// SignificantDigits, when > 0, turns on approximate matching: two
	// numbers are equal when they agree after rounding to that many
	// significant digits (at the gold's magnitude). 0 is the exact policy.
	SignificantDigits int
	// Budget bounds input size and the work done; the zero value means
	// DefaultBudget().
	Budget Budget
}

// Budget bounds the size of inputs and of the numbers built while checking.
// A zero field takes its value from DefaultBudget.
type Budget struct {
	MaxInputLen int // bytes of one answer after trimming
	MaxNodes    int // expression nodes of one parsed answer
	MaxDigits   int // decimal digits of any exact intermediate number
	MaxExponent int // absolute value of an integer exponent or factorial argument
	MaxDepth    int // nesting depth of brackets and sub-expressions
}

// DefaultBudget returns the budget used when Options.Budget is zero.
func DefaultBudget() Budget {
	return Budget{
		MaxInputLen: 16 << 10,
		MaxNodes:    20000,
		MaxDigits:   20000,
		MaxExponent: 100000,
		MaxDepth:    600,
	}
}

func (b Budget) withDefaults() Budget {
	d := DefaultBudget()
	if b.MaxInputLen <= 0 {
		b.MaxInputLen = d.MaxInputLen
	}
	if b.MaxNodes <= 0 {
		b.MaxNodes = d.MaxNodes
	}
	if b.MaxDigits <= 0 {
		b.MaxDigits = d.MaxDigits
	}
	if b.MaxExponent <= 0 {
		b.MaxExponent = d.MaxExponent
	}
	if b.MaxDepth <= 0 {
		b.MaxDepth = d.MaxDepth
	}
	return b
}

// Verdict is the outcome of one check.
type Verdict struct {
	Correct       bool    `json:"correct"`        // the answer equals the gold
	Reward        float64 `json:"reward"`         // 1 when Correct, else 0
	Extracted     string  `json:"extracted"`      // the final answer compared (Answer: the answer, trimmed)
	Kind          Kind    `json:"kind"`           // kind of the gold value ("" when the gold is unparsable)
	GoldCanonical string  `json:"gold_canonical"` // canonical form of the gold
	PredCanonical string  `json:"pred_canonical"` // canonical form of the answer
	Reason        Reason  `json:"reason"`         // why: equal, not_equal, no_answer, ...
}

// Error is returned by Canonical when the gold cannot be used; Reason is
// ReasonUnparsableGold or ReasonBudgetExceeded.
type Error struct {
	Reason Reason
	Err    error
}

// Error returns the reason and the cause.
func (e *Error) Error() string { return string(e.Reason) + ": " + e.Err.Error() }

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// errBudget marks work stopped by the budget or the deadline.
var errBudget = errors.New("budget exceeded")

// errParse marks input the parser does not accept.
var errParse = errors.New("cannot parse")

// errUndecided marks a numeric comparison that could not be decided within
// the top precision.
var errUndecided = fmt.Errorf("numeric comparison undecided: %w", errBudget)

func reasonOf(err error, unparsable Reason) Reason {
	if errors.Is(err, errBudget) {
		return ReasonBudgetExceeded
	}
	return unparsable
}

// Answer compares an already extracted answer with the gold answer. Math
// delimiters ($...$, \(...\), \[...\]) and a \boxed{} wrapper around the whole
// answer are removed first. It never panics; a recovered panic is reported
// as ReasonInternalError.
func Answer(ctx context.Context, gold, answer string, opts Options) (v Verdict) {
	defer func() {
		if r := recover(); r != nil {
			v = Verdict{Extracted: v.Extracted, Reason: ReasonInternalError}
		}
	}()
	v.Extracted = strings.TrimSpace(answer)
	if ctx != nil && ctx.Err() != nil {
		v.Reason = ReasonBudgetExceeded
		return v
	}
	if fv, ok := fastAnswer(gold, v.Extracted); ok {
		fv.Extracted = v.Extracted
		return fv
	}
	st := newState(ctx, opts)
	g, err := st.parseGold(gold)
	if err != nil {
		v.Reason = reasonOf(err, ReasonUnparsableGold)
		// the same text is the same answer, even when we cannot read it
		if len(gold) <= st.b.MaxInputLen && stripWrappers(gold) != "" && stripWrappers(gold) == stripWrappers(v.Extracted) {
			v.Correct, v.Reward, v.Reason = true, 1, ReasonEqual
		}
		return v
	}
	v.Kind = st.kindOf(g)
	v.GoldCanonical = st.canonical(g)
	if stripWrappers(v.Extracted) == "" {
		v.Reason = ReasonNoAnswer
		return v
	}
	p, err := st.parseAnswer(v.Extracted)
	if err != nil {
		v.Reason = reasonOf(err, ReasonUnparsableAnswer)
		return v
	}
	v.PredCanonical = st.canonical(p)
	eq, err := st.equal(g, p)
	switch {
	case err != nil && errors.Is(err, errBudget):
		v.Reason = ReasonBudgetExceeded
	case eq:
		v.Correct, v.Reward, v.Reason = true, 1, ReasonEqual
	default:
		v.Reason = ReasonNotEqual
	}
	return v
}

// Canonical parses a gold answer and returns its canonical string and kind.
// Equal values get equal strings wherever the kind allows (numbers, sets,
// tuples, intervals, matrices of numbers); expressions get a normalized
// printed form. The error is an *Error with ReasonUnparsableGold or
// ReasonBudgetExceeded.
func Canonical(ctx context.Context, gold string, opts Options) (canonical string, kind Kind, err error) {
	defer func() {
		if r := recover(); r != nil {
			canonical, kind = "", ""
			err = &Error{Reason: ReasonInternalError, Err: fmt.Errorf("recovered panic: %v", r)}
		}
	}()
	st := newState(ctx, opts)
	g, perr := st.parseGold(gold)
	if perr != nil {
		return "", "", &Error{Reason: reasonOf(perr, ReasonUnparsableGold), Err: perr}
	}
	return st.canonical(g), st.kindOf(g), nil
}
