package notice

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Duration is a calendar-aware ISO 8601 duration with date parts only:
// PnYnMnWnD ("P18M", "P3W", "P1Y6M"). Months and years follow the calendar
// (AddTo), so "P1M" from 31 January ends on the last day of February.
// Time parts (T...) are not used by retention rules and are rejected.
type Duration struct {
	Years, Months, Weeks, Days int
}

// ParseDuration reads an ISO 8601 date duration such as "P18M" or "P1Y2M".
func ParseDuration(s string) (Duration, error) {
	var d Duration
	if len(s) < 3 || s[0] != 'P' {
		return d, fmt.Errorf("bad duration %q: want an ISO 8601 duration such as \"P18M\", \"P3W\" or \"P7Y\"", s)
	}
	rest := s[1:]
	seen := ""
	order := "YMWD"
	for rest != "" {
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i == 0 || i == len(rest) {
			if strings.ContainsRune(rest, 'T') {
				return Duration{}, fmt.Errorf("bad duration %q: hours, minutes and seconds are not allowed in a retention period", s)
			}
			return Duration{}, fmt.Errorf("bad duration %q: want a number followed by Y, M, W or D", s)
		}
		n, err := strconv.Atoi(rest[:i])
		if err != nil || n > 1000 {
			return Duration{}, fmt.Errorf("bad duration %q: number too large", s)
		}
		unit := rest[i]
		pos := strings.IndexByte(order, unit)
		if pos < 0 {
			if unit == 'T' {
				return Duration{}, fmt.Errorf("bad duration %q: hours, minutes and seconds are not allowed in a retention period", s)
			}
			return Duration{}, fmt.Errorf("bad duration %q: unknown unit %q (want Y, M, W or D)", s, unit)
		}
		if strings.IndexByte(seen, unit) >= 0 || (seen != "" && strings.IndexByte(order, seen[len(seen)-1]) > pos) {
			return Duration{}, fmt.Errorf("bad duration %q: units must appear once, in the order Y, M, W, D", s)
		}
		seen += string(unit)
		switch unit {
		case 'Y':
			d.Years = n
		case 'M':
			d.Months = n
		case 'W':
			d.Weeks = n
		case 'D':
			d.Days = n
		}
		rest = rest[i+1:]
	}
	if d.IsZero() {
		return Duration{}, fmt.Errorf("bad duration %q: a retention period of zero says nothing; omit it or state an event", s)
	}
	return d, nil
}

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
	}{{d.Years, 'Y'}, {d.Months, 'M'}, {d.Weeks, 'W'}, {d.Days, 'D'}} {
		if p.n != 0 {
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
	return out.AddDate(0, 0, 7*d.Weeks+d.Days)
}

// SubFrom returns t moved back by d on the calendar (the cutoff before which
// records have outlived the period).
func (d Duration) SubFrom(t time.Time) time.Time {
	neg := Duration{Years: -d.Years, Months: -d.Months, Weeks: -d.Weeks, Days: -d.Days}
	return neg.AddTo(t)
}

// Parts returns the non-zero parts, largest unit first, as (count, unit)
// pairs with unit one of "year", "month", "week", "day". The renderer turns
// them into "1 år och 6 månader" / "1 year and 6 months" through i18n.
func (d Duration) Parts() []DurationPart {
	var out []DurationPart
	for _, p := range []DurationPart{{d.Years, "year"}, {d.Months, "month"}, {d.Weeks, "week"}, {d.Days, "day"}} {
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
