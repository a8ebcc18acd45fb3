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
	ReasonUnique             = dedup.ReasonUnique
	ReasonCanonical          = dedup.ReasonCanonical
	ReasonDuplicate          = dedup.ReasonDuplicate
	ReasonClean              = dedup.ReasonClean
	ReasonBenchmark          = dedup.ReasonBenchmark
	ReasonContaminated       = dedup.ReasonContaminated
)

// Gold is the gold answer of a row as its source gives it.
type Gold struct {
	Answer    string // the extracted gold answer, trimmed
	HasAnswer bool   // false: the source gives no answer for this row
	// SolutionFinal is the final answer the row's solution commits to
	// (its last \boxed{} or its "####" line) when the gold answer comes
	// from a separate field; the two must agree.
	SolutionFinal string
	HasFinal      bool
	// Solution is the worked solution, GSM8K calculator notes removed.
	Solution string
}

// ExtractGold reads the gold answer of a row per the spec's answer_from:
// the answer field; the last balanced \boxed{} of the solution; or the text
// after "####" in the solution (GSM8K). A numeric answer field is written
// exactly as a number (142.0 -> 142).
func ExtractGold(s Spec, fields map[string]any) Gold {
	var g Gold
	solution, _ := FieldText(fields, s.Fields.Solution)
	switch s.AnswerFrom {
	case AnswerFromBoxed:
		g.Solution = solution
		g.Answer, g.HasAnswer = normalize.LastBoxed(solution)
	case AnswerFromGSM8K:
		src := solution
		if src == "" {
			src, _ = FieldText(fields, s.Fields.Answer)
		}
		g.Solution = normalize.StripCalculatorNotes(src)
		g.Answer, g.HasAnswer = normalize.AfterHashes(src)
	default: // field
		g.Solution = solution
		if v, ok := LookupField(fields, s.Fields.Answer); ok && v != nil {
			g.Answer = strings.TrimSpace(goldValueText(v))
			g.HasAnswer = g.Answer != "" && g.Answer != "null"
		}
		if solution != "" {
			if f, ok := normalize.LastBoxed(solution); ok {
				g.SolutionFinal, g.HasFinal = f, true
			} else if f, ok := normalize.AfterHashes(solution); ok {
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
	row      bigmath.Problem
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
// h is the calling worker's own dedup.Hasher.
func (rc *stageContext) process(ctx context.Context, h *dedup.Hasher, r Row, key string, index int64, t *stageTimes) processedRow {
	s := rc.spec
	var p processedRow
	out := &p.row
	out.ID = bigmath.ProblemID(s.Name, key)
	out.RowKey = key
	out.RowIndex = index
	hh := xxh3.New()
	hh.Write(rc.specHash)
	hh.Write(r.Raw)
	sum := hh.Sum128().Bytes()
	out.RawHash = sum[:]

	// normalize
	t0 := time.Now()
	raw, _ := FieldText(r.Fields, s.Fields.Problem)
	out.ProblemRaw = raw
	out.ProblemNorm = normalize.Text(raw)
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
	out.Extra = rc.extra(r.Fields)
	var vs []bigmath.StageVerdict
	drop := func(stage bigmath.Stage, reason string) {
		vs = append(vs, stageVerdict(stage, false, reason))
		out.Status, out.Stage, out.Reason = bigmath.StatusDropped, stage, reason
		p.dropped = stage
	}
	if out.ProblemNorm == "" {
		drop(bigmath.StageNormalize, ReasonEmptyProblem)
	} else {
		vs = append(vs, stageVerdict(bigmath.StageNormalize, true, ReasonOK))
	}
	t1 := time.Now()
	t.normalize += t1.Sub(t0)

	// classify
	if p.dropped == "" {
		cv := normalize.Classify(normalize.ClassifyInput{Problem: raw, Answer: gold.Answer, Solution: gold.Solution, HasAnswer: gold.HasAnswer})
		if cv.Keep() {
			vs = append(vs, stageVerdict(bigmath.StageClassify, true, string(cv.Reason)))
		} else {
			drop(bigmath.StageClassify, string(cv.Reason))
		}
	}
	t2 := time.Now()
	t.classify += t2.Sub(t1)

	// verify. A gold answer is parsed even when classify dropped the
	// problem: dedup compares the answers of copies.
	if p.dropped == "" || (p.dropped == bigmath.StageClassify && gold.HasAnswer) {
		canon, kind, err := verify.Canonical(ctx, gold.Answer, rc.verifyOpts)
		switch {
		case p.dropped != "":
			if err == nil {
				out.Answer.Canonical, out.Answer.Kind = canon, string(kind)
			}
		case err != nil:
			drop(bigmath.StageVerify, ReasonUnverifiableAnswer)
		case gold.HasFinal && !verify.Answer(ctx, gold.Answer, gold.SolutionFinal, rc.verifyOpts).Correct:
			out.Answer.Canonical, out.Answer.Kind = canon, string(kind)
			drop(bigmath.StageVerify, ReasonAnswerMismatch)
		default:
			out.Answer.Canonical, out.Answer.Kind = canon, string(kind)
			vs = append(vs, stageVerdict(bigmath.StageVerify, true, ReasonOK))
			out.Status = bigmath.StatusKept
		}
	}
	t3 := time.Now()
	t.verify += t3.Sub(t2)

	// dedup fingerprint
	if out.ProblemNorm != "" {
		p.dedup = true
		fp := h.Fingerprint(out.ProblemNorm)
		p.exactKey = fp.Exact
		out.TextHash = p.exactKey[:]
		out.Bands = make([]int64, len(fp.Bands))
		for i, b := range fp.Bands {
			out.Bands[i] = int64(b)
		}
		fp.Bands = nil // the index keeps the fingerprint; the keys are in the row
		p.fp = fp
		if rc.overlap != nil && !rc.benchmark {
			out.Overlaps = rc.overlap.Match(out.ProblemNorm)
		}
	}
	t.fingerprint += time.Since(t3)

	out.Verdicts = append(vs, dedup.DefaultTail(rc.benchmark)...)
	return p
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
