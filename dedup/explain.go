package dedup

import (
	"fmt"
	"slices"
	"strings"
)

// Edit kinds: the allowed differences that explain a duplicate. An Edit's
// String is the kind, or "kind:from/to" ("synonym:total/altogether",
// "unit:km/kilometers"), or "rename:Natalie->Maria".
const (
	EditLatex             = "latex_format"       // spacing, delimiters, \dfrac/\frac, \left/\right, empty groups
	EditStopWords         = "stop_words"         // articles, prepositions, auxiliaries added or dropped
	EditSynonym           = "synonym"            // a word or phrase of the synonym table
	EditInflection        = "inflection"         // the same word stem ("marble"/"marbles")
	EditRename            = "rename"             // a consistent renaming of a person (pronouns follow)
	EditUnit              = "unit"               // a unit's name, abbreviation or spelling
	EditNumberWord        = "number_word"        // "three" / 3
	EditCutOff            = "cut_off"            // one copy stops short: the other is its complete form
	EditFormatInstruction = "format_instruction" // "Express your answer as a common fraction." in one copy only
	EditSolution          = "solution_appended"  // one copy carries solution text after the problem
	EditFigure            = "figure"             // figure code or a link in one copy only
	EditAnswerFormat      = "answer_format"      // benchmark overlap only: the answer asked in another form ("find m+n")
	EditReworded          = "reworded"           // other sentences, same numbers, math and content words
	EditLeadIn            = "lead_in"            // a label opening one copy ("Question:", "Problem 3.")
	// EditChangedWord is benchmark overlap only: at most two words
	// changed one for one in a long copy (a corrupted copy of a benchmark
	// problem is still a leak).
	EditChangedWord = "changed_word"
)

// Edit is one allowed difference between two copies of a problem.
type Edit struct {
	Kind string `json:"kind"`
	// From and To are the two spellings (from the first text, then the
	// second), when the kind has them.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}

// String returns the edit as "kind", "kind:from/to" or, for a rename,
// "rename:from->to".
func (e Edit) String() string {
	switch {
	case e.From == "" && e.To == "":
		return e.Kind
	case e.Kind == EditRename:
		return e.Kind + ":" + e.From + "->" + e.To
	}
	return e.Kind + ":" + e.From + "/" + e.To
}

// Doc is one problem for the explained comparison.
type Doc struct {
	// Text is the normalized statement (normalize.Text).
	Text string
	// Answer is the canonical gold answer (verify.Canonical), "" when
	// there is none. Two corpus problems with different answers are never
	// duplicates.
	Answer string
}

// Mode says which comparison Explain makes.
type Mode uint8

const (
	// Corpus compares two corpus problems: gold answers, when both have
	// one, must agree, and confirm a reworded copy.
	Corpus Mode = iota
	// Benchmark asks whether the second text is a copy of the first, a
	// benchmark problem (decontamination): answers are ignored, and a copy
	// that asks for the answer in another form ("... find m+n") is still a
	// copy.
	Benchmark
)

// Decision is the outcome of Explain.
type Decision struct {
	// Duplicate reports that every difference is explained by Edits.
	Duplicate bool
	// Edits are the allowed edits found, in a fixed order (empty for an
	// identical text); meaningful when Duplicate.
	Edits []Edit
	// Difference describes the first difference no edit explains, when
	// not Duplicate ("word: green/blue", "number: 7/8", "answers differ").
	Difference string
	// CutOff is 1 when the first text is a cut-off copy of the second, 2
	// when the second is one of the first, 0 otherwise. A cut-off copy is
	// never a cluster's canonical member.
	CutOff int
}

// EditStrings returns the edits as strings (Edit.String).
func (d Decision) EditStrings() []string {
	out := make([]string, len(d.Edits))
	for i, e := range d.Edits {
		out[i] = e.String()
	}
	return out
}

// Explain decides whether b is a duplicate of a, and says why: every
// difference between the texts must be an allowed edit (see the package
// documentation, "Explained duplicates"). It is pure and safe for
// concurrent use.
func Explain(a, b Doc, mode Mode) Decision {
	if mode == Corpus && a.Answer != "" && b.Answer != "" && a.Answer != b.Answer {
		return Decision{Difference: "answers differ: " + a.Answer + " / " + b.Answer}
	}
	if a.Text == b.Text {
		return Decision{Duplicate: true}
	}
	return explainPrepared(prepare(a.Text), prepare(b.Text), mode, a.Answer != "" && b.Answer != "" && mode == Corpus)
}

// explainPrepared is Explain on prepared texts; goldsAgree says both have
// the same gold answer.
func explainPrepared(pa, pb *prepared, mode Mode, goldsAgree bool) Decision {
	var ex explanation
	if diff := ex.figures(pa, pb); diff != "" {
		return Decision{Difference: diff}
	}
	if fa := flat(pa.prose); fa != "" && fa == flat(pb.prose) {
		if pa.lead != pb.lead {
			ex.add(Edit{Kind: EditLeadIn})
		}
		if !slices.Equal(pa.format, pb.format) {
			ex.add(Edit{Kind: EditFormatInstruction})
		}
		ex.add(Edit{Kind: EditLatex})
		return Decision{Duplicate: true, Edits: ex.sorted()}
	}
	ta, tb := pa.toks, pb.toks
	if mode == Benchmark && len(pa.answerFmt)+len(pb.answerFmt) > 0 {
		ta, tb = pa.withoutAnswerForm(), pb.withoutAnswerForm()
		ex.answerFormat = len(ta) != len(pa.toks) || len(tb) != len(pb.toks)
	}
	al := align(ta, tb)
	diff := ex.classify(pa, pb, ta, tb, al, mode)
	if diff == "" {
		diff = ex.renames(ta, tb, al)
	}
	if diff != "" {
		if reworded(pa, pb, ta, tb, al, goldsAgree) {
			return Decision{Duplicate: true, Edits: []Edit{{Kind: EditReworded}}}
		}
		return Decision{Difference: diff}
	}
	ex.dropped(pa, pb)
	d := Decision{Duplicate: true, Edits: ex.sorted(), CutOff: ex.cutOff}
	if len(d.Edits) == 0 && pa.text != pb.text {
		d.Edits = []Edit{{Kind: EditLatex}}
	}
	return d
}

// explanation collects the edits of one comparison.
type explanation struct {
	edits        []Edit
	cutOff       int
	answerFormat bool
	// gapNames are names matched to a capitalised word the other text does
	// not know as a name ("Josie received ..." / "Amanda received ...").
	gapNames [][2]etok
}

// count returns how often a surface form occurs in toks.
func count(toks []etok, surf string) int {
	n := 0
	for _, t := range toks {
		if t.surf == surf {
			n++
		}
	}
	return n
}

// nameLike reports a name, or a word written like one (Josie).
func nameLike(t etok) bool {
	if t.kind == kName {
		return true
	}
	s := t.surf
	if t.kind != kWord || len(s) < 2 || s[0] < 'A' || s[0] > 'Z' || notNames[strings.ToLower(s)] {
		return false
	}
	for k := 1; k < len(s); k++ {
		if s[k] < 'a' || s[k] > 'z' {
			return false
		}
	}
	return true
}

func (ex *explanation) add(e Edit) {
	if !slices.Contains(ex.edits, e) {
		ex.edits = append(ex.edits, e)
	}
}

// editOrder fixes the order edits are reported in.
var editOrder = []string{EditLeadIn, EditLatex, EditStopWords, EditSynonym, EditInflection, EditRename, EditUnit, EditNumberWord,
	EditFormatInstruction, EditAnswerFormat, EditFigure, EditCutOff, EditSolution, EditChangedWord, EditReworded}

func (ex *explanation) sorted() []Edit {
	out := slices.Clone(ex.edits)
	slices.SortStableFunc(out, func(x, y Edit) int {
		if c := slices.Index(editOrder, x.Kind) - slices.Index(editOrder, y.Kind); c != 0 {
			return c
		}
		return strings.Compare(x.String(), y.String())
	})
	return out
}

// figures applies the figure rule: when both carry figure code, its label
// numbers must be equal and the samples similar; a figure in one copy only
// is an edit.
func (ex *explanation) figures(pa, pb *prepared) string {
	switch {
	case pa.hasFigure && pb.hasFigure:
		if _, ok := figuresAgree(1, pa.fp.Aux, pb.fp.Aux, pa.fp.AuxNumbers, pb.fp.AuxNumbers, DefaultThreshold); !ok {
			return "figure: the figures differ"
		}
	case pa.hasFigure != pb.hasFigure:
		ex.add(Edit{Kind: EditFigure})
	}
	return ""
}

// dropped adds the edits of what both sides dropped before the
// comparison: stop words, instruction words and format instructions.
func (ex *explanation) dropped(pa, pb *prepared) {
	if !sameMultiset(pa.stops, pb.stops) {
		ex.add(Edit{Kind: EditStopWords})
	}
	if !sameMultiset(pa.instr, pb.instr) {
		ex.add(Edit{Kind: EditSynonym, From: firstOr(pa.instr, "-"), To: firstOr(pb.instr, "-")})
	}
	if pa.lead != pb.lead {
		ex.add(Edit{Kind: EditLeadIn})
	}
	if !slices.Equal(pa.format, pb.format) {
		ex.add(Edit{Kind: EditFormatInstruction})
	}
	if ex.answerFormat {
		ex.add(Edit{Kind: EditAnswerFormat})
	}
}

func firstOr(xs []string, def string) string {
	if len(xs) == 0 {
		return def
	}
	return xs[0]
}

func sameMultiset(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// alignment is the longest common subsequence of two token sequences: the
// matched index pairs, in order.
type alignment struct {
	pairs [][2]int
}

// align matches equal keys of a and b: the common prefix and suffix, then
// a longest common subsequence of the middle.
func align(a, b []etok) alignment {
	var al alignment
	p := 0
	for p < len(a) && p < len(b) && a[p].key == b[p].key {
		al.pairs = append(al.pairs, [2]int{p, p})
		p++
	}
	s := 0
	for s < len(a)-p && s < len(b)-p && a[len(a)-1-s].key == b[len(b)-1-s].key {
		s++
	}
	ma, mb := a[p:len(a)-s], b[p:len(b)-s]
	if len(ma) > 0 && len(mb) > 0 {
		if len(ma)*len(mb) > 4_000_000 { // too long to align: compare as is
			ma, mb = ma[:min(len(ma), 2000)], mb[:min(len(mb), 2000)]
		}
		n, m := len(ma), len(mb)
		dp := make([]uint16, (n+1)*(m+1))
		w := m + 1
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				if ma[i].key == mb[j].key {
					dp[i*w+j] = dp[(i+1)*w+j+1] + 1
				} else {
					dp[i*w+j] = max(dp[(i+1)*w+j], dp[i*w+j+1])
				}
			}
		}
		for i, j := 0, 0; i < n && j < m; {
			switch {
			case ma[i].key == mb[j].key:
				al.pairs = append(al.pairs, [2]int{p + i, p + j})
				i++
				j++
			case dp[(i+1)*w+j] >= dp[i*w+j+1]:
				i++
			default:
				j++
			}
		}
	}
	for k := s; k > 0; k-- {
		al.pairs = append(al.pairs, [2]int{len(a) - k, len(b) - k})
	}
	return al
}

// classify explains the matched pairs whose spellings differ and every
// unmatched stretch; it returns the first unexplained difference, or "".
func (ex *explanation) classify(pa, pb *prepared, a, b []etok, al alignment, mode Mode) string {
	pi, pj := 0, 0
	changed := 0
	for _, pr := range al.pairs {
		x, y := a[pi:pr[0]], b[pj:pr[1]]
		if mode == Benchmark && len(x) == 1 && len(y) == 1 && x[0].kind == kWord && y[0].kind == kWord &&
			changed < 2 && min(len(a), len(b)) >= 40 && 20*len(al.pairs) >= 19*min(len(a), len(b)) {
			changed++
			ex.add(Edit{Kind: EditChangedWord, From: strings.ToLower(x[0].surf), To: strings.ToLower(y[0].surf)})
		} else if len(x) == 1 && len(y) == 1 && nameLike(x[0]) && nameLike(y[0]) &&
			(x[0].kind == kName || y[0].kind == kName || count(a, x[0].surf) >= 2 && count(b, y[0].surf) >= 2) {
			ex.gapNames = append(ex.gapNames, [2]etok{x[0], y[0]})
		} else if d := ex.gap(x, y); d != "" {
			return d
		}
		ex.same(a[pr[0]], b[pr[1]])
		pi, pj = pr[0]+1, pr[1]+1
	}
	return ex.tail(pa, pb, a, b, pi, pj, mode)
}

// same records the edit of two matched tokens spelled differently.
func (ex *explanation) same(x, y etok) {
	if x.kind == kName || x.kind == kPron || x.surf == y.surf {
		return
	}
	kind := x.edit
	if kind == "" {
		kind = y.edit
	}
	lx, ly := strings.ToLower(x.surf), strings.ToLower(y.surf)
	switch {
	case kind == "" && lx == ly:
		kind = EditLatex
	case kind == "" && x.kind == kWord:
		kind = EditInflection
	case kind == "":
		kind = EditLatex
	}
	switch kind {
	case EditSynonym, EditUnit:
		if lx != ly {
			ex.add(Edit{Kind: kind, From: lx, To: ly})
		}
	case EditNumberWord, EditLatex, EditInflection:
		ex.add(Edit{Kind: kind})
	}
}

// gap explains an unmatched stretch inside the texts: nothing is allowed
// there (stop words, synonyms and formatting were read away before).
func (ex *explanation) gap(x, y []etok) string {
	if len(x) == 0 && len(y) == 0 {
		return ""
	}
	return describe(x, y)
}

// describe names an unexplained difference by the kind of its first
// token.
func describe(x, y []etok) string {
	kind := "word"
	t := append(slices.Clone(x), y...)
	for _, k := range t {
		if k.kind == kNum {
			kind = "number"
			break
		}
		if k.kind == kMath {
			kind = "math"
		}
	}
	return fmt.Sprintf("%s: %s / %s", kind, joinSurf(x), joinSurf(y))
}

// solutionCues open solution text appended to a problem.
var solutionCues = []string{"solution", "answer:", "answer is", "sol.", "proof", "hint", "let's", "we have", "we get",
	"we know", "we can", "we need", "first,", "note that", "since ", "because ", "thus", "therefore", "hence",
	"so the", "the answer", `\boxed`, "$\\boxed", "step 1", "by ", "using ", "notice that", "observe that"}

// tail explains what follows the last matched token: a cut-off end,
// appended solution text or, for a benchmark copy, another answer form.
func (ex *explanation) tail(pa, pb *prepared, a, b []etok, i, j int, mode Mode) string {
	ra, rb := a[i:], b[j:]
	if len(ra) == 0 && len(rb) == 0 {
		return ""
	}
	// S is the side that stops short (its rest is empty or one fragment).
	short, long, sRest, lRest, side := pa, pb, ra, rb, 1
	if len(ra) > len(rb) {
		short, long, sRest, lRest, side = pb, pa, rb, ra, 2
	}
	fragment := len(sRest) == 0 || len(sRest) == 1 && len(lRest) > 0 &&
		strings.HasPrefix(strings.ToLower(lRest[0].surf), strings.ToLower(sRest[0].surf)) && !short.complete
	if fragment {
		rest := strings.ToLower(strings.TrimSpace(long.prose[lRest[0].start:]))
		for _, c := range solutionCues {
			if strings.HasPrefix(rest, c) {
				ex.add(Edit{Kind: EditSolution})
				return ""
			}
		}
		matched := len(a) - len(ra)
		if side == 2 {
			matched = len(b) - len(rb)
		}
		longLen := len(b)
		if side == 2 {
			longLen = len(a)
		}
		// unfinished, or finished sentences without the question the other
		// copy goes on to ask
		if (!short.complete || !asks(short) && asks(long)) && 2*matched >= longLen {
			ex.add(Edit{Kind: EditCutOff})
			ex.cutOff = side
			return ""
		}
	}
	return describe(ra, rb)
}

// asks reports whether a text asks something: a question mark, an
// instruction word (find, compute, what, ...) or "how".
func asks(p *prepared) bool {
	return strings.Contains(p.prose, "?") || len(p.instr) > 0 || slices.Contains(p.stops, "how") || len(p.format) > 0
}

// renames checks that matched names map one to one, and records the
// renames; pronouns may differ only with a rename.
func (ex *explanation) renames(a, b []etok, al alignment) string {
	ab, ba := map[string]string{}, map[string]string{}
	var renamed []Edit
	pron := ""
	var matched [][2]etok
	for _, pr := range al.pairs {
		matched = append(matched, [2]etok{a[pr[0]], b[pr[1]]})
	}
	for _, g := range ex.gapNames {
		g[0].kind = kName
		matched = append(matched, g)
	}
	for _, xy := range matched {
		x, y := xy[0], xy[1]
		switch x.kind {
		case kName:
			if m, ok := ab[x.surf]; ok && m != y.surf {
				return "rename: " + x.surf + " is " + m + " and " + y.surf
			}
			if m, ok := ba[y.surf]; ok && m != x.surf {
				return "rename: " + y.surf + " is " + m + " and " + x.surf
			}
			if _, ok := ab[x.surf]; !ok && x.surf != y.surf {
				renamed = append(renamed, Edit{Kind: EditRename, From: x.surf, To: y.surf})
			}
			ab[x.surf], ba[y.surf] = y.surf, x.surf
		case kPron:
			if x.surf != y.surf && pron == "" {
				pron = "pronoun: " + x.surf + " / " + y.surf
			}
		}
	}
	if len(renamed) == 0 && pron != "" {
		return pron
	}
	for _, e := range renamed {
		ex.add(e)
	}
	return ""
}

// EditStrings returns the edits of a match as strings (Edit.String).
func (m Match) EditStrings() []string { return Decision{Edits: m.Edits}.EditStrings() }

// LinkEdits returns the edits of a decision on the pair (a, b) as a link
// stores them (bigmath.Link.Edits): Edit.String of each, except that a
// cut-off edit names the cut-off copy, CutOffEdit + its id, so that
// clustering never makes it canonical.
func (d Decision) LinkEdits(a, b string) []string {
	out := d.EditStrings()
	for i, e := range d.Edits {
		if e.Kind == EditCutOff {
			switch d.CutOff {
			case 1:
				out[i] = CutOffEdit + a
			case 2:
				out[i] = CutOffEdit + b
			}
		}
	}
	return out
}

// Confirm decides a candidate pair found outside an Index (by band or
// blocking keys in a map or in Postgres), given both fingerprints
// (Hasher.Fingerprint of the texts) and the texts with their gold answers:
// the cheap number test first (Fingerprint.Numbers), then Explain. It
// returns the shingle similarity of the pair (for the link) and the
// decision. Use mode Benchmark when one of the two is a benchmark problem.
func Confirm(fa Fingerprint, a Doc, fb Fingerprint, b Doc, mode Mode) (float64, Decision) {
	var h Hasher
	return h.Confirm(fa, a, fb, b, mode)
}

// Confirm is the package's Confirm that reads the texts with the given
// fingerprints (their figure sample and figure numbers) instead of
// fingerprinting them again, and keeps the stems it computes for the next
// call. The decision is the same; h must not be shared between goroutines.
func (h *Hasher) Confirm(fa Fingerprint, a Doc, fb Fingerprint, b Doc, mode Mode) (float64, Decision) {
	if a.Text != b.Text && !numbersCompatible(fa.Numbers, fb.Numbers) && mode == Corpus {
		return 0, Decision{Difference: "numbers differ"}
	}
	var d Decision
	switch {
	case mode == Corpus && a.Answer != "" && b.Answer != "" && a.Answer != b.Answer:
		d = Explain(a, b, mode)
	case a.Text == b.Text:
		return 1, Decision{Duplicate: true}
	default:
		if h.stems == nil {
			h.stems = map[string]string{}
		}
		d = explainPrepared(prepareWith(a.Text, fa, h.stems), prepareWith(b.Text, fb, h.stems), mode,
			a.Answer != "" && b.Answer != "" && mode == Corpus)
	}
	if !d.Duplicate {
		return 0, d
	}
	return Jaccard(fa.Shingles, fb.Shingles), d
}
