package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
)

// statsCmd prints the curation funnel.
type statsCmd struct {
	JSON bool `help:"Print the funnel as JSON (the shape GET /v1/stats serves)."`
}

// Run prints the funnel: a table, or JSON with --json.
func (c statsCmd) Run(e *env) error {
	_, store, closeDB, err := e.loadStore()
	if err != nil {
		return err
	}
	defer closeDB()
	f, err := store.Funnel(e.ctx)
	if err != nil {
		return err
	}
	if c.JSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(f)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SOURCE\tROLE\tROWS\tKEPT\tDUPLICATES\tCONFLICTS\tDROPPED\tCONTAMINATED\tDERIVED")
	for _, s := range f.Sources {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\t%d (%d kept)\n", s.Name, s.Role, s.Rows, s.Kept, s.Duplicates, s.Conflicts,
			counts(s.Dropped), counts(s.Contaminated), s.Derived, s.DerivedKept)
	}
	fmt.Fprintf(tw, "TOTAL\t\t%d\t%d\t\t\t\t\t\n", f.Total.Rows, f.Total.Kept)
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(f.Kinds) > 0 {
		fmt.Fprintf(e.stdout, "\nkept by answer kind: %s\n", counts(f.Kinds))
	}
	return nil
}

// counts formats a map as "a=1 b=2", largest first.
func counts(m map[string]int64) string {
	if len(m) == 0 {
		return "-"
	}
	keys := slices.Sorted(maps.Keys(m))
	slices.SortStableFunc(keys, func(a, b string) int { return int(m[b] - m[a]) })
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%d", k, m[k])
	}
	return strings.Join(parts, " ")
}
