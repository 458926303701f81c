package notice

import (
	"errors"
	"strings"
	"testing"
	"time"
)

const minimal = `[notice]
version = "1"
effective_date = 2026-11-24
languages = ["sv", "en"]
default_language = "sv"
slug = {sv = "integritetspolicy", en = "privacy-notice"}
title = {sv = "Integritetspolicy", en = "Privacy notice"}

[controller]
name = "ACME"
email = "info@example.com"
`

const purposes = `[[data_category]]
key = "customer"
title = {sv = "Kunduppgifter", en = "Customer data"}

[[retention]]
key = "r"
anchor = "collection"
duration = "P3M"

[[purpose]]
key = "p"
title = {sv = "Ä", en = "P"}
description = {sv = "Ä", en = "P"}
basis = "contract"
data_categories = ["customer"]
retention = ["r"]
`

func TestLoadAcceptsMinimalNotice(t *testing.T) {
	t.Parallel()
	n, err := Parse(map[string][]byte{"content/notice.toml": []byte(minimal), "content/purposes.toml": []byte(purposes)})
	if err != nil {
		t.Fatal(err)
	}
	if got := n.Meta.EffectiveDate.String(); got != "2026-11-24" {
		t.Errorf("effective date = %q", got)
	}
	r, _ := n.RetentionFor("r")
	if r.Duration != (Duration{Months: 3}) {
		t.Errorf("duration = %+v", r.Duration)
	}
	if got := n.Where("purpose[0].basis"); got.File != "content/purposes.toml" || got.Line != 14 || got.Col != 9 {
		t.Errorf("Where(purpose[0].basis) = %+v", got)
	}
}

// TestLoadReportsPositions is the table of malformed inputs: each edit of the
// valid purposes file must give exactly this message at this position.
func TestLoadReportsPositions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, old, new, want string
	}{
		{"unknown basis", `basis = "contract"`, `basis = "contrct"`,
			`content/purposes.toml:14:9: unknown legal basis "contrct" (want: consent, contract, legal-obligation, vital-interests, public-task, legitimate-interests)`},
		{"bad duration", `duration = "P3M"`, `duration = "3 months"`,
			`content/purposes.toml:8:12: bad duration "3 months": want an ISO 8601 duration such as "P18M", "P3W" or "P7Y"`},
		{"time in duration", `duration = "P3M"`, `duration = "PT3H"`,
			`content/purposes.toml:8:12: bad duration "PT3H": hours, minutes and seconds are not allowed in a retention period`},
		{"units out of order", `duration = "P3M"`, `duration = "P3M1Y"`,
			`content/purposes.toml:8:12: bad duration "P3M1Y": units must appear once, in the order Y, M, W, D`},
		{"zero duration", `duration = "P3M"`, `duration = "P0M"`,
			`content/purposes.toml:8:12: bad duration "P0M": a retention period of zero says nothing; omit it or state an event`},
		{"unknown anchor", `anchor = "collection"`, `anchor = "colection"`,
			`content/purposes.toml:7:10: unknown anchor "colection" (want: collection, contract-end, invoice-paid, fiscal-year-end, decision)`},
		{"missing translation", `description = {sv = "Ä", en = "P"}`, `description = {sv = "Ä"}`,
			`content/purposes.toml:13:15: purpose[0].description: missing "en"`},
		{"syntax error after a non-ASCII letter", `title = {sv = "Ä", en = "P"}`, `title = {sv = "Ä", en = "P" x}`,
			`content/purposes.toml:12:29: expected a comma or an inline table terminator '}', but got 'x' instead`},
		// Columns count characters, as editors do: "Ä" is one, not two bytes.
		{"extra language", `title = {sv = "Ä", en = "P"}`, `title = {sv = "Ä", en = "P", de = "D"}`,
			`content/purposes.toml:12:35: purpose[0].title: language "de" is not one of languages [sv en]`},
		{"dangling data category", `data_categories = ["customer"]`, `data_categories = ["customers"]`,
			`content/purposes.toml:15:19: undefined data category "customers"`},
		{"dangling retention", `retention = ["r"]`, `retention = ["x"]`,
			`content/purposes.toml:16:13: undefined retention rule "x"`},
		{"unknown key", `basis = "contract"`, "basis = \"contract\"\nbasiss = 1",
			`content/purposes.toml:15:1: unknown key "basiss"`},
		{"missing basis", `basis = "contract"`, ``,
			`content/purposes.toml:10:1: purpose "p": missing basis (want: consent, contract, legal-obligation, vital-interests, public-task, legitimate-interests)`},
		{"duplicate key", `key = "p"`, `key = "r"` + "\n" + `x = 1`,
			`content/purposes.toml:12:1: unknown key "x"`},
		{"bad key", `key = "p"`, `key = "P 1"`,
			`content/purposes.toml:11:7: bad key "P 1": use lowercase letters, digits and hyphens`},
		{"syntax error", `basis = "contract"`, `basis = "contract`,
			`content/purposes.toml:14:18: strings cannot contain newlines`},
		{"wrong type", `basis = "contract"`, `basis = 7`,
			`content/purposes.toml:14:9: incompatible types: TOML value has type int64; destination has type string`},
		{"both duration and until", `duration = "P3M"`, "duration = \"P3M\"\nuntil = \"claim-settled\"",
			`content/purposes.toml:9:9: retention "r": give either anchor and duration, or until, not both`},
		{"unknown placeholder", `description = {sv = "Ä", en = "P"}`, `description = {sv = "Ä {controller.fax}", en = "P"}`,
			`content/purposes.toml:13:21: unknown placeholder {controller.fax} (want {retention.KEY}, {duration}, or one of {controller.name}, {controller.email}, {controller.org_nr}, {controller.address}, {controller.url}, {authority.name})`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			src := strings.Replace(purposes, tt.old, tt.new, 1)
			if src == purposes {
				t.Fatalf("edit %q not applied", tt.old)
			}
			_, err := Parse(map[string][]byte{"content/notice.toml": []byte(minimal), "content/purposes.toml": []byte(src)})
			var ds Diagnostics
			if !errors.As(err, &ds) {
				t.Fatalf("err = %v, want Diagnostics", err)
			}
			if got := ds.Error(); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestDurationAddToIsCalendarAware(t *testing.T) {
	t.Parallel()
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	tests := []struct {
		d    string
		from string
		want string
	}{
		{"P1M", "2026-01-31", "2026-02-28"},
		{"P1M", "2028-01-31", "2028-02-29"},
		{"P18M", "2026-11-24", "2028-05-24"},
		{"P3W", "2026-12-20", "2027-01-10"},
		{"P7Y", "2026-12-31", "2033-12-31"},
		{"P1Y2M3W4D", "2026-01-01", "2027-03-26"},
	}
	for _, tt := range tests {
		d, err := ParseDuration(tt.d)
		if err != nil {
			t.Fatal(err)
		}
		if got := d.AddTo(day(tt.from)).Format("2006-01-02"); got != tt.want {
			t.Errorf("%s + %s = %s, want %s", tt.from, tt.d, got, tt.want)
		}
		if d.String() != tt.d {
			t.Errorf("String() = %s, want %s", d.String(), tt.d)
		}
	}
	if got := (Duration{Months: 1}).SubFrom(day("2026-03-31")).Format("2006-01-02"); got != "2026-02-28" {
		t.Errorf("SubFrom = %s", got)
	}
}

func FuzzLoad(f *testing.F) {
	f.Add(minimal, purposes)
	f.Add(minimal, "[[purpose]]\nkey = 1")
	f.Add("[notice\n", "")
	f.Fuzz(func(t *testing.T, a, b string) {
		_, err := Parse(map[string][]byte{"content/a.toml": []byte(a), "content/b.toml": []byte(b)})
		var ds Diagnostics
		if err == nil {
			return
		}
		if !errors.As(err, &ds) {
			t.Fatalf("error is not Diagnostics: %v", err)
		}
		for _, d := range ds {
			if d.Pos.File == "" || (d.Pos.Line == 0 && d.Pos.Path == "") {
				t.Fatalf("diagnostic without position or key path: %+v", d)
			}
		}
	})
}
