package dedup

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// OverlapOptions configure an OverlapIndex. The zero value means the
// defaults.
type OverlapOptions struct {
	// Threshold is the Jaccard similarity for the near-duplicate rule;
	// 0 means DefaultThreshold.
	Threshold float64
	// Containment is the share of a benchmark problem's shingles an
	// embedding text must contain; 0 means 0.8.
	Containment float64
	// MinShingles is the least number of shingles a benchmark problem needs
	// for the embedding rule; 0 means 20.
	MinShingles int
}

// Overlap is one benchmark problem that a text overlaps.
type Overlap struct {
	// Benchmark is the name the problem was added under.
	Benchmark string
	// Problem is the problem's position among those added under Benchmark
	// (0-based, in Add order).
	Problem int
	// Containment is the share of the benchmark problem's shingles found
	// in the text.
	Containment float64
	// Similarity is the Jaccard similarity of the two shingle sets.
	Similarity float64
	// Edits explain a copy found by Explain (Benchmark mode): a reworded
	// copy, another answer form, ...; nil for the shingle rules.
	Edits []Edit
}

// OverlapIndex finds which benchmark problems a text overlaps; see the
// package documentation for the rules. Add every benchmark problem, then
// call Build (or let the first Overlaps or Match do it); after that,
// Overlaps and Match may be called from many goroutines at once, as long as
// no Add runs.
type OverlapIndex struct {
	opts   OverlapOptions
	hasher *Hasher

	names    []string
	byName   map[string]int
	counts   []int
	docs     []overlapDoc
	postings map[uint32][]int32
	blocks   map[uint64][]int32
	built    bool
}

type overlapDoc struct {
	bench, problem int32
	fp             Fingerprint
	numbers        []uint64 // sorted number-token hashes of the prose
	prep           *prepared
	numSeq         []uint32
}

// NewOverlapIndex returns an empty index. It returns an error for a
// threshold or containment outside (0, 1] or a negative MinShingles.
func NewOverlapIndex(opts OverlapOptions) (*OverlapIndex, error) {
	if opts.Threshold == 0 {
		opts.Threshold = DefaultThreshold
	}
	if opts.Containment == 0 {
		opts.Containment = 0.8
	}
	if opts.MinShingles == 0 {
		opts.MinShingles = 20
	}
	if !(opts.Threshold > 0 && opts.Threshold <= 1) || !(opts.Containment > 0 && opts.Containment <= 1) || opts.MinShingles < 0 {
		return nil, fmt.Errorf("overlap options %+v: threshold and containment must be in (0, 1], min shingles >= 0", opts)
	}
	return &OverlapIndex{opts: opts, hasher: NewHasher(), byName: map[string]int{}}, nil
}

// Add adds one benchmark problem (normalized text) under a benchmark name.
// A problem without prose tokens (only figure code) is counted but never
// matches.
func (o *OverlapIndex) Add(benchmark, normText string) {
	b, ok := o.byName[benchmark]
	if !ok {
		b = len(o.names)
		o.byName[benchmark] = b
		o.names = append(o.names, benchmark)
		o.counts = append(o.counts, 0)
	}
	n := o.counts[b]
	o.counts[b]++
	fp, nums := o.hasher.full(normText)
	if len(fp.Shingles) == 0 {
		return
	}
	p := prepareWith(normText, fp, nil)
	fp.Blocks = p.blocks()
	o.docs = append(o.docs, overlapDoc{bench: int32(b), problem: int32(n), fp: fp, numbers: nums, prep: p, numSeq: p.numberSeq()})
	o.built = false
}

// Len returns the number of benchmark problems added.
func (o *OverlapIndex) Len() int { return len(o.docs) }

// explainShare is the least share of a benchmark problem's shingles a text
// must contain for the posting lists to offer it to Explain; reworded
// copies come through the blocking keys.
const explainShare = 0.5

// Build indexes each benchmark problem under its rarest shingles, enough of
// them that any text meeting a rule must contain at least one (prefix
// filtering: a near duplicate at Jaccard t contains at least a share t of
// the problem's shingles): a problem with n shingles is indexed under its
// n - ceil(c*n) + 1 rarest, c the smallest of Threshold, Containment and
// explainShare; and under its blocking keys (Fingerprint.Blocks).
func (o *OverlapIndex) Build() {
	df := map[uint32]int32{}
	for _, d := range o.docs {
		for _, s := range d.fp.Shingles {
			df[s]++
		}
	}
	c := min(o.opts.Threshold, o.opts.Containment, explainShare)
	o.postings = map[uint32][]int32{}
	o.blocks = map[uint64][]int32{}
	var order []uint32
	for i, d := range o.docs {
		order = append(order[:0], d.fp.Shingles...)
		sort.Slice(order, func(a, b int) bool {
			if df[order[a]] != df[order[b]] {
				return df[order[a]] < df[order[b]]
			}
			return order[a] < order[b]
		})
		need := required(len(order), c)
		for _, s := range order[:len(order)-need+1] {
			o.postings[s] = append(o.postings[s], int32(i))
		}
		for _, k := range d.fp.Blocks {
			o.blocks[k] = append(o.blocks[k], int32(i))
		}
	}
	o.built = true
}

// required is how many of n shingles a text must contain for share c.
func required(n int, c float64) int {
	r := int(c*float64(n) + 0.999999)
	return min(max(r, 1), n)
}

// Overlaps returns every benchmark problem that the normalized text
// overlaps, sorted by benchmark name and problem order.
func (o *OverlapIndex) Overlaps(normText string) []Overlap {
	return o.overlaps(normText, nil)
}

// OverlapsFingerprint is Overlaps for a text whose fingerprint (Hasher.Fingerprint,
// with its Blocks and Numbers) is at hand, as in a pipeline's workers.
func (o *OverlapIndex) OverlapsFingerprint(normText string, fp Fingerprint) []Overlap {
	return o.overlaps(normText, &fp)
}

func (o *OverlapIndex) overlaps(normText string, given *Fingerprint) []Overlap {
	if !o.built {
		o.Build()
	}
	var h Hasher // no MinHash needed: a zero Hasher tokenizes and shingles
	fp, nums := h.full(normText)
	if len(fp.Shingles) == 0 {
		return nil
	}
	var prep *prepared
	if given != nil {
		fp.Blocks, fp.Numbers = given.Blocks, given.Numbers
	} else {
		prep = prepareWith(normText, fp, nil)
		fp.Blocks, fp.Numbers = prep.blocks(), prep.numberSeq()
	}
	var out []Overlap
	seen := map[int32]bool{}
	queryFmt := -1 // whether the text has an answer-format sentence; -1 unknown
	check := func(d int32) {
		if seen[d] {
			return
		}
		seen[d] = true
		doc := &o.docs[d]
		ov, ok := o.overlap(doc, fp, nums)
		if ok {
			out = append(out, ov)
			return
		}
		if !numbersCompatible(doc.numSeq, fp.Numbers) && len(doc.prep.answerFmt) == 0 {
			// the numbers of an answer-format sentence ("... m+n") may differ
			if queryFmt < 0 {
				queryFmt = 0
				if containsAny(strings.ToLower(normText), answerFormatCues) {
					queryFmt = 1
				}
			}
			if queryFmt == 0 {
				return
			}
		}
		if prep == nil {
			prep = prepareWith(normText, fp, nil)
		}
		if dec := explainPrepared(doc.prep, prep, Benchmark, false); dec.Duplicate {
			ov.Edits = dec.Edits
			out = append(out, ov)
		}
	}
	for _, s := range fp.Shingles {
		for _, d := range o.postings[s] {
			check(d)
		}
	}
	for _, k := range fp.Blocks {
		for _, d := range o.blocks[k] {
			check(d)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Benchmark != out[j].Benchmark {
			return out[i].Benchmark < out[j].Benchmark
		}
		return out[i].Problem < out[j].Problem
	})
	return out
}

// overlap applies the two rules to one benchmark problem.
func (o *OverlapIndex) overlap(doc *overlapDoc, fp Fingerprint, nums []uint64) (Overlap, bool) {
	p := doc.fp
	inter := intersect(p.Shingles, fp.Shingles)
	ov := Overlap{
		Benchmark:   o.names[doc.bench],
		Problem:     int(doc.problem),
		Containment: float64(inter) / float64(len(p.Shingles)),
		Similarity:  float64(inter) / float64(len(p.Shingles)+len(fp.Shingles)-inter),
	}
	if _, ok := figuresAgree(1, p.Aux, fp.Aux, p.AuxNumbers, fp.AuxNumbers, o.opts.Threshold); !ok {
		return ov, false
	}
	if ov.Similarity >= 1 && p.Content == fp.Content {
		return ov, true // the same tokens; near copies are for Explain
	}
	embeds := len(p.Shingles) >= o.opts.MinShingles && ov.Containment >= o.opts.Containment &&
		2*len(fp.Shingles) >= 3*len(p.Shingles) && subMultiset(doc.numbers, nums)
	return ov, embeds
}

// Match returns the sorted names of the benchmarks that the normalized text
// overlaps (nil when none).
func (o *OverlapIndex) Match(normText string) []string {
	return names(o.Overlaps(normText))
}

// MatchFingerprint is Match for a text whose fingerprint is at hand
// (OverlapsFingerprint).
func (o *OverlapIndex) MatchFingerprint(normText string, fp Fingerprint) []string {
	return names(o.OverlapsFingerprint(normText, fp))
}

func names(ovs []Overlap) []string {
	var names []string
	for _, ov := range ovs {
		if len(names) == 0 || names[len(names)-1] != ov.Benchmark {
			names = append(names, ov.Benchmark)
		}
	}
	return names
}

// subMultiset reports whether sorted a is contained in sorted b as a
// multiset.
func subMultiset(a, b []uint64) bool {
	j := 0
	for _, x := range a {
		for j < len(b) && b[j] < x {
			j++
		}
		if j == len(b) || b[j] != x {
			return false
		}
		j++
	}
	return true
}

// full returns the fingerprint of normalized text without Bands, and the
// sorted content-token hashes of its prose.
func (h *Hasher) full(normText string) (Fingerprint, []uint64) {
	fp := h.withoutBands(normText)
	nums := slices.Clone(h.nums)
	slices.Sort(nums)
	return fp, nums
}
