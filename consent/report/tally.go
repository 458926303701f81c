// Package report turns the consent records of a store into a report a
// legal editor can share: decisions per period by method, the share of
// each category given per revision, withdrawals and how long after the
// consent they came, languages, and the chain's verification state. It
// reads the records once, in the same pass that verifies the chain, and
// keeps only counts: nothing in the report identifies a visitor, and
// counts under MinCount are not shown (see suppress).
package report

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/integritet/integritet/consent"
)

// MinCount is the smallest count a report shows: a cell with 1 to
// MinCount-1 decisions could single out a visitor, so it is suppressed.
const MinCount = 10

// Periods a report groups decisions by.
const (
	ByDay   = "day"
	ByWeek  = "week"
	ByMonth = "month"
)

// Release is a released version of the notice: its consent revision was
// published on Date.
type Release struct {
	Version  string
	Revision string
	Date     time.Time
}

// Options says what a report covers.
type Options struct {
	// Since and Until bound the records counted: Since <= time < Until.
	// Zero means unbounded.
	Since, Until time.Time
	By           string // ByDay, ByWeek or ByMonth; ByWeek when empty
	Releases     []Release
	// Anchors, Receipts and Cutoff are passed to the verification.
	Verify consent.VerifyOptions
	Now    time.Time // when the report is made
}

// delay buckets of a withdrawal after the consent it withdraws.
var delays = []struct {
	label string
	upTo  time.Duration // exclusive; 0 for the last
}{
	{"under 1 hour", time.Hour},
	{"1 hour to 1 day", 24 * time.Hour},
	{"1 to 7 days", 7 * 24 * time.Hour},
	{"7 to 30 days", 30 * 24 * time.Hour},
	{"30 to 365 days", 365 * 24 * time.Hour},
	{"over 365 days", 0},
}

var errBadSubject = errors.New("subject is not 32 hex digits")

// noEarlier is the delay row of withdrawals with no earlier consent in
// the store (purged, or the visitor had refused everything).
const noEarlier = "no earlier consent stored"

type revTally struct {
	version     string
	first, last time.Time
	decisions   int64
	given       map[string]int64
}

// tally holds the counts of one pass.
type tally struct {
	opts      Options
	methods   []string
	methodIdx map[string]int
	periods   map[time.Time][]int64 // period start -> count per method
	revisions map[string]*revTally
	languages map[string]int64
	delays    []int64 // per delays, then noEarlier
	// consented maps a subject to the time (Unix ms) of its latest
	// decision that gave some category: the start of a withdrawal's delay.
	// It lives only during the pass and is never written.
	consented map[[16]byte]int64
	counted   int64 // records in the range
	outside   int64 // records in the chain, outside the range
}

func newTally(opts Options) (*tally, error) {
	switch opts.By {
	case "":
		opts.By = ByWeek
	case ByDay, ByWeek, ByMonth:
	default:
		return nil, fmt.Errorf("period %q: want %s, %s or %s", opts.By, ByDay, ByWeek, ByMonth)
	}
	if !opts.Since.IsZero() && !opts.Until.IsZero() && !opts.Since.Before(opts.Until) {
		return nil, fmt.Errorf("the range is empty: since %s is not before until %s",
			opts.Since.UTC().Format(time.DateOnly), opts.Until.UTC().Format(time.DateOnly))
	}
	t := &tally{
		opts:      opts,
		methods:   consent.Methods(),
		methodIdx: map[string]int{},
		periods:   map[time.Time][]int64{},
		revisions: map[string]*revTally{},
		languages: map[string]int64{},
		delays:    make([]int64, len(delays)+1),
		consented: map[[16]byte]int64{},
	}
	for i, m := range t.methods {
		t.methodIdx[m] = i
	}
	return t, nil
}

func (t *tally) inRange(at time.Time) bool {
	return (t.opts.Since.IsZero() || !at.Before(t.opts.Since)) && (t.opts.Until.IsZero() || at.Before(t.opts.Until))
}

// add counts one record of the chain.
func (t *tally) add(r consent.Record) error {
	var subj [16]byte
	serr := errBadSubject
	if len(r.Subject) == 2*len(subj) {
		_, serr = hex.Decode(subj[:], []byte(r.Subject))
	}
	ms := r.Time.UnixMilli()
	in := t.inRange(r.Time)
	if in {
		t.count(r)
	} else {
		t.outside++
	}
	if r.Method == "withdraw" {
		if in {
			given, ok := t.consented[subj]
			switch {
			case serr != nil || !ok:
				t.delays[len(delays)]++
			default:
				t.delays[delayBucket(time.Duration(ms-given)*time.Millisecond)]++
			}
		}
		delete(t.consented, subj)
		return nil
	}
	if serr != nil {
		return nil
	}
	for _, g := range r.Choices {
		if g {
			t.consented[subj] = ms
			return nil
		}
	}
	// Refusing everything withdraws what was given before, but it is not
	// a withdrawal by method: it ends the delay without counting one.
	delete(t.consented, subj)
	return nil
}

func (t *tally) count(r consent.Record) {
	t.counted++
	m, ok := t.methodIdx[r.Method]
	if !ok {
		// The hash covers the method, so an unknown one was recorded as
		// such; it counts in the total only.
		m = -1
	}
	p := periodStart(r.Time, t.opts.By)
	row := t.periods[p]
	if row == nil {
		row = make([]int64, len(t.methods)+1)
		t.periods[p] = row
	}
	if m >= 0 {
		row[m]++
	}
	row[len(t.methods)]++
	rv := t.revisions[r.Revision]
	if rv == nil {
		rv = &revTally{version: r.Version, first: r.Time, given: map[string]int64{}}
		t.revisions[r.Revision] = rv
	}
	rv.last = r.Time
	rv.decisions++
	for k, g := range r.Choices {
		if g {
			rv.given[k]++
		} else if _, ok := rv.given[k]; !ok {
			rv.given[k] = 0
		}
	}
	t.languages[r.Language]++
}

func delayBucket(d time.Duration) int {
	for i, b := range delays {
		if b.upTo == 0 || d < b.upTo {
			return i
		}
	}
	return len(delays) - 1
}

// periodStart is the start (UTC) of the period that holds t: the day,
// the ISO week (from Monday) or the month.
func periodStart(t time.Time, by string) time.Time {
	t = t.UTC()
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	switch by {
	case ByDay:
		return day
	case ByMonth:
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
	default:
		back := (int(day.Weekday()) + 6) % 7 // days since Monday
		return day.AddDate(0, 0, -back)
	}
}

func nextPeriod(p time.Time, by string) time.Time {
	switch by {
	case ByDay:
		return p.AddDate(0, 0, 1)
	case ByMonth:
		return p.AddDate(0, 1, 0)
	default:
		return p.AddDate(0, 0, 7)
	}
}

// periodLabel names a period: 2026-11-24, 2026-W48 or 2026-11.
func periodLabel(p time.Time, by string) string {
	switch by {
	case ByDay:
		return p.Format(time.DateOnly)
	case ByMonth:
		return p.Format("2006-01")
	default:
		y, w := p.ISOWeek()
		return fmt.Sprintf("%d-W%02d", y, w)
	}
}

// Build verifies the chain of s and tallies its records in one pass over
// the rows, and returns the report.
func Build(ctx context.Context, s consent.Reader, opts Options) (*Report, error) {
	t, err := newTally(opts)
	if err != nil {
		return nil, err
	}
	vopts := opts.Verify
	if vopts.Visit != nil {
		return nil, errors.New("report: VerifyOptions.Visit is the report's own")
	}
	vopts.Visit = func(r consent.Record) error { return t.add(r) }
	v, err := consent.VerifyWith(ctx, s, vopts)
	if err != nil {
		return nil, err
	}
	t.consented = nil
	return t.report(v), nil
}

// sortedPeriods returns every period from the first to the last with a
// count (or of the range, when it is bounded), empty ones included, so
// that a chart over time has no hidden gaps.
func (t *tally) sortedPeriods() []time.Time {
	if len(t.periods) == 0 {
		return nil
	}
	keys := make([]time.Time, 0, len(t.periods))
	for p := range t.periods {
		keys = append(keys, p)
	}
	slices.SortFunc(keys, func(a, b time.Time) int { return a.Compare(b) })
	first, last := keys[0], keys[len(keys)-1]
	if !t.opts.Since.IsZero() {
		first = periodStart(t.opts.Since, t.opts.By)
	}
	if !t.opts.Until.IsZero() {
		// up to the end of the range, or of today when it ends later
		end := periodStart(t.opts.Until.Add(-time.Millisecond), t.opts.By)
		if !t.opts.Now.IsZero() && end.After(t.opts.Now) {
			end = periodStart(t.opts.Now, t.opts.By)
		}
		if end.After(last) {
			last = end
		}
	}
	var out []time.Time
	for p := first; !p.After(last); p = nextPeriod(p, t.opts.By) {
		out = append(out, p)
	}
	return out
}
