package ingest

import (
	"slices"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/dedup"
)

// provisional follows the clusters that a run's links to earlier rows of
// the run make, as the rows arrive, so that each row can be written with
// the cluster state resolution will most likely give it: a copy whose
// cluster already holds a better copy (dedup.CanonicalOrder) is written as
// that copy's duplicate. It is only a guess that spares resolution the
// rewriting of those rows: Resolve compares every stored state with the
// one the links imply and corrects the rows where they differ (links to
// other sources, answers that split a cluster, a cut-off copy, a better
// copy that comes later).
//
// Rows are the dedup index's kept rows, by index; a row has the source's
// priority and source id, so only its status, row index and id order it.
type provisional struct {
	parent []int32
	best   []int32 // at a root: the best row of its component
	status []uint8 // index in statuses
	row    []int64
}

// statuses are the statuses provisional has seen, by index (the three of
// bigmath, and any other in the order met).
var statuses = []bigmath.Status{bigmath.StatusKept, bigmath.StatusPending, bigmath.StatusDropped}

func statusIndex(s bigmath.Status) uint8 {
	if i := slices.Index(statuses, s); i >= 0 {
		return uint8(i)
	}
	return uint8(len(statuses) - 1) // not a stored status: ordered as dropped
}

// add appends kept row i (the next index) with its problem's status and
// row index.
func (pv *provisional) add(p *bigmath.Problem) int32 {
	i := int32(len(pv.parent))
	pv.parent = append(pv.parent, i)
	pv.best = append(pv.best, i)
	pv.status = append(pv.status, statusIndex(p.Status))
	pv.row = append(pv.row, p.RowIndex)
	return i
}

func (pv *provisional) find(x int32) int32 {
	for pv.parent[x] != x {
		pv.parent[x] = pv.parent[pv.parent[x]]
		x = pv.parent[x]
	}
	return x
}

// union joins the components of rows a and b; rows names the rows' ids.
func (pv *provisional) union(a, b int32, rows *keptRows) {
	ra, rb := pv.find(a), pv.find(b)
	if ra == rb {
		return
	}
	pv.parent[ra] = rb
	if ba, bb := pv.best[ra], pv.best[rb]; pv.key(ba, rows.id(ba)).before(pv.key(bb, rows.id(bb))) {
		pv.best[rb] = ba
	}
}

// bestOf returns the best row of row i's component.
func (pv *provisional) bestOf(i int32) int32 { return pv.best[pv.find(i)] }

// key is kept row i's place in the canonical order.
func (pv *provisional) key(i int32, id string) orderKey {
	return orderKey{status: statuses[pv.status[i]], row: pv.row[i], id: id}
}

// orderKey is a row's place in dedup.CanonicalOrder within one source.
type orderKey struct {
	status bigmath.Status
	row    int64
	id     string
}

func orderOf(p *bigmath.Problem) orderKey {
	return orderKey{status: p.Status, row: p.RowIndex, id: p.ID}
}

func (k orderKey) before(o orderKey) bool {
	a := bigmath.ClusterMember{ID: k.id, Status: k.status, RowIndex: k.row}
	b := bigmath.ClusterMember{ID: o.id, Status: o.status, RowIndex: o.row}
	return dedup.CanonicalOrder(&a, &b) < 0
}

// markDuplicate writes p as a duplicate of canonical: its cluster state
// and its dedup verdict, as dedup.Clusters would, unless their gold
// answers differ (resolution may split such a cluster).
func markDuplicate(p *bigmath.Problem, canonical, canonicalAnswer string) {
	if canonicalAnswer != "" && p.Answer.Canonical != "" && canonicalAnswer != p.Answer.Canonical {
		return
	}
	for i := range p.Verdicts {
		if p.Verdicts[i].Stage == bigmath.StageDedup {
			p.Verdicts[i] = dedup.DuplicateVerdict()
			p.ClusterID, p.DuplicateOf = canonical, canonical
			return
		}
	}
}
