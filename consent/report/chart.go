package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
)

// chart is an inline SVG chart as shapes; the page template draws it.
// Colours come from classes in report.css, so that the chart follows the
// light or dark scheme and prints in the print colours. Each chart has a
// title and a description (its text alternative) and its numbers stand in
// a table beside it.
type chart struct {
	ID          string
	Title, Desc string
	W, H        float64
	Rects       []shape
	Lines       []shape
	Texts       []label
	Legend      []legendItem
	Hidden      bool // some counts are hidden: marked * above their column
}

type shape struct {
	X, Y, W, H float64 // for lines: X,Y to X+W,Y+H
	Class      string
	Tip        string // <title> of the shape
}

type label struct {
	X, Y   float64
	Anchor string // start, middle, end
	Class  string
	S      string
}

type legendItem struct {
	Class, Name string
}

// bar is one bar of a horizontal bar chart.
type bar struct {
	Label  string
	Value  float64
	Hidden bool // suppressed: not drawn, labelled as such
	Text   string
}

// niceMax rounds v up to 1, 2 or 5 times a power of ten, for an axis.
func niceMax(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// ticks is how many steps an axis to scaleMax (from niceMax) gets, so
// that each step is a round number: 5 to 1 or 5 (steps of 0.2 or 1), 4
// to 2 (steps of 0.5).
func ticks(scaleMax float64) int {
	lead := scaleMax / math.Pow(10, math.Floor(math.Log10(scaleMax)))
	if math.Abs(lead-2) < 1e-9 {
		return 4
	}
	return 5
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// hbars draws horizontal bars on a 0..max scale (max 0: the largest
// value, rounded up).
func hbars(id, title, desc string, bars []bar, scaleMax float64, unit string) chart {
	const left, right, rowH, top = 230.0, 70.0, 26.0, 10.0
	w := 720.0
	h := top + rowH*float64(len(bars)) + 30
	c := chart{ID: id, Title: title, Desc: desc, W: w, H: h}
	if scaleMax == 0 {
		for _, b := range bars {
			if !b.Hidden && b.Value > scaleMax {
				scaleMax = b.Value
			}
		}
		scaleMax = niceMax(scaleMax)
	}
	plotW := w - left - right
	axisY := top + rowH*float64(len(bars))
	n := ticks(scaleMax)
	if unit == "%" {
		n = 4 // 0, 25, 50, 75, 100 %
	}
	for i := 0; i <= n; i++ {
		x := left + plotW*float64(i)/float64(n)
		c.Lines = append(c.Lines, shape{X: x, Y: top, W: 0, H: axisY - top, Class: "grid"})
		c.Texts = append(c.Texts, label{X: x, Y: axisY + 16, Anchor: "middle", Class: "tick", S: fmtNum(scaleMax*float64(i)/float64(n)) + unit})
	}
	for i, b := range bars {
		y := top + rowH*float64(i)
		c.Texts = append(c.Texts, label{X: left - 8, Y: y + rowH*0.65, Anchor: "end", S: b.Label})
		if b.Hidden {
			c.Texts = append(c.Texts, label{X: left + 4, Y: y + rowH*0.65, Anchor: "start", Class: "note", S: "fewer than " + strconv.Itoa(MinCount) + ", not shown"})
			continue
		}
		bw := 0.0
		if scaleMax > 0 {
			bw = plotW * math.Min(b.Value, scaleMax) / scaleMax
		}
		c.Rects = append(c.Rects, shape{X: left, Y: y + 4, W: bw, H: rowH - 8, Class: "s0", Tip: b.Label + ": " + b.Text})
		c.Texts = append(c.Texts, label{X: left + bw + 4, Y: y + rowH*0.65, Anchor: "start", S: b.Text})
	}
	c.Lines = append(c.Lines, shape{X: left, Y: axisY, W: plotW, H: 0, Class: "axis"})
	return c
}

// column is one period of a stacked column chart.
type column struct {
	Label  string
	Start  time.Time
	Values []int64 // per series
	Hidden []bool  // per series: suppressed, not drawn
}

// marker is a vertical line at a time, such as a release.
type marker struct {
	At    time.Time
	Label string
}

// stacked draws stacked columns, one per period, with a segment per series
// and markers at the periods that hold their time.
func stacked(id, title, desc string, series []string, cols []column, next func(time.Time) time.Time, marks []marker) chart {
	const left, right, top, bottom = 56.0, 16.0, 28.0, 46.0
	w, h := 720.0, 320.0
	c := chart{ID: id, Title: title, Desc: desc, W: w, H: h}
	for i, s := range series {
		c.Legend = append(c.Legend, legendItem{Class: fmt.Sprintf("s%d", i), Name: s})
	}
	var most int64
	for _, col := range cols {
		var sum int64
		for i, v := range col.Values {
			if !col.Hidden[i] {
				sum += v
			}
		}
		most = max(most, sum)
	}
	scaleMax := niceMax(float64(most))
	plotW, plotH := w-left-right, h-top-bottom
	base := top + plotH
	n := ticks(scaleMax)
	for i := 0; i <= n; i++ {
		y := base - plotH*float64(i)/float64(n)
		c.Lines = append(c.Lines, shape{X: left, Y: y, W: plotW, H: 0, Class: "grid"})
		c.Texts = append(c.Texts, label{X: left - 6, Y: y + 4, Anchor: "end", Class: "tick", S: fmtNum(scaleMax * float64(i) / float64(n))})
	}
	if len(cols) == 0 {
		c.Texts = append(c.Texts, label{X: left + plotW/2, Y: top + plotH/2, Anchor: "middle", Class: "note", S: "no decisions in the range"})
		return c
	}
	slot := plotW / float64(len(cols))
	bw := math.Max(1, slot*0.7)
	every := int(math.Ceil(float64(len(cols)) / 8)) // at most 8 labels
	for j, col := range cols {
		x := left + slot*float64(j) + (slot-bw)/2
		y := base
		for i, v := range col.Values {
			if col.Hidden[i] || v == 0 {
				continue
			}
			hgt := plotH * float64(v) / scaleMax
			y -= hgt
			c.Rects = append(c.Rects, shape{X: x, Y: y, W: bw, H: hgt, Class: fmt.Sprintf("s%d", i),
				Tip: fmt.Sprintf("%s, %s: %d", col.Label, series[i], v)})
		}
		if slices.Contains(col.Hidden, true) {
			c.Texts = append(c.Texts, label{X: x + bw/2, Y: y - 4, Anchor: "middle", Class: "note", S: "*"})
			c.Hidden = true
		}
		if j%every == 0 {
			c.Texts = append(c.Texts, label{X: left + slot*float64(j) + slot/2, Y: base + 16, Anchor: "middle", Class: "tick", S: col.Label})
		}
	}
	c.Lines = append(c.Lines, shape{X: left, Y: base, W: plotW, H: 0, Class: "axis"})
	for _, m := range marks {
		for j, col := range cols {
			if m.At.Before(col.Start) || !m.At.Before(next(col.Start)) {
				continue
			}
			// placed within the period by the time of day or month
			frac := float64(m.At.Sub(col.Start)) / float64(next(col.Start).Sub(col.Start))
			x := left + slot*(float64(j)+frac)
			c.Lines = append(c.Lines, shape{X: x, Y: top - 6, W: 0, H: plotH + 6, Class: "mark"})
			lx, anchor := x+3, "start"
			if x > w-160 {
				lx, anchor = x-3, "end"
			}
			c.Texts = append(c.Texts, label{X: lx, Y: top - 10, Anchor: anchor, Class: "mark-label", S: m.Label})
		}
	}
	return c
}
