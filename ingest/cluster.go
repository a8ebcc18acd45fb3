package ingest

import (
	"context"
	"time"

	"github.com/bigmath/bigmath/dedup"
)

// ResolveReport says what cluster resolution did.
type ResolveReport struct {
	Links    int     `json:"links"`
	Clusters int     `json:"clusters"` // components with at least two members
	Updated  int64   `json:"updated"`  // problems whose cluster state changed
	Seconds  float64 `json:"seconds"`
}

// Resolve recomputes every problem's cluster state from the stored
// duplicate links, in one transaction, with dedup.Clusters (canonical
// members, conflicts, contamination; see there). It depends only on the
// stored problems and links, so the result does not depend on the order
// sources were ingested in, and running it again changes nothing.
func Resolve(ctx context.Context, store ResolveStore) (ResolveReport, error) {
	start := time.Now()
	var rep ResolveReport
	links, members, err := store.ClusterState(ctx)
	if err != nil {
		return rep, err
	}
	rep.Links = len(links)
	updates, clusters := dedup.Clusters(links, members)
	rep.Clusters = clusters
	if rep.Updated, err = store.ApplyClusters(ctx, updates); err != nil {
		return rep, err
	}
	rep.Seconds = time.Since(start).Seconds()
	return rep, nil
}
