package notice

import (
	"errors"
	"os"
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
			`content/purposes.toml:8:12: bad duration "3 months": want an ISO 8601 duration such as "P18M", "P3W", "P7Y" or "PT30M"`},
		{"hours before T", `duration = "P3M"`, `duration = "P3H"`,
			`content/purposes.toml:8:12: bad duration "P3H": unknown unit 'H' (want Y, M, W, D)`},
		{"T without time", `duration = "P3M"`, `duration = "P3MT"`,
			`content/purposes.toml:8:12: bad duration "P3MT": T must be followed by hours, minutes or seconds ("PT12H")`},
		{"units out of order", `duration = "P3M"`, `duration = "P3M1Y"`,
			`content/purposes.toml:8:12: bad duration "P3M1Y": units must appear once, in the order Y, M, W, D, T, H, M, S`},
		{"zero duration", `duration = "P3M"`, `duration = "P0M"`,
			`content/purposes.toml:8:12: bad duration "P0M": a period of zero says nothing; omit it or state an event`},
		{"unknown anchor", `anchor = "collection"`, `anchor = "colection"`,
			`content/purposes.toml:7:10: unknown anchor "colection" (want: collection, obtained, decision, last-activity, contract-end, account-deletion, invoice-paid, delivery, fiscal-year-end, fiscal-year-calendar-end, calendar-year-end, consent-withdrawn, erasure-request, objection, session-end, no-longer-needed, processor-contract-end, proceedings-end)`},
		{"unknown event", "anchor = \"collection\"\nduration = \"P3M\"", `until = "forever"`,
			`content/purposes.toml:7:9: unknown event "forever" (want: end-of-relationship, contract-end, account-deletion, claim-settled, consent-withdrawn, erasure-request, objection, unsubscribe, no-longer-needed, session-end, legal-requirement, processor-contract-end, limitation-period, proceedings-end, case-closed)`},
		{"at most without duration", `duration = "P3M"`, `at_most = true`,
			`content/purposes.toml:8:11: retention "r": at_most needs a duration ("at most P6M")`},
		{"indefinite and a period", `duration = "P3M"`, "duration = \"P3M\"\nindefinite = true",
			`content/purposes.toml:9:14: retention "r": give one of duration (with anchor, or at_most = true), until, or indefinite = true`},
		{"item not in the category", `duration = "P3M"`, "duration = \"P3M\"\ndata_categories = [\"customer\"]\nitems = [\"ip\"]",
			`content/purposes.toml:10:9: retention "r": item "ip" is not the key of an example in its data categories (customer)`},
		{"unknown special category", `key = "customer"`, "key = \"customer\"\nspecial = \"helth\"",
			`content/purposes.toml:3:11: unknown special category "helth" (want: racial-ethnic-origin, political-opinions, religious-beliefs, trade-union, genetic, biometric, health, sex-life, sexual-orientation, criminal)`},
		{"unknown origin", `key = "customer"`, "key = \"customer\"\norigin = \"bought\"",
			`content/purposes.toml:3:10: unknown data origin "bought" (want: collected, generated, obtained)`},
		{"unknown Art. 9 condition", `basis = "contract"`, "basis = \"contract\"\nspecial_conditions = [\"consent\"]",
			`content/purposes.toml:15:22: unknown Art. 9(2) condition "consent" (want: explicit-consent, employment, vital-interests, not-for-profit, made-public, legal-claims, substantial-public-interest, health-care, public-health, archiving-research)`},
		{"unknown basis in a list", `basis = "contract"`, `basis = ["contract", "contrct"]`,
			`content/purposes.toml:14:9: unknown legal basis "contrct" (want: consent, contract, legal-obligation, vital-interests, public-task, legitimate-interests)`},
		{"basis twice", `basis = "contract"`, `basis = ["contract", "contract"]`,
			`content/purposes.toml:14:9: purpose "p": basis "contract" is given twice`},
		{"basis name for two bases", `basis = "contract"`, "basis = [\"contract\", \"consent\"]\nbasis_name = {sv = \"A\", en = \"B\"}",
			`content/purposes.toml:15:14: purpose "p": basis_name words a single basis, but the purpose has 2`},
		{"consent given without consent basis", `basis = "contract"`, "basis = \"contract\"\nconsent_given = {sv = \"A\", en = \"B\"}\nconsent_withdrawal = {sv = \"A\", en = \"B\"}",
			`content/purposes.toml:15:17: purpose "p" says how consent is given but is not based on consent: add "consent" to basis`},
		{"consent given without withdrawal", `basis = "contract"`, "basis = \"consent\"\nconsent_given = {sv = \"A\", en = \"B\"}",
			`content/purposes.toml:10:1: purpose "p": consent given outside the cookie banner needs both consent_given (where and how it is given) and consent_withdrawal (how to withdraw it, Art. 7(3))`},
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
			`content/purposes.toml:15:1: unknown key "basiss"; did you mean "basis"?`},
		{"duplicate key", `key = "p"`, `key = "r"` + "\n" + `x = 1`,
			`content/purposes.toml:12:1: unknown key "x"`},
		{"bad key", `key = "p"`, `key = "P 1"`,
			`content/purposes.toml:11:7: bad key "P 1": use lowercase letters, digits and hyphens`},
		{"syntax error", `basis = "contract"`, `basis = "contract`,
			`content/purposes.toml:14:18: strings cannot contain newlines`},
		{"wrong type", `basis = "contract"`, `basis = 7`,
			`content/purposes.toml:14:9: bad basis 7: want a string such as "contract" or an array of them`},
		{"both duration and until", `duration = "P3M"`, "duration = \"P3M\"\nuntil = \"claim-settled\"",
			`content/purposes.toml:9:9: retention "r": give one of duration (with anchor, or at_most = true), until, or indefinite = true`},
		{"sections.access is gone", `retention = ["r"]`, "retention = [\"r\"]\n\n[sections]\naccess = \"A\"",
			`content/purposes.toml:19:1: unknown key "access"`},
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
		{"PT30M", "2026-01-01", "2026-01-01"},
		{"P1DT12H", "2026-01-01", "2026-01-02"},
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
	// Seeds over the general model: several bases, consent outside the
	// banner, retention shapes and items, special data, storage kinds,
	// extra sections, children and month dates.
	if b, err := os.ReadFile("../site/testdata/model/content/notice.toml"); err == nil {
		f.Add(string(b), "")
		f.Add(minimal, strings.Replace(string(b), "[notice]", "[notice_]", 1))
	}
	f.Add(minimal, "[[retention]]\nkey = \"r\"\nduration = \"PT3H\"\nat_most = true\nitems = [\"x\"]\n[[purpose]]\nkey = \"p\"\nbasis = [\"consent\", 1]\n")
	f.Add(minimal, "[[section]]\nkey = \"a\"\nafter = \"a\"\n[[history]]\ndate = \"2026-02\"\n[children]\nmin_age = -1\n")
	// Conditional bases, subject types, exceptions and a described cookie,
	// in inline arrays of tables over one line and several.
	f.Add(minimal, "[[purpose]]\nkey = \"p\"\nbasis = [\"consent\", \"contract\"]\nbasis_conditions = [{basis = \"consent\", when = \"storage\"}, {basis = \"contract\", text = {sv = \"]\", en = \"}\"}}]\nsubject_types = [\"visitor\"]\n[[retention]]\nkey = \"r\"\nduration = \"P1M\"\nunless = [\"legal-claims\"]\n[[cookie]]\nprovider = \"X\"\n")
	f.Add(minimal, "[[data_category]]\nkey = \"d\"\nexamples = [\n  {text = {sv = \"\"\"a\nb\"\"\", en = 'c'}},\n  {key = \"k\", text = {sv = \"[\", en = \"]\"}}, # x ]\n]\n")
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
