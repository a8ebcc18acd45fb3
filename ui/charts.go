package ui

import (
	"math"
	"slices"
	"strconv"

	"github.com/bigmath/bigmath"
)

// barChart is a horizontal bar chart with one group of bars per source,
// drawn as inline SVG by templates/overview.html.
type barChart struct {
	Width, Height int
	Groups        []barGroup
	Legend        []legendItem
}

// barGroup is the bars of one source.
type barGroup struct {
	Label  string
	Y      int // top of the group
	LabelY int
	Bars   []bar
}

type bar struct {
	Class, Label string
	X, Y, W, H   int
	Value        int64
	TextX, TextY int
}

type legendItem struct {
	Class, Label string
	X            int
}

// Layout of the funnel chart, in pixels.
const (
	chartLabelWidth = 170
	chartBarsWidth  = 520
	chartBarHeight  = 13
	chartBarGap     = 3
	chartGroupGap   = 18
	chartTop        = 28
)

// funnelSeries are the bars of each source group, in order.
var funnelSeries = []struct {
	class, label string
	value        func(bigmath.SourceFunnel) int64
}{
	{"rows", "rows", func(s bigmath.SourceFunnel) int64 { return s.Rows }},
	{"kept", "kept", func(s bigmath.SourceFunnel) int64 { return s.Kept }},
	{"dup", "duplicates", func(s bigmath.SourceFunnel) int64 { return s.Duplicates }},
	{"dropped", "dropped", func(s bigmath.SourceFunnel) int64 { return sum(s.Dropped) }},
	{"contam", "contaminated", func(s bigmath.SourceFunnel) int64 { return sum(s.Contaminated) }},
}

func sum(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

// funnelChart lays out the funnel: one group per source, bars scaled to
// the largest source.
func funnelChart(f bigmath.Funnel) barChart {
	var most int64 = 1
	for _, s := range f.Sources {
		most = max(most, s.Rows)
	}
	ch := barChart{Width: chartLabelWidth + chartBarsWidth + 80}
	for i, it := range funnelSeries {
		ch.Legend = append(ch.Legend, legendItem{Class: it.class, Label: it.label, X: chartLabelWidth + i*110})
	}
	groupH := len(funnelSeries)*(chartBarHeight+chartBarGap) - chartBarGap
	y := chartTop
	for _, s := range f.Sources {
		g := barGroup{Label: s.Name, Y: y, LabelY: y + groupH/2 + 4}
		for j, it := range funnelSeries {
			v := it.value(s)
			w := int(math.Round(float64(v) / float64(most) * chartBarsWidth))
			if v > 0 {
				w = max(w, 1)
			}
			by := y + j*(chartBarHeight+chartBarGap)
			g.Bars = append(g.Bars, bar{Class: it.class, Label: it.label, X: chartLabelWidth, Y: by, W: w, H: chartBarHeight,
				Value: v, TextX: chartLabelWidth + w + 4, TextY: by + chartBarHeight - 2})
		}
		ch.Groups = append(ch.Groups, g)
		y += groupH + chartGroupGap
	}
	ch.Height = y
	return ch
}

// histogram is a vertical bar chart of counts per category.
type histogram struct {
	Width, Height int
	Base          int // y of the axis
	Bars          []bar
}

// histBin is one category of a histogram.
type histBin struct {
	Label string
	N     int64
}

// Layout of the histograms.
const (
	histBarWidth = 66
	histGap      = 8
	histPlot     = 160
	histTop      = 16
)

func histogramOf(bins []histBin) histogram {
	var most int64 = 1
	for _, b := range bins {
		most = max(most, b.N)
	}
	h := histogram{Width: max(len(bins), 1)*(histBarWidth+histGap) + histGap, Base: histTop + histPlot}
	h.Height = h.Base + 34
	for i, b := range bins {
		bh := int(math.Round(float64(b.N) / float64(most) * histPlot))
		if b.N > 0 {
			bh = max(bh, 1)
		}
		x := histGap + i*(histBarWidth+histGap)
		h.Bars = append(h.Bars, bar{Class: "kept", Label: b.Label, X: x, Y: h.Base - bh, W: histBarWidth, H: bh, Value: b.N,
			TextX: x + histBarWidth/2, TextY: h.Base - bh - 3})
	}
	return h
}

// kindBins are the answer kinds of kept problems, most common first.
func kindBins(kinds map[string]int64) []histBin {
	out := make([]histBin, 0, len(kinds))
	for k, n := range kinds {
		if k == "" {
			k = "(none)"
		}
		out = append(out, histBin{Label: k, N: n})
	}
	slices.SortFunc(out, func(a, b histBin) int {
		if a.N != b.N {
			return int(b.N - a.N)
		}
		if a.Label < b.Label {
			return -1
		}
		return 1
	})
	return out
}

// maxDifficultyBins is the most bins of the difficulty histogram: with
// more distinct values, the range is cut into this many equal bins.
const maxDifficultyBins = 12

// difficultyBins bins the difficulty counts: one bin per value when there
// are few whole values, else equal-width bins over the range.
func difficultyBins(byValue map[float64]int64) []histBin {
	vals := make([]float64, 0, len(byValue))
	whole := true
	for v := range byValue {
		vals = append(vals, v)
		whole = whole && v == math.Trunc(v)
	}
	slices.Sort(vals)
	if len(vals) == 0 {
		return nil
	}
	if len(vals) == 1 {
		return []histBin{{Label: strconv.FormatFloat(vals[0], 'f', -1, 64), N: byValue[vals[0]]}}
	}
	if whole && vals[len(vals)-1]-vals[0] < maxDifficultyBins {
		var out []histBin
		for v := vals[0]; v <= vals[len(vals)-1]; v++ {
			out = append(out, histBin{Label: strconv.FormatFloat(v, 'f', -1, 64), N: byValue[v]})
		}
		return out
	}
	lo, hi := vals[0], vals[len(vals)-1]
	width := (hi - lo) / maxDifficultyBins
	out := make([]histBin, maxDifficultyBins)
	for i := range out {
		out[i].Label = strconv.FormatFloat(lo+float64(i)*width, 'g', 3, 64)
	}
	for _, v := range vals {
		i := min(int((v-lo)/width), maxDifficultyBins-1)
		out[i].N += byValue[v]
	}
	return out
}
