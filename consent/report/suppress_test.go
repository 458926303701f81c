package report

import (
	"bytes"
	"context"
	"encoding/csv"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/integritet/integritet/consent"
)

func TestSuppressHidesSmallCountsAndWhatWouldGiveThemAway(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		counts    []int64
		total     int64
		withTotal bool
		want      []bool
	}{
		{"nothing small", []int64{10, 25, 0}, 35, true, []bool{false, false, false}},
		{"one small hides the next smallest too", []int64{30, 15, 12, 0, 3}, 60, true, []bool{false, false, true, false, true}},
		{"two small are enough", []int64{30, 4, 5}, 39, true, []bool{false, true, true}},
		{"a small total hides the row, zeros too", []int64{5, 4, 0}, 9, true, []bool{true, true, true}},
		{"without a total one small is enough", []int64{30, 3}, 33, false, []bool{false, true}},
		{"9 is hidden, 10 is shown; the first smallest goes with it", []int64{9, 10, 10}, 29, true, []bool{true, true, false}},
		{"zeros stay", []int64{0, 0, 40}, 40, true, []bool{false, false, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := suppress(tt.counts, tt.total, tt.withTotal); !slices.Equal(got, tt.want) {
				t.Errorf("suppress(%v, %d) = %v, want %v", tt.counts, tt.total, got, tt.want)
			}
		})
	}
}

// TestNoCellShowsFewerThanMinCount reads every CSV of reports over the
// known mix, whole and cut into short ranges and days: no count from 1 to
// MinCount-1 and no share of such a count is ever shown.
func TestNoCellShowsFewerThanMinCount(t *testing.T) {
	f := knownMix(t)
	ranges := []Options{
		{By: ByWeek},
		{By: ByDay},
		{By: ByMonth},
		{By: ByDay, Since: day("2026-11-09", 0), Until: day("2026-11-11", 0)},
		{By: ByWeek, Since: day("2026-11-27", 0), Until: day("2026-11-28", 0)},
	}
	for _, o := range ranges {
		o.Releases, o.Now = releases, day("2026-12-01", 0)
		rep, err := Build(context.Background(), f.st, o)
		if err != nil {
			t.Fatal(err)
		}
		files, err := rep.Files()
		if err != nil {
			t.Fatal(err)
		}
		hidden := 0
		for _, tb := range rep.tables[:4] {
			recs, err := csv.NewReader(bytes.NewReader(files[tb.Name+".csv"])).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			for _, rec := range recs[1:] {
				for i, cell := range rec {
					col := recs[0][i]
					if cell == "<10" {
						hidden++
						continue
					}
					n, err := strconv.ParseInt(cell, 10, 64)
					if err != nil || (col != "decisions" && col != "given" && col != "withdrawals" && !isMethodOrTotal(col)) {
						continue
					}
					if n > 0 && n < MinCount {
						t.Errorf("%s %v, %s.csv: %s = %d is shown", o.By, o.Since.Format(time.DateOnly), tb.Name, col, n)
					}
				}
			}
		}
		page := string(files["index.html"])
		if hidden > 0 && !strings.Contains(page, "This report hides some counts.") {
			t.Errorf("%s: %d cells hidden, and the page does not say so", o.By, hidden)
		}
		if !strings.Contains(page, "fewer than 10 decisions reads “&lt;10”") {
			t.Errorf("%s: the page does not state the threshold", o.By)
		}
	}
}

func isMethodOrTotal(col string) bool {
	switch col {
	case "accept-all", "reject-all", "custom", "withdraw", "gpc", "total":
		return true
	}
	return false
}

func TestRangeCountsOnlyItsRecords(t *testing.T) {
	f := knownMix(t)
	rep, err := Build(context.Background(), f.st, Options{By: ByDay, Since: day("2026-11-23", 0), Until: day("2026-11-24", 0), Releases: releases})
	if err != nil {
		t.Fatal(err)
	}
	// 2026-11-23: 20 accept-all and 10 withdrawals under an hour.
	if rep.Counted != 30 || rep.outside != 122 {
		t.Errorf("counted %d, outside %d; want 30 and 122", rep.Counted, rep.outside)
	}
	if got := rep.tables[0].Rows; len(got) != 1 || got[0][0].Text != "2026-11-23" || got[0][1].Text != "20" || got[0][4].Text != "10" {
		t.Errorf("decisions of the day: %v", got)
	}
	if got := rep.tables[2].Rows[0]; got[1].Text != "10" {
		t.Errorf("withdrawals under an hour: %v, want 10", got)
	}
}

func TestBuildRejectsBadOptions(t *testing.T) {
	f := newFixture(t)
	for _, o := range []Options{{By: "year"}, {Since: day("2026-11-02", 0), Until: day("2026-11-01", 0)}} {
		if _, err := Build(context.Background(), f.st, o); err == nil {
			t.Errorf("Build(%+v) took it", o)
		}
	}
}

// A record the hash covers can still hold a subject no endpoint issued
// (a chain rewritten by hand): the tally counts it and does not fail.
func TestTallyTakesAnySubject(t *testing.T) {
	t.Parallel()
	tl, err := newTally(Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"", "zz", strings.Repeat("a", 64), strings.Repeat("g", 32)} {
		for _, m := range []string{"accept-all", "withdraw"} {
			if err := tl.add(consent.Record{Subject: s, Method: m, Time: day("2026-11-02", 0), Choices: map[string]bool{"x": m == "accept-all"}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if tl.counted != 8 || tl.delays[len(delays)] != 4 {
		t.Errorf("counted %d, withdrawals without an earlier consent %d; want 8 and 4", tl.counted, tl.delays[len(delays)])
	}
}

// No row with a shown total and no count column hides exactly one cell
// (unless nothing else in it could be hidden): else the row's total or the
// column's sum would give it away.
func TestSuppressGridLeavesNoLoneHiddenCell(t *testing.T) {
	t.Parallel()
	grids := [][][]int64{
		{{30, 15, 12, 0, 3, 60}, {5, 0, 0, 4, 0, 9}, {0, 0, 0, 0, 0, 0}, {22, 20, 10, 21, 10, 83}},
		{{50, 2, 52}, {40, 30, 70}, {60, 45, 105}},
		{{1, 1}},
		{},
	}
	for g, rows := range grids {
		hide := suppressGrid(rows)
		for i, row := range rows {
			n := len(row) - 1
			lone := 0
			for j := range n {
				if hide[i][j] {
					lone++
				}
				if hiddenCount(row[j]) && !hide[i][j] {
					t.Errorf("grid %d row %d: count %d shown", g, i, row[j])
				}
			}
			if !hide[i][n] && lone == 1 {
				t.Errorf("grid %d row %d: one hidden count beside a shown total: %v", g, i, hide[i])
			}
		}
		if len(rows) == 0 {
			continue
		}
		for j := range len(rows[0]) - 1 {
			lone, others := 0, 0
			for i := range rows {
				if hide[i][j] {
					lone++
				} else if rows[i][j] > 0 {
					others++
				}
			}
			if lone == 1 && others > 0 {
				t.Errorf("grid %d column %d: one hidden count", g, j)
			}
		}
	}
}
