// Package synth generates synthetic math problems with a known number of
// exact and near duplicates, for load-testing the ingest pipeline.
//
// Every base problem is a word problem from a template, filled with a name,
// an object and three numbers; the first number is unique to the base
// problem, so no two base problems are duplicates (problems that differ
// only in their numbers are different problems). The gold answer is an
// integer computed from the numbers.
//
// A share of rows are copies of an earlier base problem:
//   - exact copies differ only in formatting that normalization removes
//     (\( \) for $, \dfrac for \frac, extra white space and line breaks);
//   - near copies add a few words ("Question:", "Give your answer as a whole
//     number.") and keep the numbers and the answer.
//
// The output is JSON Lines, {"id","problem","answer"}, deterministic for a
// seed.
package synth

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Options configure Generate.
type Options struct {
	N         int     // rows to write
	Seed      uint64  // same seed, same rows
	ExactRate float64 // share of rows that are exact (formatting) copies; default 0.10
	NearRate  float64 // share of rows that are near copies (reworded); default 0.05
}

// Counts says what Generate wrote: what dedup should find.
type Counts struct {
	Rows       int `json:"rows"`
	Base       int `json:"base"`       // distinct problems
	ExactDups  int `json:"exact_dups"` // rows that are formatting copies of a base problem
	NearDups   int `json:"near_dups"`  // rows that are reworded copies of a base problem
	Duplicates int `json:"duplicates"` // ExactDups + NearDups: non-canonical members
	Clusters   int `json:"clusters"`   // base problems with at least one copy
}

type template struct {
	text   string // %[1]s name, %[2]s object, %[3]d %[4]d %[5]d numbers
	answer func(a, b, c int) int
}

var templates = []template{
	{"%[1]s has %[3]d %[2]s. She buys %[4]d more boxes with %[5]d %[2]s in each box. How many %[2]s does she have now?", func(a, b, c int) int { return a + b*c }},
	{"A shop sells %[2]s for %[4]d dollars each. %[1]s pays with %[3]d dollars and buys as many as %[5]d of them. If the shop gives change, how many dollars does %[1]s pay in total for %[5]d %[2]s?", func(a, b, c int) int { return b * c }},
	{"Compute $%[3]d \\times %[4]d + %[5]d$.", func(a, b, c int) int { return a*b + c }},
	{"What is the value of $\\frac{%[3]d \\cdot %[4]d}{1} - %[5]d$?", func(a, b, c int) int { return a*b - c }},
	{"%[1]s reads %[3]d pages of a book about %[2]s on Monday, %[4]d pages on Tuesday and %[5]d pages on Wednesday. How many pages did %[1]s read in the three days?", func(a, b, c int) int { return a + b + c }},
	{"Let $x = %[3]d$ and $y = %[4]d$. Find $x + y + %[5]d$.", func(a, b, c int) int { return a + b + c }},
	{"A rectangle has length %[3]d and width %[4]d. A square of side %[5]d is cut from it. What is the remaining area?", func(a, b, c int) int { return a*b - c*c }},
	{"There are %[3]d %[2]s in a warehouse. %[1]s ships %[4]d crates of %[5]d %[2]s each. How many %[2]s remain, if the result may be negative?", func(a, b, c int) int { return a - b*c }},
	{"Find the sum of all terms of the arithmetic sequence with first term $%[3]d$, common difference $%[4]d$ and $%[5]d$ terms.", func(a, b, c int) int { return c*a + b*c*(c-1)/2 }},
	{"In a class of %[3]d students, each student brings %[4]d %[2]s and the teacher brings %[5]d more. How many %[2]s are there in total?", func(a, b, c int) int { return a*b + c }},
	{"Evaluate $(%[3]d + %[4]d) \\cdot %[5]d$.", func(a, b, c int) int { return (a + b) * c }},
	{"%[1]s saves %[4]d dollars a week for %[5]d weeks, starting from %[3]d dollars. How much money does %[1]s have at the end?", func(a, b, c int) int { return a + b*c }},
}

var names = []string{"Ava", "Ben", "Chloe", "Dan", "Eva", "Finn", "Gia", "Hugo", "Ines", "Jon", "Kira", "Liam", "Mia", "Noah", "Olga", "Pete", "Quinn", "Rosa", "Sam", "Tara", "Uma", "Vik", "Wes", "Xena", "Yara", "Zed"}
var objects = []string{"apples", "pencils", "marbles", "stickers", "books", "coins", "cards", "shells", "stamps", "tiles", "beads", "cups"}

// problem is one base problem.
type problem struct {
	text   string
	answer int
}

func makeBase(r *rand.Rand, i int) problem {
	t := templates[r.IntN(len(templates))]
	a := 100 + i // unique per base problem
	b := 2 + r.IntN(97)
	c := 2 + r.IntN(97)
	text := fmt.Sprintf(t.text, names[r.IntN(len(names))], objects[r.IntN(len(objects))], a, b, c)
	return problem{text: text, answer: t.answer(a, b, c)}
}

// ExactVariant rewrites a problem's formatting only: math delimiters,
// \dfrac, white space. Normalization maps it back to the same text.
func ExactVariant(text string, k int) string {
	switch k % 3 {
	case 0: // $...$ -> \(...\)
		var b strings.Builder
		open := true
		for _, r := range text {
			if r == '$' && !strings.HasSuffix(b.String(), "\\") {
				if open {
					b.WriteString(`\(`)
				} else {
					b.WriteString(`\)`)
				}
				open = !open
				continue
			}
			b.WriteRune(r)
		}
		if !open { // an odd $ (currency): keep the original
			return text + "  "
		}
		return b.String()
	case 1:
		return strings.ReplaceAll(strings.ReplaceAll(text, `\frac`, `\dfrac`), ". ", ".\n\n")
	default:
		return "  " + strings.ReplaceAll(text, " ", "   ") + "\n"
	}
}

// NearVariant rewords a problem slightly, keeping its numbers and answer:
// a one-word lead-in ("Question:", "Problem.", "Exercise:"). Generate
// applies it to long problems only (at least MinNearWords words), where the
// token 3-gram Jaccard similarity to the base stays above 0.8; on a short
// problem the same words would be a large part of the text.
func NearVariant(text string, k int) string {
	switch k % 3 {
	case 0:
		return "Question: " + text
	case 1:
		return "Problem. " + text
	default:
		return "Exercise: " + text
	}
}

// MinNearWords is the length from which a base problem may get near copies.
const MinNearWords = 22

// recent holds up to a window of base problems with their numbers, for
// copying from.
type recent struct {
	probs []problem
	ids   []int
}

// add keeps p, base number id: appended while fewer than window are held,
// else in the place of one drawn at random.
func (w *recent) add(r *rand.Rand, window int, p problem, id int) {
	if len(w.probs) < window {
		w.probs = append(w.probs, p)
		w.ids = append(w.ids, id)
		return
	}
	k := r.IntN(window)
	w.probs[k], w.ids[k] = p, id
}

// Generate writes opt.N rows of JSON Lines to w.
func Generate(w io.Writer, opt Options) (Counts, error) {
	if opt.ExactRate == 0 {
		opt.ExactRate = 0.10
	}
	if opt.NearRate == 0 {
		opt.NearRate = 0.05
	}
	r := rand.New(rand.NewPCG(opt.Seed, 0x5eed))
	bw := bufio.NewWriterSize(w, 1<<20)
	var c Counts
	var bases recent // recent base problems, copied from
	copied := map[int]bool{}
	var long recent // recent long base problems, near-copied from
	type row struct {
		ID      string `json:"id"`
		Problem string `json:"problem"`
		Answer  string `json:"answer"`
	}
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	const window = 50000
	for i := 0; i < opt.N; i++ {
		x := r.Float64()
		var out row
		out.ID = "synth-" + strconv.Itoa(i)
		switch {
		case len(bases.probs) > 0 && x < opt.ExactRate:
			j := r.IntN(len(bases.probs))
			out.Problem, out.Answer = ExactVariant(bases.probs[j].text, r.IntN(3)), strconv.Itoa(bases.probs[j].answer)
			c.ExactDups++
			copied[bases.ids[j]] = true
		case len(long.probs) > 0 && x < opt.ExactRate+opt.NearRate:
			j := r.IntN(len(long.probs))
			out.Problem, out.Answer = NearVariant(long.probs[j].text, r.IntN(3)), strconv.Itoa(long.probs[j].answer)
			c.NearDups++
			copied[long.ids[j]] = true
		default:
			p := makeBase(r, c.Base)
			bases.add(r, window, p, c.Base)
			if len(strings.Fields(p.text)) >= MinNearWords {
				long.add(r, window, p, c.Base)
			}
			c.Base++
			out.Problem, out.Answer = p.text, strconv.Itoa(p.answer)
		}
		if err := enc.Encode(out); err != nil {
			return c, fmt.Errorf("write row %d: %w", i, err)
		}
		c.Rows++
	}
	c.Duplicates = c.ExactDups + c.NearDups
	c.Clusters = len(copied)
	return c, bw.Flush()
}
