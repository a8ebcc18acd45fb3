package main

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/bigmath/bigmath/dedup"
	"github.com/bigmath/bigmath/normalize"
	"github.com/bigmath/bigmath/verify"
)

// dedupCmd clusters JSON Lines of problems into exact and near-duplicate
// clusters offline.
type dedupCmd struct {
	lineFiles `embed:""`
	Threshold float64 `default:"0.8" help:"Jaccard similarity of token 3-gram shingles from which two problems are near duplicates, in (0, 1]. The LSH bands are tuned for 0.8: pairs below about 0.75 are rarely found as candidates."`
}

// Help implements kong.HelpProvider: the lines read and written.
func (c *dedupCmd) Help() string {
	return `Each input line is {"id", "problem", "answer"}, the answer an optional gold.

Each output line is {"id", "cluster", "duplicate_of", "similarity", "exact", "edits", "cut_off"}: cluster is the id of the cluster's first member, duplicate_of is null for it and similarity (to duplicate_of) is 0.`
}

// dedupInput is one input line.
type dedupInput struct {
	ID      json.RawMessage `json:"id"`
	Problem json.RawMessage `json:"problem"`
	// Answer is the optional gold answer: two problems whose answers
	// differ are never duplicates.
	Answer json.RawMessage `json:"answer"`
}

// dedupOutput is one output line. Field names are a contract: add, never
// rename.
type dedupOutput struct {
	ID          json.RawMessage `json:"id"`
	Cluster     json.RawMessage `json:"cluster"`
	DuplicateOf json.RawMessage `json:"duplicate_of"`
	Similarity  float64         `json:"similarity"`
	Exact       bool            `json:"exact"`
	// Edits are the allowed edits that explain every difference from
	// duplicate_of (empty for an exact copy or a distinct problem).
	Edits []string `json:"edits,omitempty"`
	// CutOff reports that this problem is a cut-off copy of duplicate_of.
	CutOff bool `json:"cut_off"`
}

// Run reads the input, adds each problem to an in-memory index in input
// order and writes one output line per input line. A malformed line yields
// an output line with "line" and "error" and joins no cluster; processing
// goes on. Only a bad flag, I/O errors and cancellation stop the command.
func (c *dedupCmd) Run(e *env) error {
	if !(c.Threshold > 0 && c.Threshold <= 1) || math.IsNaN(c.Threshold) {
		return usageError{fmt.Errorf("--threshold=%v: want a value in (0, 1]", c.Threshold)}
	}
	ix, err := dedup.NewIndex(dedup.Options{Threshold: c.Threshold})
	if err != nil {
		return usageError{fmt.Errorf("--threshold: %w", err)}
	}
	var ids []json.RawMessage // the input id of each added problem, by index position
	clusters := 0
	n, bad, err := jsonlFilter(e, c.In, c.Out, 1, func(n int, data []byte) ([]byte, bool) {
		var in dedupInput
		if msg := jsonlDecode(data, &in); msg != "" {
			return jsonlFail(recoverID(data), n, "%s", msg), true
		}
		if isNull(in.ID) {
			return jsonlFail(nil, n, `missing "id"`), true
		}
		if isNull(in.Problem) {
			return jsonlFail(in.ID, n, `missing "problem"`), true
		}
		problem, err := textField(in.Problem, "problem", false)
		if err != nil {
			return jsonlFail(in.ID, n, "%v", err), true
		}
		answer, err := textField(in.Answer, "answer", true)
		if err != nil {
			return jsonlFail(in.ID, n, "%v", err), true
		}
		canon := ""
		if answer != "" {
			if c, _, err := verify.Canonical(e.ctx, answer, verify.Options{}); err == nil {
				canon = c
			}
		}
		pos := int64(len(ids))
		m, err := ix.AddDoc(pos, 0, dedup.Doc{Text: normalize.Text(problem), Answer: canon})
		if err != nil {
			return jsonlFail(in.ID, n, "%v", err), true
		}
		ids = append(ids, in.ID)
		out := dedupOutput{ID: in.ID, Cluster: ids[m.ClusterID], DuplicateOf: json.RawMessage("null")}
		if m.Duplicate {
			out.DuplicateOf = ids[m.DuplicateOf]
			out.Similarity = math.Round(m.Similarity*1e4) / 1e4
			out.Exact = m.Exact
			out.CutOff = m.CutOff
			for _, ed := range m.Edits {
				out.Edits = append(out.Edits, ed.String())
			}
		} else {
			clusters++
		}
		return encodeLine(out), false
	})
	if err != nil {
		return err
	}
	e.logger.Info("dedup finished", "lines", n, "error_lines", bad, "clusters", clusters)
	return nil
}
