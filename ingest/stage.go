package ingest

import (
	"context"
	"encoding/json"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/zeebo/xxh3"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/dedup"
	"github.com/bigmath/bigmath/normalize"
	"github.com/bigmath/bigmath/verify"
)

// PipelineVersion is mixed into every row's raw_hash: a release that
// changes what the stages compute bumps it, so that the next ingest
// rewrites the rows instead of keeping their old verdicts.
const PipelineVersion = "1"

// Reasons the pipeline itself gives (the classifier's are in normalize).
const (
	ReasonOK                 = "ok"
	ReasonEmptyProblem       = "empty_problem"
	ReasonUnverifiableAnswer = string(normalize.UnverifiableAnswer)
	ReasonAnswerMismatch     = "answer_mismatch"
	// ReasonUnclearAnswer: the solution boxes several different answers
	// and the problem does not ask for all of them (see Gold.Unclear). It
	// takes the place of the classifier's no_answer for such a row.
	ReasonUnclearAnswer = "unclear_answer"
	ReasonUnique        = dedup.ReasonUnique
	ReasonCanonical     = dedup.ReasonCanonical
	ReasonDuplicate     = dedup.ReasonDuplicate
	ReasonClean         = dedup.ReasonClean
	ReasonBenchmark     = dedup.ReasonBenchmark
	ReasonContaminated  = dedup.ReasonContaminated
)

// Gold is the gold answer of a row as its source gives it.
type Gold struct {
	Answer    string // the extracted gold answer, trimmed
	HasAnswer bool   // false: the source gives no answer for this row
	// Unclear says the solution boxes several different answers and the
	// problem does not ask for all of them (verify.GoldUnclear): no one
	// gold can be chosen, and the row is dropped as ReasonUnclearAnswer.
	Unclear bool
	// SolutionFinal is the final answer the row's solution commits to
	// (verify.GoldFromSolution: its boxes, or its "####" line) when the
	// gold answer comes from a separate field; the two must agree.
	SolutionFinal string
	HasFinal      bool
	// Solution is the worked solution, GSM8K calculator notes removed.
	Solution string
}

// ExtractGold reads the gold answer of a row per the spec's answer_from:
// the answer field; the answer the solution's boxes give
// (verify.GoldFromSolution: the one boxed answer, or all of them when the
// problem asks for all); or the text after "####" in the solution (GSM8K).
// A numeric answer field is written exactly as a number (142.0 -> 142).
func ExtractGold(s Spec, fields map[string]any) Gold {
	var g Gold
	ctx := context.Background() // GoldFromSolution bounds its own comparisons
	solution, _ := FieldText(fields, s.Fields.Solution)
	problem, _ := FieldText(fields, s.Fields.Problem)
	switch s.AnswerFrom {
	case AnswerFromBoxed, AnswerFromGSM8K:
		src := solution
		if src == "" && s.AnswerFrom == AnswerFromGSM8K {
			src, _ = FieldText(fields, s.Fields.Answer)
		}
		g.Solution = normalize.StripCalculatorNotes(src)
		a, st := verify.GoldFromSolution(ctx, problem, src)
		g.Answer, g.HasAnswer, g.Unclear = a, st == verify.GoldFound, st == verify.GoldUnclear
	default: // field
		g.Solution = solution
		if v, ok := LookupField(fields, s.Fields.Answer); ok && v != nil {
			g.Answer = strings.TrimSpace(goldValueText(v))
			g.HasAnswer = g.Answer != "" && g.Answer != "null"
		}
		if solution != "" {
			if f, st := verify.GoldFromSolution(ctx, problem, solution); st == verify.GoldFound {
				g.SolutionFinal, g.HasFinal = f, true
			}
		}
	}
	if !g.HasAnswer {
		g.Answer = ""
	}
	g.Answer = strings.TrimSpace(g.Answer)
	return g
}

// goldValueText is the text of an answer value: numbers exactly (an integral
// JSON number such as 142.0 as 142), lists and objects as JSON.
func goldValueText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return goldNumberText(string(x))
	case float64:
		return goldNumberText(strconv.FormatFloat(x, 'f', -1, 64))
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case bool:
		return strconv.FormatBool(x)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func goldNumberText(s string) string {
	r, ok := new(big.Rat).SetString(s)
	if ok && r.IsInt() && len(s) < 400 {
		return r.Num().String()
	}
	return s
}

// stageTimes accumulates the time spent in each stage.
type stageTimes struct {
	normalize, classify, verify, fingerprint time.Duration
}

// processedRow is one row after the per-row stages.
type processedRow struct {
	row bigmath.Problem
	// recovery is, for a row dropped as multiple_choice, "recovered" when
	// a derived problem was made from it, else why not (normalize.Recovery).
	recovery string
	// derived marks a problem derived from another row of the source.
	derived  bool
	dropped  bigmath.Stage // the stage that dropped it, "" if none
	dedup    bool          // takes part in dedup (non-empty text)
	exactKey [16]byte
	fp       dedup.Fingerprint
}

// stageContext is what the per-row stages need of the run.
type stageContext struct {
	spec        Spec
	specHash    []byte
	verifyOpts  verify.Options
	benchmark   bool
	mappedNames map[string]bool
	// overlap holds the stored benchmark problems (nil when none, and for
	// a benchmark source): a corpus problem that overlaps one is flagged.
	overlap *dedup.OverlapIndex
}

func newStageContext(s Spec) *stageContext {
	fp, _ := json.Marshal(struct {
		V          string
		Role       bigmath.SourceRole
		Fields     FieldMap
		AnswerFrom string
		License    string
	}{PipelineVersion, s.Role, s.Fields, s.AnswerFrom, s.License})
	mapped := map[string]bool{}
	for _, f := range []string{s.Fields.Problem, s.Fields.Answer, s.Fields.Solution, s.Fields.ID, s.Fields.Domain, s.Fields.Difficulty, s.Fields.Level} {
		if f != "" {
			mapped[strings.SplitN(f, ".", 2)[0]] = true
		}
	}
	h := xxh3.Hash128(fp).Bytes()
	return &stageContext{
		spec:        s,
		specHash:    h[:],
		verifyOpts:  verify.Options{Timeout: time.Second},
		benchmark:   s.Role == bigmath.RoleBenchmark,
		mappedNames: mapped,
	}
}

func stageVerdict(stage bigmath.Stage, pass bool, reason string) bigmath.StageVerdict {
	return bigmath.StageVerdict{Stage: stage, Pass: pass, Reason: reason}
}

// process runs normalize, classify, verify and the dedup fingerprint on one
// row. It never fails: a bad row is a dropped problem with a reason.
// h is the calling worker's own dedup.Hasher. When classify drops the row
// as multiple_choice and normalize.Reformulate recovers it, the derived
// problem comes back too (see derive); it is nil otherwise.
func (rc *stageContext) process(ctx context.Context, h *dedup.Hasher, r Row, key string, index int64, t *stageTimes) (processedRow, *processedRow) {
	var p processedRow
	out := &p.row
	out.ID = bigmath.ProblemID(rc.spec.Name, key)
	out.RowKey = key
	out.RowIndex = index
	hh := xxh3.New()
	hh.Write(rc.specHash)
	hh.Write(r.Raw)
	sum := hh.Sum128().Bytes()
	out.RawHash = sum[:]

	t0 := time.Now()
	gold := rc.normalizeRow(&p, r)
	t1 := time.Now()
	t.normalize += t1.Sub(t0)
	if p.dropped == "" {
		rc.classifyRow(&p, gold)
	}
	t2 := time.Now()
	t.classify += t2.Sub(t1)
	rc.verifyRow(ctx, &p, gold)
	t3 := time.Now()
	t.verify += t3.Sub(t2)
	rc.fingerprintRow(h, &p)
	t.fingerprint += time.Since(t3)

	out.Verdicts = append(out.Verdicts, dedup.DefaultTail(rc.benchmark)...)
	var d *processedRow
	if p.dropped == bigmath.StageClassify && out.Reason == string(normalize.MultipleChoice) {
		ref := normalize.Reformulate(out.ProblemRaw, gold.Answer)
		p.recovery = string(ref.Reason)
		if ref.Recovered() {
			p.recovery = RecoveryRecovered
			d = rc.derive(ctx, h, &p, gold, ref)
		}
		t.classify += time.Since(t3)
	}
	return p, d
}

// RecoveryRecovered counts, in the reformulate stage of a run report, the
// multiple-choice rows a derived problem was made from.
const RecoveryRecovered = "recovered"

// DerivedKeySuffix ends the row key of a problem derived from the row
// with the rest of the key (a row key never holds "~").
const DerivedKeySuffix = "~" + bigmath.TransformMCReformulated

// derive makes the open-ended problem recovered from a multiple-choice row
// (normalize.Reformulate) and runs the per-row stages on it like on any
// row: its text is the stem, its gold the keyed option's value. It keeps
// its lineage: derived_from the original's id, the transform, and the
// original text. The solution is kept; its own final answer is compared
// with the new gold unless it names an option.
func (rc *stageContext) derive(ctx context.Context, h *dedup.Hasher, orig *processedRow, gold Gold, ref normalize.Reformulation) *processedRow {
	d := &processedRow{derived: true}
	o, out := &orig.row, &d.row
	out.RowKey = o.RowKey + DerivedKeySuffix
	out.ID = bigmath.ProblemID(rc.spec.Name, out.RowKey)
	out.RowIndex = o.RowIndex
	hh := xxh3.New()
	hh.Write(o.RawHash)
	hh.WriteString(bigmath.TransformMCReformulated)
	sum := hh.Sum128().Bytes()
	out.RawHash = sum[:]
	out.ProblemRaw = ref.Problem
	out.ProblemNorm = normalize.Text(ref.Problem)
	out.Solution, out.Domain, out.Level, out.Difficulty, out.Extra = o.Solution, o.Domain, o.Level, o.Difficulty, o.Extra
	out.Answer.Raw = ref.Answer
	out.DerivedFrom, out.Transform, out.OriginalText = o.ID, bigmath.TransformMCReformulated, o.ProblemRaw
	dg := Gold{Answer: ref.Answer, HasAnswer: true, Solution: gold.Solution}
	if gold.HasFinal && !normalize.NamesOption(gold.SolutionFinal) {
		dg.SolutionFinal, dg.HasFinal = gold.SolutionFinal, true
	}
	if out.ProblemNorm == "" {
		d.drop(bigmath.StageNormalize, ReasonEmptyProblem)
	} else {
		d.pass(bigmath.StageNormalize, ReasonOK)
		rc.classifyRow(d, dg)
	}
	rc.verifyRow(ctx, d, dg)
	rc.fingerprintRow(h, d)
	out.Verdicts = append(out.Verdicts, dedup.DefaultTail(rc.benchmark)...)
	return d
}

// pass records that stage passed the row.
func (p *processedRow) pass(stage bigmath.Stage, reason string) {
	p.row.Verdicts = append(p.row.Verdicts, stageVerdict(stage, true, reason))
}

// drop records that stage dropped the row.
func (p *processedRow) drop(stage bigmath.Stage, reason string) {
	p.row.Verdicts = append(p.row.Verdicts, stageVerdict(stage, false, reason))
	p.row.Status, p.row.Stage, p.row.Reason = bigmath.StatusDropped, stage, reason
	p.dropped = stage
}

// normalizeRow maps the row's fields, normalizes its text and extracts its
// gold answer.
func (rc *stageContext) normalizeRow(p *processedRow, r Row) Gold {
	s, out := rc.spec, &p.row
	out.ProblemRaw, _ = FieldText(r.Fields, s.Fields.Problem)
	out.ProblemNorm = normalize.Text(out.ProblemRaw)
	gold := ExtractGold(s, r.Fields)
	out.Solution = gold.Solution
	out.Answer.Raw = gold.Answer
	out.Domain, _ = FieldText(r.Fields, s.Fields.Domain)
	out.Level, _ = FieldText(r.Fields, s.Fields.Level)
	if d, ok := LookupField(r.Fields, s.Fields.Difficulty); ok && d != nil {
		if f, err := strconv.ParseFloat(goldValueText(d), 64); err == nil {
			out.Difficulty = &f
		}
	}
	if out.Difficulty == nil {
		if d, ok := LevelDifficulty(out.Level); ok {
			out.Difficulty = &d
		}
	}
	out.Extra = rc.extra(r.Fields)
	if out.ProblemNorm == "" {
		p.drop(bigmath.StageNormalize, ReasonEmptyProblem)
	} else {
		p.pass(bigmath.StageNormalize, ReasonOK)
	}
	return gold
}

// classifyRow keeps only problems with one checkable answer.
func (rc *stageContext) classifyRow(p *processedRow, gold Gold) {
	cv := normalize.Classify(normalize.ClassifyInput{Problem: p.row.ProblemRaw, Answer: gold.Answer, Solution: gold.Solution, HasAnswer: gold.HasAnswer})
	switch {
	case cv.Keep():
		p.pass(bigmath.StageClassify, string(cv.Reason))
	case cv.Reason == normalize.NoAnswer && gold.Unclear:
		// The solution has answers, but no one of them is the gold.
		p.drop(bigmath.StageClassify, ReasonUnclearAnswer)
	default:
		p.drop(bigmath.StageClassify, string(cv.Reason))
	}
}

// verifyRow parses the gold answer and checks it against the solution's
// own final answer. A gold answer is parsed even when classify dropped the
// problem: dedup compares the answers of copies.
func (rc *stageContext) verifyRow(ctx context.Context, p *processedRow, gold Gold) {
	if p.dropped != "" && (p.dropped != bigmath.StageClassify || !gold.HasAnswer) {
		return
	}
	out := &p.row
	canon, kind, err := verify.Canonical(ctx, gold.Answer, rc.verifyOpts)
	switch {
	case p.dropped != "":
		if err == nil {
			out.Answer.Canonical, out.Answer.Kind = canon, string(kind)
		}
	case err != nil:
		p.drop(bigmath.StageVerify, ReasonUnverifiableAnswer)
	case gold.HasFinal && !verify.Answer(ctx, gold.Answer, gold.SolutionFinal, rc.verifyOpts).Correct:
		out.Answer.Canonical, out.Answer.Kind = canon, string(kind)
		p.drop(bigmath.StageVerify, ReasonAnswerMismatch)
	default:
		out.Answer.Canonical, out.Answer.Kind = canon, string(kind)
		p.pass(bigmath.StageVerify, ReasonOK)
		out.Status = bigmath.StatusKept
	}
}

// fingerprintRow computes the dedup fingerprint and the benchmark overlaps.
func (rc *stageContext) fingerprintRow(h *dedup.Hasher, p *processedRow) {
	out := &p.row
	if out.ProblemNorm == "" {
		return
	}
	p.dedup = true
	fp := h.Fingerprint(out.ProblemNorm)
	p.exactKey = fp.Exact
	out.TextHash = p.exactKey[:]
	keys := fp.Keys() // LSH bands, then the blocking keys of reworded copies
	out.Bands = make([]int64, len(keys))
	for i, k := range keys {
		out.Bands[i] = int64(k)
	}
	fp.Bands = nil // the index keeps the fingerprint; the keys are in the row
	p.fp = fp
	if rc.overlap != nil && !rc.benchmark {
		out.Overlaps = rc.overlap.MatchFingerprint(out.ProblemNorm, fp)
	}
}

// extra returns the row's unmapped columns as a JSON object.
func (rc *stageContext) extra(fields map[string]any) []byte {
	m := make(map[string]any, len(fields))
	for k, v := range fields {
		if !rc.mappedNames[k] {
			m[k] = v
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		return []byte("{}")
	}
	return b
}
