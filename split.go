package bigmath

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"time"
)

// Part names one part of a split.
type Part string

// Split parts, in the order of the hash ranges they take (see
// Fractions.PartOfHash).
const (
	PartTrain      Part = "train"
	PartValidation Part = "validation"
	PartTest       Part = "test"
)

// Parts lists the parts of a split in order.
var Parts = []Part{PartTrain, PartValidation, PartTest}

// Valid reports whether p is a known part.
func (p Part) Valid() bool { return p == PartTrain || p == PartValidation || p == PartTest }

// Filter statuses: besides the problem statuses, "all" selects every problem.
const (
	// FilterAll selects problems whatever their status.
	FilterAll = "all"
)

// Derived-problem filter values (ProblemFilter.Derived).
const (
	// DerivedInclude (or "") keeps derived problems with the others.
	DerivedInclude = "include"
	// DerivedExclude leaves derived problems out.
	DerivedExclude = "exclude"
	// DerivedOnly keeps only derived problems.
	DerivedOnly = "only"
)

// ProblemFilter selects problems. The zero value selects the kept problems
// (status kept and not a duplicate of another problem) that overlap no
// benchmark. The JSON form is the one a split stores and the one
// POST /v1/splits takes; its fields have the names of GET /v1/problems'
// query parameters.
type ProblemFilter struct {
	// Sources, Domains and Kinds keep problems whose source name, domain or
	// answer kind is one of the listed values; an empty list keeps all.
	Sources []string `json:"source,omitempty"`
	Domains []string `json:"domain,omitempty"`
	Kinds   []string `json:"kind,omitempty"`
	// MinDifficulty and MaxDifficulty bound the difficulty (inclusive);
	// problems without a difficulty never satisfy a bound.
	MinDifficulty *float64 `json:"min_difficulty,omitempty"`
	MaxDifficulty *float64 `json:"max_difficulty,omitempty"`
	// MinPassRate and MaxPassRate bound correct/attempts over the recorded
	// reward attempts (inclusive); problems with no recorded attempt have no
	// pass rate and never satisfy a bound.
	MinPassRate *float64 `json:"min_pass_rate,omitempty"`
	MaxPassRate *float64 `json:"max_pass_rate,omitempty"`
	// Status is kept (the default when empty), dropped, pending or all.
	// Kept means status kept and not a duplicate; dropped includes the
	// non-canonical members of duplicate clusters.
	Status string `json:"status,omitempty"`
	// IncludeContaminated keeps problems that overlap a benchmark; by
	// default they are left out.
	IncludeContaminated bool `json:"include_contaminated,omitempty"`
	// Q keeps problems whose text has every word of Q (runs of letters
	// and digits, lower-cased, not stemmed, no stop words: see
	// SearchWords), and listings rank them (SearchRank). A Q with no
	// letter or digit is matched literally, as a substring, ignoring case.
	Q string `json:"q,omitempty"`
	// Derived says what to do with problems derived from others (recovered
	// multiple-choice problems): include them (the default, "" or
	// "include"), "exclude" them, or take "only" them.
	Derived string `json:"derived,omitempty"`
}

// ProblemCursor is where a page of problems starts: after the problem ID
// (from the start when ID is ""), and, in listings ranked by a search,
// after Rank: pages are ordered by rank (highest first), then id.
type ProblemCursor struct {
	Rank float32
	ID   string
}

// MaxQueryLength bounds ProblemFilter.Q in bytes.
const MaxQueryLength = 500

// Validate checks the filter and returns a *ValidationError naming the
// field (by its JSON name) that is wrong.
func (f ProblemFilter) Validate() error {
	switch f.Status {
	case "", string(StatusKept), string(StatusDropped), string(StatusPending), FilterAll:
	default:
		return &ValidationError{Field: "status", Reason: fmt.Sprintf("must be kept, dropped, pending or all, not %q", f.Status)}
	}
	switch f.Derived {
	case "", DerivedInclude, DerivedExclude, DerivedOnly:
	default:
		return &ValidationError{Field: "derived", Reason: fmt.Sprintf("must be include, exclude or only, not %q", f.Derived)}
	}
	for _, b := range []struct {
		name string
		v    *float64
	}{
		{"min_difficulty", f.MinDifficulty}, {"max_difficulty", f.MaxDifficulty},
		{"min_pass_rate", f.MinPassRate}, {"max_pass_rate", f.MaxPassRate},
	} {
		if b.v != nil && (math.IsNaN(*b.v) || math.IsInf(*b.v, 0)) {
			return &ValidationError{Field: b.name, Reason: "must be a finite number"}
		}
	}
	for _, b := range []struct {
		name string
		v    *float64
	}{{"min_pass_rate", f.MinPassRate}, {"max_pass_rate", f.MaxPassRate}} {
		if b.v != nil && (*b.v < 0 || *b.v > 1) {
			return &ValidationError{Field: b.name, Reason: "must be between 0 and 1"}
		}
	}
	if f.MinDifficulty != nil && f.MaxDifficulty != nil && *f.MinDifficulty > *f.MaxDifficulty {
		return &ValidationError{Field: "min_difficulty", Reason: "must not exceed max_difficulty"}
	}
	if f.MinPassRate != nil && f.MaxPassRate != nil && *f.MinPassRate > *f.MaxPassRate {
		return &ValidationError{Field: "min_pass_rate", Reason: "must not exceed max_pass_rate"}
	}
	if len(f.Q) > MaxQueryLength {
		return &ValidationError{Field: "q", Reason: fmt.Sprintf("must be at most %d bytes", MaxQueryLength)}
	}
	for _, l := range []struct {
		name string
		v    []string
	}{{"source", f.Sources}, {"domain", f.Domains}, {"kind", f.Kinds}} {
		if len(l.v) > 100 {
			return &ValidationError{Field: l.name, Reason: "at most 100 values"}
		}
	}
	return nil
}

// Fractions says which share of the problems goes to each part.
type Fractions struct {
	Train      float64 `json:"train"`
	Validation float64 `json:"validation"`
	Test       float64 `json:"test"`
}

// Validate checks that every fraction is in [0, 1] and that they sum to 1
// (within 1e-9), and returns a *ValidationError naming the field otherwise.
func (f Fractions) Validate() error {
	for _, x := range []struct {
		name string
		v    float64
	}{{"fractions.train", f.Train}, {"fractions.validation", f.Validation}, {"fractions.test", f.Test}} {
		if math.IsNaN(x.v) || x.v < 0 || x.v > 1 {
			return &ValidationError{Field: x.name, Reason: "must be between 0 and 1"}
		}
	}
	if sum := f.Train + f.Validation + f.Test; math.Abs(sum-1) > 1e-9 {
		return &ValidationError{Field: "fractions", Reason: fmt.Sprintf("must sum to 1, not %g", sum)}
	}
	return nil
}

// Stratification choices of a split.
const (
	StratifyNone       = ""
	StratifySource     = "source"
	StratifyDifficulty = "difficulty"
)

// Split is a named, saved selection of problems with a deterministic
// partition into train, validation and test.
//
// A problem's part is a function of its id and the seed alone:
// h = hashtextextended(problem id, seed), PostgreSQL's seeded 64-bit text
// hash (hash partitioning stores its results, so in practice it does not
// change between versions; it is the same on every little-endian machine),
// mapped to a part by Fractions.PartOfHash. So the same problem has the
// same part in every version of a split, and each part's share holds up
// to sampling (within every stratum as well; Stratify is recorded with the
// definition). Saving a split freezes its version 1 (SplitVersion): the
// exported content of every problem the filter selects that day, so that
// its exports never change; later versions are frozen on request from the
// same definition.
type Split struct {
	Name      string
	Filter    ProblemFilter
	Seed      int64
	Fractions Fractions
	Stratify  string
	CreatedAt time.Time
}

var splitName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// Validate checks the split's name, filter, fractions and stratification,
// and returns a *ValidationError naming the field otherwise.
func (s Split) Validate() error {
	if !splitName.MatchString(s.Name) {
		return &ValidationError{Field: "name", Reason: "must be 1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit"}
	}
	if err := s.Filter.Validate(); err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			return &ValidationError{Field: "filter." + ve.Field, Reason: ve.Reason}
		}
		return err
	}
	if err := s.Fractions.Validate(); err != nil {
		return err
	}
	switch s.Stratify {
	case StratifyNone, StratifySource, StratifyDifficulty:
	default:
		return &ValidationError{Field: "stratify", Reason: fmt.Sprintf(`must be "", "source" or "difficulty", not %q`, s.Stratify)}
	}
	return nil
}

// SplitCounts is the number of problems in each part of a split.
type SplitCounts struct {
	Train      int64 `json:"train"`
	Validation int64 `json:"validation"`
	Test       int64 `json:"test"`
}

// Total returns the number of problems in all parts.
func (c SplitCounts) Total() int64 { return c.Train + c.Validation + c.Test }

// SplitRow is one problem of a split, as an export streams it.
type SplitRow struct {
	Part    Part
	Problem Problem
}

// PartOfHash returns the part of a problem whose split hash (see Split) is
// h: h is read as an unsigned 64-bit number, its top 53 bits as a number u
// in [0, 1) (exactly: u never rounds up to 1), and the problem goes to
// train when u < Train, to validation when u < Train+Validation, to test
// otherwise. The part is a function of the id
// and the seed alone, so a problem keeps its part in every version of a
// split; each part's share holds in expectation (within every stratum
// too), not exactly.
func (f Fractions) PartOfHash(h int64) Part {
	u := float64((uint64(h)^(1<<63))>>11) / (1 << 53)
	switch {
	case u < f.Train:
		return PartTrain
	case u < f.Train+f.Validation:
		return PartValidation
	}
	return PartTest
}

// Add counts one problem of part p.
func (c *SplitCounts) Add(p Part) {
	switch p {
	case PartTrain:
		c.Train++
	case PartValidation:
		c.Validation++
	case PartTest:
		c.Test++
	}
}

// Of returns the count of part p.
func (c SplitCounts) Of(p Part) int64 {
	switch p {
	case PartTrain:
		return c.Train
	case PartValidation:
		return c.Validation
	}
	return c.Test
}

// FrozenFormatVersion is the format of the rows a split version stores
// (FrozenRow): a version keeps the format it was frozen with.
const FrozenFormatVersion = 1

// FrozenRow is one problem of a split version as it was exported when the
// version was frozen: what every later export of the version writes.
// Problem is the display text (export.DisplayText at freeze time).
type FrozenRow struct {
	Part            Part
	ID              string
	Source          string
	SourceRevision  string
	License         string
	Problem         string
	Answer          string
	AnswerCanonical string
	AnswerKind      string
	Domain          string
	Difficulty      *float64
	Level           string
	DerivedFrom     string // see Problem.DerivedFrom
	Transform       string
}

// VersionSource is one source that gave problems to a split version.
type VersionSource struct {
	Name     string `json:"name"`
	Revision string `json:"revision"`
	License  string `json:"license"`
	Rows     int64  `json:"rows"`
}

// SplitVersion is one frozen version of a split: its definition, its
// membership counts, the sha256 of its JSON Lines export (ContentHash), the
// sources of its members and the curation funnel when it was frozen.
type SplitVersion struct {
	Split         string
	Version       int
	FormatVersion int
	Filter        ProblemFilter
	Seed          int64
	Fractions     Fractions
	Stratify      string
	Counts        SplitCounts
	ContentHash   string
	Sources       []VersionSource
	Funnel        Funnel
	CreatedAt     time.Time
}

// PartDiff is how one part changed from a version to the next.
type PartDiff struct {
	Added   int64 `json:"added"`
	Removed int64 `json:"removed"`
	// AddedIDs and RemovedIDs list up to MaxDiffIDs of them, in id order.
	AddedIDs   []string `json:"added_ids"`
	RemovedIDs []string `json:"removed_ids"`
}

// MaxDiffIDs bounds the ids a PartDiff lists.
const MaxDiffIDs = 100

// SplitDiff is the difference between a version and the one before, per
// part.
type SplitDiff struct {
	From, To int
	Parts    map[Part]PartDiff
}

// GoneMember is a problem of a split version that today's filter no
// longer selects (dropped, now a duplicate, contaminated, changed, or
// deleted): the version still exports it as frozen.
type GoneMember struct {
	ID string `json:"id"`
	// Status is the problem's status now, or "deleted" when it is gone.
	Status string `json:"status"`
	Stage  string `json:"stage"`
	Reason string `json:"reason"`
	// DuplicateOf is set when the problem is now a copy of another.
	DuplicateOf string `json:"duplicate_of,omitempty"`
}
