package notice

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Duration is a calendar-aware ISO 8601 duration: PnYnMnWnDTnHnMnS
// ("P18M", "P3W", "P1Y6M", "PT30M", "P1DT12H"). Months and years follow the
// calendar (AddTo), so "P1M" from 31 January ends on the last day of February.
type Duration struct {
	Years, Months, Weeks, Days int
	Hours, Minutes, Seconds    int
}

// ParseDuration reads an ISO 8601 duration such as "P18M", "P1Y2M" or
// "PT30M".
func ParseDuration(s string) (Duration, error) {
	var d Duration
	if len(s) < 3 || s[0] != 'P' {
		return d, fmt.Errorf("bad duration %q: want an ISO 8601 duration such as \"P18M\", \"P3W\", \"P7Y\" or \"PT30M\"", s)
	}
	date, clock, timed := strings.Cut(s[1:], "T")
	if timed && clock == "" {
		return Duration{}, fmt.Errorf("bad duration %q: T must be followed by hours, minutes or seconds (\"PT12H\")", s)
	}
	fields := []struct {
		part  string
		units string
		dst   []*int
	}{
		{date, "YMWD", []*int{&d.Years, &d.Months, &d.Weeks, &d.Days}},
		{clock, "HMS", []*int{&d.Hours, &d.Minutes, &d.Seconds}},
	}
	for _, f := range fields {
		rest, seen := f.part, -1
		for rest != "" {
			i := 0
			for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
				i++
			}
			if i == 0 || i == len(rest) {
				return Duration{}, fmt.Errorf("bad duration %q: want a number followed by a unit (Y, M, W, D before T; H, M, S after it)", s)
			}
			n, err := strconv.Atoi(rest[:i])
			if err != nil || n > 100000 {
				return Duration{}, fmt.Errorf("bad duration %q: number too large", s)
			}
			pos := strings.IndexByte(f.units, rest[i])
			if pos < 0 {
				return Duration{}, fmt.Errorf("bad duration %q: unknown unit %q (want %s)", s, rest[i], strings.Join(strings.Split(f.units, ""), ", "))
			}
			if pos <= seen {
				return Duration{}, fmt.Errorf("bad duration %q: units must appear once, in the order Y, M, W, D, T, H, M, S", s)
			}
			seen = pos
			*f.dst[pos] = n
			rest = rest[i+1:]
		}
	}
	if d.IsZero() {
		return Duration{}, fmt.Errorf("bad duration %q: a period of zero says nothing; omit it or state an event", s)
	}
	return d, nil
}

// HasClock reports whether d has hours, minutes or seconds.
func (d Duration) HasClock() bool { return d.Hours != 0 || d.Minutes != 0 || d.Seconds != 0 }

// IsZero reports whether no period is set.
func (d Duration) IsZero() bool { return d == Duration{} }

// String returns the canonical ISO 8601 form ("P1Y6M").
func (d Duration) String() string {
	if d.IsZero() {
		return ""
	}
	var b strings.Builder
	b.WriteByte('P')
	for _, p := range []struct {
		n int
		u byte
	}{{d.Years, 'Y'}, {d.Months, 'M'}, {d.Weeks, 'W'}, {d.Days, 'D'}, {-1, 'T'}, {d.Hours, 'H'}, {d.Minutes, 'M'}, {d.Seconds, 'S'}} {
		switch {
		case p.n == -1:
			if d.HasClock() {
				b.WriteByte('T')
			}
		case p.n != 0:
			b.WriteString(strconv.Itoa(p.n))
			b.WriteByte(p.u)
		}
	}
	return b.String()
}

// AddTo returns t moved forward by d on the calendar. Adding months clamps
// to the end of the target month (31 Jan + P1M = 28/29 Feb), as people
// reading "one month" expect, unlike time.AddDate which overflows.
func (d Duration) AddTo(t time.Time) time.Time {
	y, m, day := t.Date()
	months := int(m) - 1 + d.Months + 12*d.Years
	ty := y + months/12
	tm := months % 12
	if tm < 0 {
		tm += 12
		ty--
	}
	last := time.Date(ty, time.Month(tm+2), 0, 0, 0, 0, 0, t.Location()).Day()
	if day > last {
		day = last
	}
	hh, mm, ss := t.Clock()
	out := time.Date(ty, time.Month(tm+1), day, hh, mm, ss, t.Nanosecond(), t.Location())
	out = out.AddDate(0, 0, 7*d.Weeks+d.Days)
	return out.Add(time.Duration(d.Hours)*time.Hour + time.Duration(d.Minutes)*time.Minute + time.Duration(d.Seconds)*time.Second)
}

// SubFrom returns t moved back by d on the calendar (the cutoff before which
// records have outlived the period).
func (d Duration) SubFrom(t time.Time) time.Time {
	neg := Duration{Years: -d.Years, Months: -d.Months, Weeks: -d.Weeks, Days: -d.Days, Hours: -d.Hours, Minutes: -d.Minutes, Seconds: -d.Seconds}
	return neg.AddTo(t)
}

// Parts returns the non-zero parts, largest unit first, as (count, unit)
// pairs with unit one of "year", "month", "week", "day", "hour", "minute",
// "second". The renderer turns
// them into "1 år och 6 månader" / "1 year and 6 months" through i18n.
func (d Duration) Parts() []DurationPart {
	var out []DurationPart
	for _, p := range []DurationPart{{d.Years, "year"}, {d.Months, "month"}, {d.Weeks, "week"}, {d.Days, "day"}, {d.Hours, "hour"}, {d.Minutes, "minute"}, {d.Seconds, "second"}} {
		if p.Count != 0 {
			out = append(out, p)
		}
	}
	return out
}

// DurationPart is one unit of a Duration.
type DurationPart struct {
	Count int
	Unit  string
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }
