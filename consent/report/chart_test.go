package report

import (
	"context"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestNiceMaxRoundsUpToOneTwoOrFive(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want float64 }{
		{0, 1}, {1, 1}, {3, 5}, {7, 10}, {10, 10}, {11, 20}, {83, 100}, {150, 200}, {420, 500}, {1e6 + 1, 2e6},
	} {
		if got := niceMax(tt.in); got != tt.want {
			t.Errorf("niceMax(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestAxisStepsAreRound(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		max  float64
		want string
	}{{1, "0 0.2 0.4 0.6 0.8 1"}, {20, "0 5 10 15 20"}, {50, "0 10 20 30 40 50"}, {100, "0 20 40 60 80 100"}} {
		c := stacked("s", "T", "D", []string{"a"}, []column{{Values: []int64{int64(tt.max)}, Hidden: []bool{false}}}, nil, nil)
		var got []string
		for _, l := range c.Texts {
			if l.Class == "tick" && l.Anchor == "end" {
				got = append(got, l.S)
			}
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("axis to %v: %v, want %s", tt.max, got, tt.want)
		}
	}
}

func TestHbarsDrawsBarsInProportionAndNotHiddenOnes(t *testing.T) {
	t.Parallel()
	c := hbars("x", "T", "D", []bar{{Label: "a", Value: 50, Text: "50%"}, {Label: "b", Value: 100, Text: "100%"}, {Label: "c", Value: 3, Hidden: true}}, 100, "%")
	if len(c.Rects) != 2 {
		t.Fatalf("%d bars drawn, want 2 (the hidden one not)", len(c.Rects))
	}
	if a, b := c.Rects[0].W, c.Rects[1].W; math.Abs(b-2*a) > 1e-9 || b != 720-230-70 {
		t.Errorf("bar widths %v and %v: want the second twice the first and the full plot width", a, b)
	}
	var note bool
	for _, l := range c.Texts {
		note = note || (l.S == "fewer than 10, not shown")
	}
	if !note {
		t.Error("the hidden bar is not labelled as hidden")
	}
}

func TestStackedStacksSeriesAndMarksReleases(t *testing.T) {
	t.Parallel()
	w1 := day("2026-11-02", 0)
	cols := []column{
		{Label: "W45", Start: w1, Values: []int64{30, 10}, Hidden: []bool{false, false}},
		{Label: "W46", Start: w1.AddDate(0, 0, 7), Values: []int64{20, 5}, Hidden: []bool{false, true}},
	}
	next := func(t time.Time) time.Time { return t.AddDate(0, 0, 7) }
	c := stacked("s", "T", "D", []string{"a", "b"}, cols, next, []marker{{At: day("2026-11-12", 12), Label: "2026.2 released"}})
	if len(c.Rects) != 3 {
		t.Fatalf("%d segments, want 3 (the hidden one not drawn)", len(c.Rects))
	}
	var stars int
	for _, l := range c.Texts {
		if l.S == "*" {
			stars++
		}
	}
	if stars != 1 || !c.Hidden {
		t.Errorf("%d columns starred as holding hidden counts, want 1", stars)
	}
	// scale 0..50: 30 of 50 of the plot's 246 height, stacked upwards.
	a, b := c.Rects[0], c.Rects[1]
	if math.Abs(a.H-246*30.0/50) > 1e-9 || math.Abs(b.H-246*10.0/50) > 1e-9 || math.Abs(b.Y+b.H-a.Y) > 1e-9 {
		t.Errorf("segments %+v and %+v do not stack to scale", a, b)
	}
	var mark *shape
	for i := range c.Lines {
		if c.Lines[i].Class == "mark" {
			mark = &c.Lines[i]
		}
	}
	if mark == nil {
		t.Fatal("no release mark")
	}
	// 2026-11-12 12:00 is 3.5 days into the second week of two columns.
	slot := (720.0 - 56 - 16) / 2
	if want := 56 + slot*(1+3.5/7); math.Abs(mark.X-want) > 1e-9 {
		t.Errorf("mark at x %v, want %v", mark.X, want)
	}
}

func TestPageIsStaticAccessibleAndEscaped(t *testing.T) {
	f := knownMix(t)
	rep, err := Build(context.Background(), f.st, Options{By: ByWeek, Releases: releases, Now: day("2026-12-01", 12)})
	if err != nil {
		t.Fatal(err)
	}
	files, err := rep.Files()
	if err != nil {
		t.Fatal(err)
	}
	page := string(files["index.html"])
	for _, bad := range []string{"<script", " style=", "<style", "javascript:", "http://", "https://"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page holds %q: it must work offline under default-src 'self'", bad)
		}
	}
	svgs := regexp.MustCompile(`<svg role="img"[^>]*aria-labelledby="(\w+)-t (\w+)-d"`).FindAllStringSubmatch(page, -1)
	if len(svgs) != 4 {
		t.Fatalf("%d labelled charts, want 4", len(svgs))
	}
	for _, m := range svgs {
		if !strings.Contains(page, `<title id="`+m[1]+`-t">`) || !strings.Contains(page, `<desc id="`+m[1]+`-d">`) {
			t.Errorf("chart %s lacks its title or description", m[1])
		}
	}
	if got := strings.Count(page, "<table>"); got != 5 {
		t.Errorf("%d tables, want 5", got)
	}
	for _, want := range []string{`<link rel="stylesheet" href="report.css">`, "2026.2 released", `<a href="decisions.csv">`, "Chain verified", `<abbr title="fewer than 10: not shown">&lt;10</abbr>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	css := string(files["report.css"])
	for _, want := range []string{"prefers-color-scheme: dark", "@media print"} {
		if !strings.Contains(css, want) {
			t.Errorf("report.css lacks %q", want)
		}
	}
}

func TestPageEscapesWhatTheRecordsSay(t *testing.T) {
	f := newFixture(t)
	f.many("3333333333333333", `<i>v</i>`, 10, decision{who: -1, at: day("2026-11-02", 9), method: "accept-all", given: categories, language: "sv"})
	rep, err := Build(context.Background(), f.st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	files, err := rep.Files()
	if err != nil {
		t.Fatal(err)
	}
	page := string(files["index.html"])
	if strings.Contains(page, "<i>v</i>") || !strings.Contains(page, "&lt;i&gt;v&lt;/i&gt;") {
		t.Error("a version from the records is not escaped in the page")
	}
}

func TestRevisionWithoutReleaseIsMarkedAtItsFirstDecision(t *testing.T) {
	f := knownMix(t)
	rep, err := Build(context.Background(), f.st, Options{Releases: releases[1:]})
	if err != nil {
		t.Fatal(err)
	}
	files, err := rep.Files()
	if err != nil {
		t.Fatal(err)
	}
	cats, page := string(files["categories.csv"]), string(files["index.html"])
	if !strings.Contains(cats, "\n"+revA+",2026.1,,2026-11-02,") || !strings.Contains(cats, "\n"+revB+",2026.2,2026-11-16,2026-11-23,") {
		t.Errorf("categories.csv:\n%s", cats)
	}
	for _, want := range []string{">2026.1 first decision</text>", ">2026.2 released</text>"} {
		if !strings.Contains(page, want) {
			t.Errorf("the chart lacks the mark %q", want)
		}
	}
}
