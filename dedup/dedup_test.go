package dedup

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bigmath/bigmath/internal/sharedtest"
	"github.com/bigmath/bigmath/normalize"
)

func mustIndex(t testing.TB, opts Options) *Index {
	t.Helper()
	ix, err := NewIndex(opts)
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func TestPairs(t *testing.T) {
	long := "A bag has 7 red marbles and 5 blue marbles. Two marbles are drawn at random without replacement. " +
		"What is the probability that both marbles are red? Express your answer as a common fraction."
	tests := []struct {
		name string
		a, b string
		dup  bool
	}{
		// formatting variants are duplicates
		{"dfrac vs frac", `Compute $\dfrac{1}{2}+\dfrac{1}{3}$ and simplify.`, `Compute $\frac{1}{2}+\frac{1}{3}$ and simplify.`, true},
		{"dollar vs paren", `Find $x$ if $2x+3=7$ holds for the real number $x$.`, `Find \(x\) if \(2x+3=7\) holds for the real number \(x\).`, true},
		{"display delimiters", `Evaluate \[\sum_{k=1}^{10} k^2.\]`, `Evaluate $$\sum_{k=1}^{10} k^2.$$`, true},
		{"spaces in math", `Solve $x + 1 = 2$ for the unknown real value x.`, `Solve $x+1=2$ for the unknown real value x.`, true},
		{"case and text wrapper", `FIND the area of a square of side $5\text{ cm}$.`, `Find the area of a square of side $5$ cm.`, true},
		{"thousands separator", "Find the remainder when 6,000,000 is divided by 7.", "Find the remainder when 6000000 is divided by 7.", true},
		{"one word changed in a long problem", long, strings.Replace(long, "at random", "randomly", 1), true},
		{"figure added to one copy", long, long + " [asy] draw((0,0)--(1,1)); label(\"$A$\",(0,0)); [/asy]", true},
		{"link added to one copy", long, long + " Graph https://www.desmos.com/calculator/abc123", true},

		// different numbers are different problems
		{"template short", "compute 3+5", "compute 4+7", false},
		{"template one number", long, strings.Replace(long, "7 red", "8 red", 1), false},
		{"template swapped numbers", long, strings.Replace(strings.Replace(long, "7 red", "5 red", 1), "5 blue", "7 blue", 1), false},
		{"decimal vs integer", "What is 1.5 times 4?", "What is 15 times 4?", false},
		{"same figure text, different figure numbers", "In the diagram, find $x$. [asy] label(\"$40^\\circ$\",(0,0)); draw((0,0)--(3,4)); [/asy]",
			"In the diagram, find $x$. [asy] label(\"$50^\\circ$\",(0,0)); draw((0,0)--(3,4)); [/asy]", false},
		{"different operator", "Compute $12 + 7$ exactly.", "Compute $12 - 7$ exactly.", false},
		{"unrelated", long, "Let $f(x)=x^2-3x+2$. Find the sum of the roots of $f$.", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ix := mustIndex(t, Options{})
			if _, err := ix.Add(1, normalize.Text(tc.a)); err != nil {
				t.Fatal(err)
			}
			m, err := ix.Add(2, normalize.Text(tc.b))
			if err != nil {
				t.Fatal(err)
			}
			if m.Duplicate != tc.dup {
				fa, fb := NewFingerprint(normalize.Text(tc.a)), NewFingerprint(normalize.Text(tc.b))
				t.Errorf("duplicate = %v, want %v (jaccard %.3f, numbers %v)\n a: %q\n b: %q", m.Duplicate, tc.dup,
					Jaccard(fa.Shingles, fb.Shingles), fa.Content == fb.Content, normalize.Text(tc.a), normalize.Text(tc.b))
			}
			fa, fb := NewFingerprint(normalize.Text(tc.a)), NewFingerprint(normalize.Text(tc.b))
			if sim, dup := Compare(fa, fb, DefaultThreshold); dup != tc.dup || dup && sim != m.Similarity {
				t.Errorf("Compare = %v, %v; Add said %v, %v", sim, dup, m.Similarity, m.Duplicate)
			}
			if tc.dup && (m.ClusterID != 1 || m.DuplicateOf != 1 || m.Similarity < DefaultThreshold) {
				t.Errorf("match = %+v, want cluster 1, duplicate of 1, similarity >= %v", m, DefaultThreshold)
			}
			if !tc.dup && (m.ClusterID != 2 || m.Similarity != 0) {
				t.Errorf("match = %+v, want its own cluster", m)
			}
		})
	}
}

func TestExactDuplicate(t *testing.T) {
	ix := mustIndex(t, Options{})
	text := normalize.Text("What is $1+1$?")
	m1, _ := ix.Add(10, text)
	m2, _ := ix.Add(20, text)
	m3, _ := ix.Add(30, text)
	if m1.Duplicate || !m2.Exact || !m3.Exact || m3.DuplicateOf != 10 || m3.ClusterID != 10 || m2.Similarity != 1 {
		t.Errorf("matches %+v %+v %+v", m1, m2, m3)
	}
	if ExactKey(text) != NewFingerprint(text).Exact {
		t.Error("Fingerprint.Exact differs from ExactKey")
	}
	if ExactKey("a") == ExactKey("b") {
		t.Error("ExactKey collides on a and b")
	}
}

func TestCanonicalByPriority(t *testing.T) {
	ix := mustIndex(t, Options{})
	text := normalize.Text("How many positive divisors does 360 have?")
	h := NewHasher()
	fp := h.Fingerprint(text)
	m1, _ := ix.AddFingerprint(1, 10, fp)
	m2, _ := ix.AddFingerprint(2, 50, fp)
	m3, _ := ix.AddFingerprint(3, 50, fp)
	m4, _ := ix.AddFingerprint(4, 5, fp)
	if m1.Canonical != 1 || m1.Replaced {
		t.Errorf("first: %+v", m1)
	}
	if m2.Canonical != 2 || !m2.Replaced || m2.PreviousCanonical != 1 || m2.ClusterID != 1 {
		t.Errorf("higher priority: %+v", m2)
	}
	if m3.Canonical != 2 || m3.Replaced {
		t.Errorf("equal priority keeps the earlier: %+v", m3)
	}
	if m4.Canonical != 2 || m4.Replaced {
		t.Errorf("lower priority: %+v", m4)
	}
}

func TestSeedFromStoredFingerprint(t *testing.T) {
	// A fingerprint stored as its fields (as ingest does in Postgres) and
	// rebuilt gives the same matches, and band keys follow from shingles.
	h := NewHasher()
	a := h.Fingerprint(normalize.Text(`Find the number of ordered pairs $(a,b)$ of positive integers with $a+b=100$ and $a<b$.`))
	b := h.Fingerprint(normalize.Text(`Find the number of ordered pairs \((a,b)\) of positive integers with \(a+b=100\) and \(a<b\).`))
	stored := Fingerprint{Exact: a.Exact, Shingles: slices.Clone(a.Shingles), Aux: a.Aux, Content: a.Content,
		AuxNumbers: a.AuxNumbers, Bands: h.Bands(a.Shingles)}
	if !slices.Equal(stored.Bands, a.Bands) {
		t.Fatal("Bands(shingles) differs from the fingerprint's bands")
	}
	ix := mustIndex(t, Options{})
	if _, err := ix.AddFingerprint(7, 0, stored); err != nil {
		t.Fatal(err)
	}
	m, _ := ix.AddFingerprint(8, 0, b)
	if !m.Duplicate || m.DuplicateOf != 7 {
		t.Errorf("match %+v, want duplicate of 7", m)
	}
}

func TestNewIndexRejectsBadThreshold(t *testing.T) {
	for _, th := range []float64{-0.1, 1.5, math.NaN()} {
		if _, err := NewIndex(Options{Threshold: th}); err == nil {
			t.Errorf("threshold %v accepted", th)
		}
	}
	if _, err := NewOverlapIndex(OverlapOptions{Containment: 2}); err == nil {
		t.Error("containment 2 accepted")
	}
}

// TestLSHCurve checks that candidates are found at the rate MinHash with 16
// bands of 8 rows promises: 1-(1-s^8)^16 for Jaccard s.
func TestLSHCurve(t *testing.T) {
	h := NewHasher()
	rng := rand.New(rand.NewPCG(1, 2))
	const n, trials = 200, 400
	for _, s := range []float64{0.5, 0.7, 0.8, 0.9} {
		// two sets of n elements sharing k, so that k/(2n-k) = s
		k := int(math.Round(2 * s * n / (1 + s)))
		hits := 0
		for range trials {
			common := make([]uint32, 0, n)
			for range k {
				common = append(common, rng.Uint32())
			}
			a, b := slices.Clone(common), slices.Clone(common)
			for range n - k {
				a = append(a, rng.Uint32())
				b = append(b, rng.Uint32())
			}
			slices.Sort(a)
			slices.Sort(b)
			ba, bb := h.Bands(a), h.Bands(b)
			for i := range ba {
				if ba[i] == bb[i] {
					hits++
					break
				}
			}
		}
		exactS := float64(k) / float64(2*n-k)
		want := 1 - math.Pow(1-math.Pow(exactS, rows), NumBands)
		got := float64(hits) / trials
		// binomial standard error at 400 trials is at most 0.025
		if math.Abs(got-want) > 0.08 {
			t.Errorf("jaccard %.2f: candidate rate %.3f, want %.3f", exactS, got, want)
		}
		t.Logf("jaccard %.2f: candidate rate %.3f (theory %.3f)", exactS, got, want)
	}
}

func TestJaccard(t *testing.T) {
	tests := []struct {
		a, b []uint32
		want float64
	}{
		{nil, nil, 1},
		{[]uint32{1, 2, 3}, []uint32{1, 2, 3}, 1},
		{[]uint32{1, 2, 3}, []uint32{4, 5}, 0},
		{[]uint32{1, 2, 3, 4}, []uint32{3, 4, 5, 6}, 2.0 / 6},
	}
	for _, tc := range tests {
		if got := Jaccard(tc.a, tc.b); got != tc.want {
			t.Errorf("Jaccard(%v, %v) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

// ---- real data

// datasetsDir returns ../shared/datasets, skipping the test when it is not
// beside the clone.
func datasetsDir(t testing.TB) string {
	t.Helper()
	return sharedtest.Datasets(t)
}

func problems(t testing.TB, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	if strings.HasSuffix(path, ".json") {
		var rows []struct{ Problem string }
		if err := json.Unmarshal(b, &rows); err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			out = append(out, r.Problem)
		}
		return out
	}
	for i, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var r struct{ Problem, Question string }
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%s:%d: %v", path, i+1, err)
		}
		if r.Problem == "" {
			r.Problem = r.Question
		}
		out = append(out, r.Problem)
	}
	return out
}

func TestAIME2024CopiesCluster(t *testing.T) {
	dir := datasetsDir(t)
	a := problems(t, filepath.Join(dir, "aime24", "test.jsonl"))
	b := problems(t, filepath.Join(dir, "deepscaler", "test", "aime.json"))
	ix := mustIndex(t, Options{})
	for i, p := range b {
		m, err := ix.Add(int64(i), normalize.Text(p))
		if err != nil {
			t.Fatal(err)
		}
		if m.Duplicate {
			t.Errorf("deepscaler AIME %d is a duplicate of %d", i, m.DuplicateOf)
		}
	}
	// Text only, every copy pairs but the one whose DeepScaleR copy has
	// words changed (the torus problem: "outside ... externally" for
	// "inside ... internally"); that one is a benchmark copy still (below).
	exact, near, changed := 0, 0, 0
	for i, p := range a {
		m, _ := ix.Add(int64(100+i), normalize.Text(p))
		switch {
		case !m.Duplicate:
			d, j := closestCopy(b, p)
			if !strings.HasPrefix(d.Difference, "word: ") {
				t.Errorf("aime24 %d has no duplicate, and its closest copy %d differs by %q: %.100q", i, j, d.Difference, p)
			}
			bd := Explain(Doc{Text: normalize.Text(b[j])}, Doc{Text: normalize.Text(p)}, Benchmark)
			if !bd.Duplicate || !slices.ContainsFunc(bd.Edits, func(e Edit) bool { return e.Kind == EditChangedWord }) {
				t.Errorf("aime24 %d: as a benchmark copy %+v, want changed words", i, bd)
			}
			changed++
			t.Logf("aime24 %d: words changed in deepscaler %d: %v", i, j, bd.EditStrings())
		case m.Exact:
			exact++
		default:
			near++
			t.Logf("aime24 %d ~ deepscaler %d: similarity %.3f, %v", i, m.DuplicateOf, m.Similarity, m.Edits)
		}
	}
	t.Logf("AIME 2024: %d exact, %d near duplicates, %d with changed words, of 30", exact, near, changed)
	if changed > 1 {
		t.Errorf("%d copies with changed words, want at most the torus one", changed)
	}

	// The same pairs as decontamination.
	ov, _ := NewOverlapIndex(OverlapOptions{})
	for _, p := range b {
		ov.Add("aime24", normalize.Text(p))
	}
	for i, p := range a {
		if got := ov.Match(normalize.Text(p)); !slices.Equal(got, []string{"aime24"}) {
			t.Errorf("aime24 %d: overlap %v", i, got)
		}
	}
}

// closestCopy returns the text of texts that Explain finds fewest
// differences from (the most aligned), with the decision.
func closestCopy(texts []string, p string) (Decision, int) {
	best, bestN := 0, -1
	pp := prepare(normalize.Text(p))
	for j, q := range texts {
		pq := prepare(normalize.Text(q))
		if n := len(align(pq.toks, pp.toks).pairs); n > bestN {
			best, bestN = j, n
		}
	}
	return Explain(Doc{Text: normalize.Text(texts[best])}, Doc{Text: normalize.Text(p)}, Corpus), best
}

func TestMATH500InMATHTest(t *testing.T) {
	dir := datasetsDir(t)
	ov, _ := NewOverlapIndex(OverlapOptions{})
	for _, p := range problems(t, filepath.Join(dir, "math500", "test.jsonl")) {
		ov.Add("math500", normalize.Text(p))
	}
	found := map[int]bool{}
	flagged := 0
	for _, p := range problems(t, filepath.Join(dir, "math_test", "test.jsonl")) {
		ovs := ov.Overlaps(normalize.Text(p))
		if len(ovs) > 0 {
			flagged++
		}
		for _, o := range ovs {
			found[o.Problem] = true
		}
	}
	if len(found) != 500 {
		t.Errorf("%d of 500 MATH-500 problems found in MATH test", len(found))
	}
	t.Logf("MATH test rows flagged as MATH-500: %d (500 are the same problems)", flagged)
	if flagged > 520 {
		t.Errorf("%d MATH test rows flagged, want about 500: false positives", flagged)
	}

	// GSM8K test has nothing to do with MATH-500.
	n := 0
	for _, p := range problems(t, filepath.Join(dir, "gsm8k", "test.jsonl")) {
		if len(ov.Match(normalize.Text(p))) > 0 {
			n++
		}
	}
	if n > 0 {
		t.Errorf("%d GSM8K test problems overlap MATH-500", n)
	}
}

func TestDedupRealCorpus(t *testing.T) {
	// Known facts: GSM8K train has no duplicated question; MATH train and
	// test share one problem.
	dir := datasetsDir(t)
	ix := mustIndex(t, Options{})
	dups := 0
	for i, p := range problems(t, filepath.Join(dir, "gsm8k", "train.jsonl")) {
		m, _ := ix.Add(int64(i), normalize.Text(p))
		if m.Duplicate {
			dups++
			if dups <= 5 {
				t.Logf("gsm8k duplicate %d ~ %d (%.2f)", i, m.DuplicateOf, m.Similarity)
			}
		}
	}
	if dups > 3 {
		t.Errorf("GSM8K train: %d near duplicates, want almost none", dups)
	}
	t.Logf("GSM8K train: %d near duplicates in 7473", dups)

	ix = mustIndex(t, Options{})
	train := problems(t, filepath.Join(dir, "deepscaler", "train", "math.json"))
	for i, p := range train {
		ix.Add(int64(i), normalize.Text(p))
	}
	cross := 0
	for i, p := range problems(t, filepath.Join(dir, "math_test", "test.jsonl")) {
		m, _ := ix.Add(int64(100000+i), normalize.Text(p))
		if m.Duplicate && m.DuplicateOf < 100000 {
			cross++
			t.Logf("MATH test %d ~ train %d (%.2f exact=%v): %.80q", i, m.DuplicateOf, m.Similarity, m.Exact, p)
		}
	}
	if cross < 1 {
		t.Errorf("found no MATH train/test duplicate, want the known one")
	}
}

// ---- benchmarks

// synthetic returns n problems with numbers drawn at random in a few
// templates, about 10% exact copies and 10% reworded copies.
func synthetic(n int) []string {
	rng := rand.New(rand.NewPCG(7, 8))
	templates := []string{
		"A store sells %d apples for $%d each and %d pears for $%d each. How much money does the store make if it sells all of them?",
		"Let $f(x) = %dx^2 + %dx + %d$. Find the sum of all real $x$ such that $f(x) = %d$.",
		"In triangle $ABC$, $AB = %d$, $BC = %d$ and $CA = %d$. Find the area of the triangle rounded to %d decimal places.",
		"How many positive integers less than %d are divisible by %d but not by %d or %d?",
	}
	out := make([]string, 0, n)
	for len(out) < n {
		switch r := rng.IntN(10); {
		case r == 0 && len(out) > 0:
			out = append(out, out[rng.IntN(len(out))])
		case r == 1 && len(out) > 0:
			out = append(out, strings.Replace(out[rng.IntN(len(out))], "Find", "Determine", 1))
		default:
			tpl := templates[rng.IntN(len(templates))]
			out = append(out, fmt.Sprintf(tpl, rng.IntN(1000), rng.IntN(1000), rng.IntN(1000), rng.IntN(1000)))
		}
	}
	return out
}

func BenchmarkFingerprint(b *testing.B) {
	texts := synthetic(1000)
	for i, s := range texts {
		texts[i] = normalize.Text(s)
	}
	h := NewHasher()
	benchEach(b, texts, func(_ int, s string) { h.Fingerprint(s) })
}

// benchEach runs fn on the items in turn, once a benchmark iteration, with
// the iteration's number.
func benchEach[T any](b *testing.B, items []T, fn func(i int, item T)) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		fn(i, items[i%len(items)])
		i++
	}
}

func BenchmarkSignature(b *testing.B) {
	h := NewHasher()
	fp := h.Fingerprint(normalize.Text(synthetic(1)[0]))
	b.ReportAllocs()
	for b.Loop() {
		h.Signature(fp.Shingles)
	}
	b.ReportMetric(float64(len(fp.Shingles)), "shingles")
}

// BenchmarkPipeline measures normalize.Text + normalize.Classify +
// Fingerprint per problem, the per-core work ingest does before Add.
func BenchmarkPipeline(b *testing.B) {
	texts := synthetic(1000)
	h := NewHasher()
	benchEach(b, texts, func(_ int, s string) {
		n := normalize.Text(s)
		normalize.Classify(normalize.ClassifyInput{Problem: s, Answer: "12", HasAnswer: true})
		h.Fingerprint(n)
	})
}

// BenchmarkAddDoc adds problems with their texts: fingerprint, candidates
// and the explained confirmation.
func BenchmarkAddDoc(b *testing.B) {
	texts := synthetic(100000)
	for i, s := range texts {
		texts[i] = normalize.Text(s)
	}
	ix := mustIndex(b, Options{})
	benchEach(b, texts, func(i int, s string) { ix.AddDoc(int64(i), 0, Doc{Text: s}) })
	b.ReportMetric(float64(ix.MemoryBytes())/float64(ix.Len()), "bytes/doc")
}

func BenchmarkAdd(b *testing.B) {
	texts := synthetic(100000)
	h := NewHasher()
	fps := make([]Fingerprint, len(texts))
	for i, s := range texts {
		fps[i] = h.Fingerprint(normalize.Text(s))
	}
	ix := mustIndex(b, Options{})
	benchEach(b, fps, func(i int, fp Fingerprint) { ix.AddFingerprint(int64(i), 0, fp) })
	b.ReportMetric(float64(ix.MemoryBytes())/float64(ix.Len()), "bytes/doc")
}

// BenchmarkIndex1M adds one million synthetic problems and reports the
// index's memory per problem. Run with -benchtime=1x.
func BenchmarkIndex1M(b *testing.B) {
	const n = 1_000_000
	texts := synthetic(n)
	benchAddAll(b, n, func(ix *Index, i int) (Match, error) {
		return ix.AddDoc(int64(i), 0, Doc{Text: normalize.Text(texts[i])})
	})
}

// benchAddAll adds n docs to a new index each iteration, add(ix, i) adding
// the i-th, and reports the index's memory per doc and the duplicate share.
func benchAddAll(b *testing.B, n int, add func(ix *Index, i int) (Match, error)) {
	for b.Loop() {
		ix := mustIndex(b, Options{ExpectedDocs: n})
		dups := 0
		for i := range n {
			m, err := add(ix, i)
			if err != nil {
				b.Fatal(err)
			}
			if m.Duplicate {
				dups++
			}
		}
		b.ReportMetric(float64(ix.MemoryBytes())/float64(n), "bytes/doc")
		b.ReportMetric(float64(dups)/float64(n), "dup-share")
	}
}

// BenchmarkOverlaps queries MATH test problems against an index of the
// MATH-500 problems.
func BenchmarkOverlaps(b *testing.B) {
	dir := datasetsDir(b)
	ov, _ := NewOverlapIndex(OverlapOptions{})
	for _, p := range problems(b, filepath.Join(dir, "math500", "test.jsonl")) {
		ov.Add("math500", normalize.Text(p))
	}
	ov.Build()
	var texts []string
	for _, p := range problems(b, filepath.Join(dir, "math_test", "test.jsonl")) {
		texts = append(texts, normalize.Text(p))
	}
	benchEach(b, texts, func(_ int, s string) { ov.Overlaps(s) })
}

// BenchmarkIndex1MReal adds one million problems made from the real MATH,
// GSM8K and AIME statements with their numbers redrawn (about 10% exact
// copies and 5% one-word rewrites), for the memory per problem at real
// problem lengths. Run with -benchtime=1x.
func BenchmarkIndex1MReal(b *testing.B) {
	dir := datasetsDir(b)
	var bases []string
	for _, f := range []string{"math_test/test.jsonl", "gsm8k/train.jsonl", "gsm8k/test.jsonl", "deepscaler/train/aime.json", "deepscaler/train/math.json"} {
		bases = append(bases, problems(b, filepath.Join(dir, f))...)
	}
	gen := func(i int) string {
		rng := rand.New(rand.NewPCG(uint64(i), 99))
		switch r := rng.IntN(20); {
		case r < 2 && i > 0: // exact copy of an earlier problem
			j := rng.IntN(i)
			rng = rand.New(rand.NewPCG(uint64(j), 99))
			rng.IntN(20)
			i = j
		case r == 2 && i > 0: // reworded copy
			j := rng.IntN(i)
			s := strings.Replace(bases[j%len(bases)], " the ", " a ", 1)
			return s
		}
		base := bases[i%len(bases)]
		var sb strings.Builder
		for k := 0; k < len(base); k++ {
			if isDigit(base[k]) {
				for k+1 < len(base) && isDigit(base[k+1]) {
					k++
				}
				fmt.Fprint(&sb, rng.IntN(1000))
				continue
			}
			sb.WriteByte(base[k])
		}
		return sb.String()
	}
	const n = 1_000_000
	h := NewHasher()
	shingles := 0
	benchAddAll(b, n, func(ix *Index, i int) (Match, error) {
		text := normalize.Text(gen(i))
		fp := h.Fingerprint(text)
		shingles += len(fp.Shingles)
		return ix.addFingerprintDoc(int64(i), fp, Doc{Text: text})
	})
	b.ReportMetric(float64(shingles)/float64(n*b.N), "shingles/doc")
}
