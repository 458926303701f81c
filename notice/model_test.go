package notice

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// parseWith loads the minimal notice plus extra files; it fails the test on
// any load error.
func parseWith(t *testing.T, files map[string]string) *Notice {
	t.Helper()
	in := map[string][]byte{"content/notice.toml": []byte(minimal)}
	for k, v := range files {
		in[k] = []byte(v)
	}
	n, err := Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRetentionShapes(t *testing.T) {
	t.Parallel()
	n := parseWith(t, map[string]string{"content/r.toml": `
[[data_category]]
key = "c"
title = {sv = "K", en = "C"}
examples = [{key = "ip", text = {sv = "IP", en = "IP"}}]

[[retention]]
key = "period"
data_categories = ["c"]
anchor = "invoice-paid"
duration = "P18M"

[[retention]]
key = "bound"
data_categories = ["c"]
duration = "P6M"
at_most = true

[[retention]]
key = "bound-after"
data_categories = ["c"]
anchor = "obtained"
duration = "P3M"
at_most = true

[[retention]]
key = "until"
data_categories = ["c"]
until = "consent-withdrawn"

[[retention]]
key = "forever"
data_categories = ["c"]
indefinite = true

[[retention]]
key = "ip"
data_categories = ["c"]
items = ["ip"]
duration = "PT72H"
`})
	tests := []struct{ key, shape, summary string }{
		{"period", ShapePeriod, "P18M after invoice-paid"},
		{"bound", ShapeBound, "at most P6M"},
		{"bound-after", ShapeBound, "at most P3M after obtained"},
		{"until", ShapeUntil, "until consent-withdrawn"},
		{"forever", ShapeIndefinite, "indefinitely"},
		{"ip", ShapePeriod, "PT72H"},
	}
	for _, tt := range tests {
		r, ok := n.RetentionFor(tt.key)
		if !ok {
			t.Fatalf("no rule %q", tt.key)
		}
		if r.Shape() != tt.shape || r.Summary() != tt.summary {
			t.Errorf("%s: shape %s, summary %q; want %s, %q", tt.key, r.Shape(), r.Summary(), tt.shape, tt.summary)
		}
	}
}

func TestBasesTakeOneOrSeveral(t *testing.T) {
	t.Parallel()
	n := parseWith(t, map[string]string{"content/p.toml": `
[[purpose]]
key = "one"
title = {sv = "A", en = "A"}
description = {sv = "A", en = "A"}
basis = "contract"

[[purpose]]
key = "two"
title = {sv = "B", en = "B"}
description = {sv = "B", en = "B"}
basis = ["contract", "legitimate-interests"]

[[purpose]]
key = "none"
title = {sv = "C", en = "C"}
description = {sv = "C", en = "C"}

[[purpose]]
key = "newsletter"
title = {sv = "D", en = "D"}
description = {sv = "D", en = "D"}
basis = "consent"
consent_given = {sv = "Via formuläret.", en = "Through the form."}
consent_withdrawal = {sv = "Länken i varje brev.", en = "The link in every letter."}
`})
	want := map[string]Bases{"one": {"contract"}, "two": {"contract", "legitimate-interests"}, "none": nil, "newsletter": {"consent"}}
	for k, b := range want {
		p, _ := n.Purpose(k)
		if !slices.Equal(p.Basis, b) {
			t.Errorf("%s: basis %v, want %v", k, p.Basis, b)
		}
	}
	if p, _ := n.Purpose("two"); !p.Basis.Has("legitimate-interests") || p.Basis.Has("consent") {
		t.Errorf("Has: %v", p.Basis)
	}
}

func TestCookieLifetimesKindsAndParty(t *testing.T) {
	t.Parallel()
	n := parseWith(t, map[string]string{"content/c.toml": `
[[consent_category]]
key = "necessary"
necessary = true
title = {sv = "N", en = "N"}
description = {sv = "N", en = "N"}

[[cookie]]
name = "short"
category = "necessary"
lifetime = "PT30M"
purpose = {sv = "A", en = "A"}

[[cookie]]
name = "tab"
kind = "session-storage"
category = "necessary"
lifetime = "session"
purpose = {sv = "A", en = "A"}

[[cookie]]
name = "px"
kind = "pixel"
domain = "tracker.example.net"
category = "necessary"
purpose = {sv = "A", en = "A"}

[[cookie]]
name = "sub"
domain = ".shop.example.org"
category = "necessary"
lifetime = "P1D"
purpose = {sv = "A", en = "A"}
`})
	n.Meta.BaseURL = "https://www.example.org/legal"
	tests := []struct {
		name, kind string
		third      bool
	}{{"short", "cookie", false}, {"tab", "session-storage", false}, {"px", "pixel", true}, {"sub", "cookie", false}}
	for i, tt := range tests {
		c := n.Cookies[i]
		if c.Name != tt.name || c.KindKey() != tt.kind || n.ThirdParty(c) != tt.third {
			t.Errorf("%s: kind %s third %v; want %s %v", c.Name, c.KindKey(), n.ThirdParty(c), tt.kind, tt.third)
		}
	}
	if d := n.Cookies[0].Lifetime; d != (Duration{Minutes: 30}) || d.String() != "PT30M" {
		t.Errorf("PT30M = %+v %s", d, d)
	}
}

func TestConsentCookieMustLastDays(t *testing.T) {
	t.Parallel()
	_, err := Parse(map[string][]byte{"content/notice.toml": []byte(minimal), "content/c.toml": []byte(`
[banner]
cookie = "c"

[[consent_category]]
key = "necessary"
necessary = true
title = {sv = "N", en = "N"}
description = {sv = "N", en = "N"}

[[cookie]]
name = "c"
category = "necessary"
lifetime = "PT30M"
purpose = {sv = "A", en = "A"}
`)})
	if err == nil || !strings.Contains(err.Error(), `content/c.toml:3:10: consent cookie "c": its lifetime PT30M must be whole days, months or years`) {
		t.Errorf("err = %v", err)
	}
}

func TestHistoryDatedByMonth(t *testing.T) {
	t.Parallel()
	n := parseWith(t, map[string]string{"content/h.toml": `
[[history]]
version = "3"
date = "2025-03"
summary = {sv = "A", en = "A"}

[[history]]
version = "4"
date = 2026-11-24
summary = {sv = "B", en = "B"}
`})
	if got := n.History[0].Date.String(); got != "2025-03" {
		t.Errorf("month date = %q", got)
	}
	if got := n.History[1].Date.String(); got != "2026-11-24" {
		t.Errorf("day date = %q", got)
	}
	_, err := Parse(map[string][]byte{"content/notice.toml": []byte(minimal), "content/h.toml": []byte("[[history]]\nversion = \"1\"\ndate = \"2025-13\"\nsummary = {sv = \"A\", en = \"A\"}\n")})
	if err == nil || !strings.Contains(err.Error(), `bad date "2025-13"`) {
		t.Errorf("err = %v", err)
	}
}

func TestExtraSectionsAndChildren(t *testing.T) {
	t.Parallel()
	n := parseWith(t, map[string]string{"content/s.toml": `
[children]
min_age = 16
check = {sv = "Vi frågar.", en = "We ask."}

[[section]]
key = "scope"
after = "data"
title = {sv = "Omfattning", en = "Scope"}
text = {sv = "Gäller webbplatsen.", en = "Covers the website."}
`})
	if n.Children.MinAge != 16 || len(n.Extra) != 1 || n.Extra[0].After != "data" {
		t.Errorf("children %+v extra %+v", n.Children, n.Extra)
	}
	for _, tt := range []struct{ src, want string }{
		{"[[section]]\nkey = \"rights\"\ntitle = {sv = \"A\", en = \"A\"}\ntext = {sv = \"A\", en = \"A\"}\n", `content/s.toml:2:7: section key "rights" is a built-in section: choose another key`},
		{"[[section]]\nkey = \"x\"\nafter = \"nowhere\"\ntitle = {sv = \"A\", en = \"A\"}\ntext = {sv = \"A\", en = \"A\"}\n", `content/s.toml:3:9: section "x": after "nowhere" names no section`},
		{"[[section]]\nkey = \"x\"\ntitle = {sv = \"A\", en = \"A\"}\n", `content/s.toml:1:1: section[0].text: missing`},
	} {
		_, err := Parse(map[string][]byte{"content/notice.toml": []byte(minimal), "content/s.toml": []byte(tt.src)})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("err = %v\nwant %s", err, tt.want)
		}
	}
}

// TestEachTextReachesEveryTextField fills every Text field of the schema
// (found by walking the types, with one element in every slice) and checks
// that EachText visits each of them: a Text field added anywhere is seen by
// translation checks, `unfilled` and the stale-wording rules.
func TestEachTextReachesEveryTextField(t *testing.T) {
	t.Parallel()
	n := &Notice{}
	want := fill(reflect.ValueOf(n).Elem(), "")
	got := 0
	n.EachText(func(path string, tx Text) {
		if tx["sv"] == "TODO" {
			got++
		}
	})
	if want < 40 {
		t.Fatalf("found only %d Text fields: the filler is broken", want)
	}
	if got != want {
		t.Errorf("EachText reached %d of %d Text fields", got, want)
	}
}

// fill sets every Text reachable from v to {sv = "TODO"} and counts them.
func fill(v reflect.Value, path string) int {
	if v.Type() == textType {
		v.Set(reflect.ValueOf(Text{"sv": "TODO"}))
		return 1
	}
	count := 0
	switch v.Kind() {
	case reflect.Pointer:
		if v.Type().Elem().Kind() == reflect.Struct {
			v.Set(reflect.New(v.Type().Elem()))
			count += fill(v.Elem(), path)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() && v.Field(i).CanSet() {
				count += fill(v.Field(i), path+"."+v.Type().Field(i).Name)
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Struct {
			v.Set(reflect.MakeSlice(v.Type(), 1, 1))
			count += fill(v.Index(0), path+"[0]")
		}
	}
	return count
}

// Consent Mode's options need Consent Mode; reopen is on unless turned off.
func TestBannerConsentModeOptionsAndReopen(t *testing.T) {
	t.Parallel()
	banner := func(extra string) map[string][]byte {
		return map[string][]byte{"content/notice.toml": []byte(minimal), "content/c.toml": []byte(`
[banner]
cookie = "c"
` + extra + `

[[consent_category]]
key = "necessary"
necessary = true
title = {sv = "N", en = "N"}
description = {sv = "N", en = "N"}

[[consent_category]]
key = "ads"
title = {sv = "A", en = "A"}
description = {sv = "A", en = "A"}

[[cookie]]
name = "c"
category = "necessary"
lifetime = "P6M"
purpose = {sv = "A", en = "A"}
`)}
	}
	for _, tt := range []struct {
		name, extra, want string
		reopen            bool
	}{
		{"redaction without Consent Mode", "ads_data_redaction = true", `content/c.toml:4:22: ads_data_redaction is a Google Consent Mode setting: map the consent types in [banner.consent_mode] too, or leave it out`, true},
		{"passthrough without Consent Mode", "url_passthrough = true", `content/c.toml:4:19: url_passthrough is a Google Consent Mode setting: map the consent types in [banner.consent_mode] too, or leave it out`, true},
		{"both with Consent Mode", "ads_data_redaction = true\nurl_passthrough = true\nconsent_mode = {ad_storage = [\"ads\"]}", "", true},
		{"reopen off", "reopen = false", "", false},
		{"reopen by default", "", "", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n, err := Parse(banner(tt.extra))
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("err = %v, want %s", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := n.Banner.AddsReopen(); got != tt.reopen {
				t.Errorf("AddsReopen() = %v, want %v", got, tt.reopen)
			}
		})
	}
}
