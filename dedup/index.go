package dedup

import (
	"errors"
	"fmt"
	"math/bits"
)

// DefaultThreshold is the Jaccard similarity from which two problems are
// near duplicates.
const DefaultThreshold = 0.8

// Options configure an Index. The zero value means the defaults.
type Options struct {
	// Threshold is the minimum Jaccard similarity of prose shingles for a
	// near duplicate, in (0, 1]; 0 means DefaultThreshold. It only confirms
	// candidates: the 16x8 bands find pairs at 0.8 with probability 0.95
	// but at 0.7 with 0.61 and at 0.6 with 0.26, so thresholds below about
	// 0.75 lose recall.
	Threshold float64
	// ExpectedDocs sizes the tables up front (they grow as needed).
	ExpectedDocs int
	// MaxCandidates caps how many candidates one Add compares exactly,
	// in probe order; 0 means 200. It bounds the cost of
	// large families of similar problems (templates with varied numbers).
	MaxCandidates int
}

// Match is the outcome of adding one problem to an Index.
type Match struct {
	// ClusterID is the id of the first member, in Add order, of the
	// cluster the problem joined (its own id when it starts a cluster).
	ClusterID int64
	// Duplicate reports whether the problem matched an earlier one.
	Duplicate bool
	// DuplicateOf is the id of the earlier problem it matched best (the
	// earliest among equally similar ones); meaningful when Duplicate.
	DuplicateOf int64
	// Similarity is the Jaccard similarity with DuplicateOf (1 for an
	// exact duplicate; 0 when not a duplicate).
	Similarity float64
	// Exact reports an identical normalized text (same ExactKey).
	Exact bool
	// Canonical is the id of the cluster's canonical member after this
	// Add: the highest priority, the earliest among equals.
	Canonical int64
	// Replaced reports that this problem became canonical in place of
	// PreviousCanonical, which is now an ordinary member.
	Replaced          bool
	PreviousCanonical int64
	// Edits explain a near duplicate found by AddDoc (Explain): the
	// allowed edits between DuplicateOf and this problem.
	Edits []Edit
	// CutOff reports that this problem is a cut-off copy of DuplicateOf;
	// it never becomes canonical.
	CutOff bool
}

// Index clusters problems into exact and near-duplicate clusters as they
// are added. It is not safe for concurrent use; compute fingerprints in
// parallel (one Hasher per goroutine) and add them from one goroutine.
//
// Memory per problem: 56 bytes of fixed state, an exact-table slot, 16
// band-table slots of 8 bytes at 53-80% load (none for an exact
// duplicate), and 4 bytes per prose shingle plus up to 128 bytes of figure
// sample. BenchmarkIndex1M measures 332 bytes per problem for one million
// short synthetic problems (about 30 shingles each) with ExpectedDocs set;
// without it, growing a table briefly holds the old and the new one.
type Index struct {
	threshold float64
	maxCand   int
	hasher    *Hasher

	ids      []int64
	prio     []int32
	cluster  []int32  // cluster root (first member) of each doc
	canon    []int32  // canonical member, valid at roots
	numbers  []uint64 // prose numbers (low 32) and figure numbers (high 32)
	exact    [][16]byte
	shStart  []uint32 // offsets into sh; len(ids)+1 entries
	sh       []uint32
	auxStart []uint32
	aux      []uint32

	exactTab table // exact key -> doc
	bandTab  table // (band, key) -> doc, a multimap

	seen []uint32 // per-doc stamp for candidate dedup
	tick uint32

	// The explained comparison (AddDoc): texts and answers ("" for a
	// problem added by its fingerprint), number sequences, cut-off flags,
	// the gold answer of each cluster (at its root) and the blocking keys.
	texts    []string
	answers  []string
	numStart []uint32
	nums     []uint32
	cut      []bool
	rootAns  []string
	blockTab table
}

// ErrIndexFull is returned when an Index would exceed 2^31-1 problems or
// 2^32-1 stored shingles.
var ErrIndexFull = errors.New("dedup index full")

// NewIndex returns an empty Index. It returns an error for a threshold
// outside (0, 1].
func NewIndex(opts Options) (*Index, error) {
	if opts.Threshold == 0 {
		opts.Threshold = DefaultThreshold
	}
	if !(opts.Threshold > 0 && opts.Threshold <= 1) {
		return nil, fmt.Errorf("dedup threshold %v: must be in (0, 1]", opts.Threshold)
	}
	if opts.MaxCandidates <= 0 {
		opts.MaxCandidates = 200
	}
	n := max(opts.ExpectedDocs, 1024)
	ix := &Index{
		threshold: opts.Threshold,
		maxCand:   opts.MaxCandidates,
		hasher:    NewHasher(),
		shStart:   make([]uint32, 1, n+1),
		auxStart:  make([]uint32, 1, n+1),
		exactTab:  newTable(n),
		bandTab:   newTable(n * NumBands),
		blockTab:  newTable(n * 4),
		numStart:  make([]uint32, 1, n+1),
	}
	if opts.ExpectedDocs > 0 {
		ix.ids = make([]int64, 0, n)
		ix.prio = make([]int32, 0, n)
		ix.cluster = make([]int32, 0, n)
		ix.canon = make([]int32, 0, n)
		ix.numbers = make([]uint64, 0, n)
		ix.exact = make([][16]byte, 0, n)
		ix.seen = make([]uint32, 0, n)
	}
	return ix, nil
}

// Len returns the number of problems added.
func (ix *Index) Len() int { return len(ix.ids) }

// Add adds normalized text without a gold answer, with priority 0. See
// AddDoc.
func (ix *Index) Add(id int64, normText string) (Match, error) {
	return ix.AddDoc(id, 0, Doc{Text: normText})
}

// AddDoc adds a problem with its text and gold answer (Doc), confirming
// candidates with Explain: a near duplicate is a problem whose every
// difference from an earlier one is an allowed edit, and whose answer (when
// both it and the earlier problem's cluster have one) is the same. Match
// reports the edits. Candidates are the earlier problems that share a band
// key or a blocking key and whose numbers are compatible (Fingerprint.Numbers).
func (ix *Index) AddDoc(id int64, priority int32, d Doc) (Match, error) {
	return ix.add(id, priority, ix.hasher.Fingerprint(d.Text), &d)
}

// addFingerprintDoc is AddDoc with the fingerprint of d.Text computed.
func (ix *Index) addFingerprintDoc(id int64, fp Fingerprint, d Doc) (Match, error) {
	return ix.add(id, 0, fp, &d)
}

// AddFingerprint adds a problem by its fingerprint (computed now, or stored
// from an earlier run), with a priority for the canonical choice, and
// reports which cluster it joined. Without the text, candidates are
// confirmed by Compare (not Explain). ids are the caller's and need not be
// unique or ordered; Match reports them back. The fingerprint's slices are
// copied. It fails only with ErrIndexFull.
func (ix *Index) AddFingerprint(id int64, priority int32, fp Fingerprint) (Match, error) {
	return ix.add(id, priority, fp, nil)
}

func (ix *Index) add(id int64, priority int32, fp Fingerprint, d *Doc) (Match, error) {
	doc := len(ix.ids)
	if doc >= 1<<31-1 || uint64(len(ix.sh))+uint64(len(fp.Shingles)) >= 1<<32-1 ||
		uint64(len(ix.aux))+uint64(len(fp.Aux)) >= 1<<32-1 {
		return Match{}, ErrIndexFull
	}
	numbers := uint64(fp.Content) | uint64(fp.AuxNumbers)<<32

	// exact duplicate?
	best, bestSim, exact := int32(-1), 0.0, false
	ek := keyOf(fp.Exact)
	for d := range ix.exactTab.find(ek) {
		if ix.exact[d] == fp.Exact {
			best, bestSim, exact = d, 1, true
			break
		}
	}
	var full uint32 // bands whose key already holds maxPerKey docs
	var dec Decision
	switch {
	case exact:
	case d != nil:
		best, bestSim, dec, full = ix.nearestExplained(fp, d)
	case len(fp.Bands) == NumBands:
		best, bestSim, full = ix.nearest(fp, numbers)
	}
	text, answer := "", ""
	if d != nil {
		text, answer = d.Text, d.Answer
	}
	ix.texts = append(ix.texts, text)
	ix.answers = append(ix.answers, answer)
	ix.cut = append(ix.cut, dec.CutOff == 2)
	if dec.CutOff == 1 {
		ix.cut[best] = true
	}

	ix.ids = append(ix.ids, id)
	ix.prio = append(ix.prio, priority)
	ix.numbers = append(ix.numbers, numbers)
	ix.exact = append(ix.exact, fp.Exact)
	ix.seen = append(ix.seen, 0)
	if d != nil {
		ix.nums = append(ix.nums, fp.Numbers...)
	}
	ix.numStart = append(ix.numStart, uint32(len(ix.nums)))
	if exact {
		// An exact copy adds nothing to find later: keep no shingles and no
		// band entries, only the exact key (later copies find the first).
		ix.shStart = append(ix.shStart, uint32(len(ix.sh)))
		ix.auxStart = append(ix.auxStart, uint32(len(ix.aux)))
	} else {
		ix.sh = append(ix.sh, fp.Shingles...)
		ix.shStart = append(ix.shStart, uint32(len(ix.sh)))
		ix.aux = append(ix.aux, fp.Aux...)
		ix.auxStart = append(ix.auxStart, uint32(len(ix.aux)))
		for _, k := range fp.Blocks {
			ix.blockTab.insert(k, int32(doc))
		}
		ix.exactTab.insert(ek, int32(doc))
		if len(fp.Bands) == NumBands {
			for band, k := range fp.Bands {
				if full&(1<<band) == 0 {
					ix.bandTab.insert(bandKey(band, k), int32(doc))
				}
			}
		}
	}

	m := Match{}
	if best < 0 {
		ix.cluster = append(ix.cluster, int32(doc))
		ix.canon = append(ix.canon, int32(doc))
		ix.rootAns = append(ix.rootAns, answer)
		m.ClusterID, m.Canonical = id, id
		return m, nil
	}
	root := ix.cluster[best]
	ix.cluster = append(ix.cluster, root)
	ix.canon = append(ix.canon, -1)
	ix.rootAns = append(ix.rootAns, "")
	if ix.rootAns[root] == "" {
		ix.rootAns[root] = answer
	}
	m.ClusterID = ix.ids[root]
	m.Duplicate, m.DuplicateOf, m.Similarity, m.Exact = true, ix.ids[best], bestSim, exact
	m.Edits, m.CutOff = dec.Edits, dec.CutOff == 2
	cur := ix.canon[root]
	// a complete copy wins over a cut-off one, then priority
	if !ix.cut[doc] && (ix.cut[cur] || priority > ix.prio[cur]) {
		ix.canon[root] = int32(doc)
		m.Replaced, m.PreviousCanonical = true, ix.ids[cur]
	}
	m.Canonical = ix.ids[ix.canon[root]]
	return m, nil
}

// nearestExplained returns the earlier doc that d is a duplicate of by
// Explain (the most similar by shingles among several, the earliest among
// equals), the decision, and the bands already full. Earlier docs added
// without text are compared by Compare.
func (ix *Index) nearestExplained(fp Fingerprint, d *Doc) (best int32, bestSim float64, dec Decision, full uint32) {
	ix.tick++
	if ix.tick == 0 {
		clear(ix.seen)
		ix.tick = 1
	}
	best = -1
	checked := 0
	var pd *prepared
	numbers := uint64(fp.Content) | uint64(fp.AuxNumbers)<<32
	gated := 0 // candidates put to the number test, at most 4*maxCand
	try := func(c int32) {
		if ix.seen[c] == ix.tick || checked >= ix.maxCand || gated >= 4*ix.maxCand {
			return
		}
		ix.seen[c] = ix.tick
		gated++
		if ix.texts[c] == "" { // added by fingerprint
			checked++
			if sim, ok := ix.similar(c, fp, numbers); ok && (sim > bestSim || sim == bestSim && c < best) {
				best, bestSim, dec = c, sim, Decision{Duplicate: true}
			}
			return
		}
		if !numbersCompatible(fp.Numbers, ix.nums[ix.numStart[c]:ix.numStart[c+1]]) {
			return
		}
		if ra := ix.rootAns[ix.cluster[c]]; d.Answer != "" && ra != "" && ra != d.Answer {
			return
		}
		checked++
		if pd == nil {
			if l := ix.hasher.last; l != nil && l.text == d.Text {
				pd = l
			} else {
				pd = prepareWith(d.Text, fp, ix.hasher.stems)
			}
		}
		pc := prepareWith(ix.texts[c], Fingerprint{Aux: ix.aux[ix.auxStart[c]:ix.auxStart[c+1]], AuxNumbers: uint32(ix.numbers[c] >> 32)}, ix.hasher.stems)
		goldsAgree := d.Answer != "" && ix.answers[c] == d.Answer
		if d.Answer != "" && ix.answers[c] != "" && !goldsAgree {
			return
		}
		got := explainPrepared(pc, pd, Corpus, goldsAgree)
		if !got.Duplicate {
			return
		}
		sim := Jaccard(ix.sh[ix.shStart[c]:ix.shStart[c+1]], fp.Shingles)
		if best < 0 || sim > bestSim || sim == bestSim && c < best {
			best, bestSim, dec = c, sim, got
		}
	}
	for c := range ix.bandCandidates(fp, &full) {
		try(c)
	}
	for _, k := range fp.Blocks {
		inKey := 0
		for c := range ix.blockTab.find(k) {
			if inKey++; inKey >= maxPerKey {
				break
			}
			try(c)
		}
	}
	return best, bestSim, dec, full
}

// bandCandidates yields the docs stored under fp's band keys, fewer than
// maxPerKey a key, and sets in *full the bit of each band whose key already
// holds maxPerKey docs.
func (ix *Index) bandCandidates(fp Fingerprint, full *uint32) func(yield func(int32) bool) {
	return func(yield func(int32) bool) {
		for band, k := range fp.Bands {
			inKey := 0
			for d := range ix.bandTab.find(bandKey(band, k)) {
				inKey++
				if inKey >= maxPerKey {
					*full |= 1 << band
					break
				}
				if !yield(d) {
					return
				}
			}
		}
	}
}

// maxPerKey caps the docs stored under one band key. Families of problems
// that share a band (a template with varied numbers) would otherwise grow
// probe runs without bound; a doc is still stored under its other bands.
const maxPerKey = 256

// nearest returns the most similar earlier doc that is a near duplicate of
// fp (or -1), and a bit set of the bands whose key already holds maxPerKey
// docs.
func (ix *Index) nearest(fp Fingerprint, numbers uint64) (best int32, bestSim float64, full uint32) {
	ix.tick++
	if ix.tick == 0 { // wrapped: reset stamps
		clear(ix.seen)
		ix.tick = 1
	}
	best = -1
	checked := 0
	for d := range ix.bandCandidates(fp, &full) {
		if ix.seen[d] == ix.tick || checked >= ix.maxCand {
			continue
		}
		ix.seen[d] = ix.tick
		checked++
		sim, ok := ix.similar(d, fp, numbers)
		if ok && (sim > bestSim || sim == bestSim && d < best) {
			best, bestSim = d, sim
		}
	}
	return best, bestSim, full
}

// similar compares doc d with fp by the rules in the package documentation.
func (ix *Index) similar(d int32, fp Fingerprint, numbers uint64) (float64, bool) {
	return compare(ix.sh[ix.shStart[d]:ix.shStart[d+1]], ix.aux[ix.auxStart[d]:ix.auxStart[d+1]],
		uint32(ix.numbers[d]), uint32(ix.numbers[d]>>32), fp, ix.threshold)
}

// Compare applies the near-duplicate rule of the package documentation to
// two fingerprints: equal content tokens, prose Jaccard similarity at least
// threshold, and agreeing figures. It returns the similarity (the prose
// Jaccard, or the figure similarity when lower and both have figures; 0 when
// the content differs) and whether the pair is a near duplicate. Use it to
// confirm candidates found outside an Index, for example by band keys
// stored in Postgres.
func Compare(a, b Fingerprint, threshold float64) (similarity float64, duplicate bool) {
	return compare(a.Shingles, a.Aux, a.Content, a.AuxNumbers, b, threshold)
}

func compare(sh, aux []uint32, content, auxNumbers uint32, fp Fingerprint, threshold float64) (float64, bool) {
	if content != fp.Content {
		return 0, false
	}
	sim := Jaccard(sh, fp.Shingles)
	if sim < threshold {
		return sim, false
	}
	return figuresAgree(sim, aux, fp.Aux, auxNumbers, fp.AuxNumbers, threshold)
}

// figuresAgree applies the figure rule to a pair whose prose similarity is
// sim: when both carry figure code, their label numbers must be equal and
// their samples at least threshold similar; the result is the lower of the
// two similarities.
func figuresAgree(sim float64, auxA, auxB []uint32, numA, numB uint32, threshold float64) (float64, bool) {
	if len(auxA) == 0 || len(auxB) == 0 {
		return sim, true
	}
	if numA != numB {
		return 0, false
	}
	a := bottomKSimilarity(auxA, auxB, auxSample)
	if a < threshold {
		return a, false
	}
	return min(sim, a), true
}

// MemoryBytes estimates the bytes the Index holds (slice capacities and
// tables), for benchmarks and capacity planning.
func (ix *Index) MemoryBytes() int {
	n := cap(ix.ids)*8 + cap(ix.prio)*4 + cap(ix.cluster)*4 + cap(ix.canon)*4 + cap(ix.numbers)*8 +
		cap(ix.exact)*16 + cap(ix.shStart)*4 + cap(ix.sh)*4 + cap(ix.auxStart)*4 + cap(ix.aux)*4 + cap(ix.seen)*4
	n += cap(ix.texts)*16 + cap(ix.answers)*16 + cap(ix.numStart)*4 + cap(ix.nums)*4 + cap(ix.cut) + cap(ix.rootAns)*16
	for i := range ix.texts {
		n += len(ix.texts[i]) + len(ix.answers[i])
	}
	return n + len(ix.exactTab.slots)*8 + len(ix.bandTab.slots)*8 + len(ix.blockTab.slots)*8
}

func keyOf(k [16]byte) uint64 {
	var x uint64
	for _, b := range k[:8] {
		x = x<<8 | uint64(b)
	}
	return x
}

func bandKey(band int, k uint64) uint64 {
	return mix64(k ^ uint64(band+1)*0xd6e8feb86659fd93)
}

// table is an open-addressing multimap from 64-bit keys to doc numbers
// with linear probing. A slot packs the key's high 32 bits (its
// fingerprint, which also picks the home slot) with doc+1 (0 = empty): equal
// fingerprints are candidates, which the caller confirms, so a 32-bit
// collision costs one extra comparison and never a wrong answer. The size is
// not a power of two (the home slot is the high half of fp*size), so a table
// is sized to what it needs and grows by half.
type table struct {
	slots []uint64
	used  int
}

const maxLoad = 0.8

func newTable(n int) table {
	return table{slots: make([]uint64, int(float64(n)/maxLoad)+8)}
}

// home returns the home slot of a 32-bit fingerprint.
func (t *table) home(fp uint64) int {
	hi, _ := bits.Mul64(mix64(fp), uint64(len(t.slots)))
	return int(hi)
}

func (t *table) insert(key uint64, doc int32) {
	if float64(t.used+1) > maxLoad*float64(len(t.slots)) {
		old := t.slots
		t.slots = make([]uint64, len(old)+len(old)/2+8)
		t.used = 0
		for _, s := range old {
			if s != 0 {
				t.put(s)
			}
		}
	}
	t.put(key&0xffffffff00000000 | uint64(uint32(doc)+1))
}

func (t *table) put(slot uint64) {
	i := t.home(slot >> 32)
	for t.slots[i] != 0 {
		i++
		if i == len(t.slots) {
			i = 0
		}
	}
	t.slots[i] = slot
	t.used++
}

// find yields the docs stored under key's fingerprint, in probe order.
func (t *table) find(key uint64) func(yield func(int32) bool) {
	return func(yield func(int32) bool) {
		fp := key >> 32
		i := t.home(fp)
		for t.slots[i] != 0 {
			if t.slots[i]>>32 == fp {
				if !yield(int32(uint32(t.slots[i])) - 1) {
					return
				}
			}
			i++
			if i == len(t.slots) {
				i = 0
			}
		}
	}
}
