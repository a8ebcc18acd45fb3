// Command candidates lists candidate duplicate pairs over every shared
// dataset file, for labelling by hand: pairs of rows whose word 3-shingle
// sets have a Jaccard similarity of at least -min. It is deliberately
// independent of bigmath's dedup (no normalisation beyond lower case and
// splitting on non-alphanumerics), so that the labelled pairs do not
// inherit its blind spots. Output: TSV of file_a, id_a, file_b, id_b,
// jaccard, exact (1 when the raw texts are equal).
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"strings"
	"unicode"

	"github.com/bigmath/bigmath/internal/audit"
)

func main() {
	datasets := flag.String("datasets", "../shared/datasets", "the shared/datasets folder")
	minJ := flag.Float64("min", 0.3, "least Jaccard similarity printed")
	maxPosting := flag.Int("maxposting", 60, "shingles held by more rows than this are not used for blocking")
	flag.Parse()
	if err := run(*datasets, *minJ, *maxPosting); err != nil {
		slog.Error("candidates", "err", err)
		os.Exit(1)
	}
}

type doc struct {
	ref  audit.Ref
	text string
	sh   map[string]bool
}

func shingles(s string) map[string]bool {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	out := map[string]bool{}
	for i := 0; i+3 <= len(words); i++ {
		out[strings.Join(words[i:i+3], " ")] = true
	}
	if len(words) < 3 {
		out[strings.Join(words, " ")] = true
	}
	return out
}

func run(datasets string, minJ float64, maxPosting int) error {
	byFile, err := audit.LoadAll(datasets)
	if err != nil {
		return err
	}
	var docs []doc
	for _, f := range audit.Files() {
		for _, r := range byFile[f.Path] {
			docs = append(docs, doc{audit.Ref{File: f.Path, ID: r.ID}, r.Problem, shingles(r.Problem)})
		}
	}
	post := map[string][]int{}
	for i, d := range docs {
		for s := range d.sh {
			post[s] = append(post[s], i)
		}
	}
	shared := map[[2]int]bool{}
	for _, ids := range post {
		if len(ids) > maxPosting {
			continue
		}
		for a := 0; a < len(ids); a++ {
			for b := a + 1; b < len(ids); b++ {
				shared[[2]int{ids[a], ids[b]}] = true
			}
		}
	}
	type cand struct {
		a, b  int
		j     float64
		exact bool
	}
	var out []cand
	for k := range shared {
		a, b := docs[k[0]], docs[k[1]]
		inter := 0
		for s := range a.sh {
			if b.sh[s] {
				inter++
			}
		}
		j := float64(inter) / float64(len(a.sh)+len(b.sh)-inter)
		if j >= minJ {
			out = append(out, cand{k[0], k[1], j, a.text == b.text})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].j != out[j].j {
			return out[i].j > out[j].j
		}
		if out[i].a != out[j].a {
			return out[i].a < out[j].a
		}
		return out[i].b < out[j].b
	})
	for _, c := range out {
		ex := 0
		if c.exact {
			ex = 1
		}
		a, b := docs[c.a].ref, docs[c.b].ref
		fmt.Printf("%s\t%s\t%s\t%s\t%.3f\t%d\n", a.File, a.ID, b.File, b.ID, c.j, ex)
	}
	return nil
}
