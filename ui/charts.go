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
	chartBarHeight  = 10
	chartBarGap     = 2
	chartGroupGap   = 14
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
				Value: v, TextX: chartLabelWidth + w + 4, TextY: by + chartBarHeight - 1})
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

// barScale returns the length of a bar of n in a chart of bins whose
// longest bar is full long: at least 1 when n is not 0.
func barScale(bins []histBin) func(n int64, full int) int {
	var most int64 = 1
	for _, b := range bins {
		most = max(most, b.N)
	}
	return func(n int64, full int) int {
		l := int(math.Round(float64(n) / float64(most) * float64(full)))
		if n > 0 {
			l = max(l, 1)
		}
		return l
	}
}

func histogramOf(bins []histBin) histogram {
	scale := barScale(bins)
	h := histogram{Width: max(len(bins), 1)*(histBarWidth+histGap) + histGap, Base: histTop + histPlot}
	h.Height = h.Base + 34
	for i, b := range bins {
		bh := scale(b.N, histPlot)
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
// are few whole values, else bins of a round width (niceWidth) that cut the
// range into about maxDifficultyBins.
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
	if whole && vals[len(vals)-1]-vals[0] < maxDifficultyBins { // 1, 2, 3, ...
		var out []histBin
		for v := vals[0]; v <= vals[len(vals)-1]; v++ {
			out = append(out, histBin{Label: strconv.FormatFloat(v, 'f', -1, 64), N: byValue[v]})
		}
		return out
	}
	width := niceWidth((vals[len(vals)-1] - vals[0]) / maxDifficultyBins)
	lo := math.Floor(vals[0]/width) * width
	n := int(math.Floor((vals[len(vals)-1]-lo)/width+1e-9)) + 1 // 1e-9: 2.4/0.2 is 11.999...
	out := make([]histBin, n)
	for i := range out {
		out[i].Label = strconv.FormatFloat(lo+float64(i)*width, 'g', 4, 64)
	}
	for _, v := range vals {
		i := min(int(math.Floor((v-lo)/width+1e-9)), n-1)
		out[i].N += byValue[v]
	}
	return out
}

// niceWidth returns the smallest of 1, 2, 2.5 and 5 times a power of ten
// that is at least w.
func niceWidth(w float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(w)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= w*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// hbarChart is a horizontal bar chart of counts per category (the answer
// kinds: many categories with long names).
type hbarChart struct {
	Width, Height int
	Bars          []bar
}

// Layout of the histograms and of hbarChart.
const (
	histBarWidth = 36
	histGap      = 6
	histPlot     = 160
	histTop      = 16

	hbarLabel  = 110
	hbarWidth  = 260
	hbarHeight = 14
	hbarGap    = 4
)

func hbarsOf(bins []histBin) hbarChart {
	scale := barScale(bins)
	h := hbarChart{Width: hbarLabel + hbarWidth + 60, Height: len(bins)*(hbarHeight+hbarGap) + hbarGap}
	for i, b := range bins {
		w := scale(b.N, hbarWidth)
		y := hbarGap + i*(hbarHeight+hbarGap)
		h.Bars = append(h.Bars, bar{Class: "kept", Label: b.Label, X: hbarLabel, Y: y, W: w, H: hbarHeight, Value: b.N,
			TextX: hbarLabel + w + 4, TextY: y + hbarHeight - 3})
	}
	return h
}
