package export

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/integritet/integritet/notice"
	"github.com/integritet/integritet/site"
)

// framsteget loads the repository's own notice (FRAMSTEGET).
func framsteget(t *testing.T) *notice.Notice {
	t.Helper()
	n, err := notice.Load("..")
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestDiffClassifiesEveryKindOfEdit is the table of edits, one per kind of
// field, with the exact classification diff must give each: the change's
// path, what happened, material or editorial and by which rule, and
// whether visitors must be asked again. The first four are the edits of
// issue 13 that the old diff called "No material changes".
func TestDiffClassifiesEveryKindOfEdit(t *testing.T) {
	t.Parallel()
	yes, no := true, false
	tests := []struct {
		name      string
		edit      func(n *notice.Notice)
		want      []string // "path what material|editorial rule"
		reconsent bool
	}{
		{"purpose interests: selling data", func(n *notice.Notice) {
			p := &n.Purposes[1]
			p.Interests = notice.Text{"sv": "Vi vill sälja dina uppgifter till våra partner.", "en": p.Interests["en"]}
		}, []string{"purpose[communication].interests changed material wording"}, no},
		{"right to object removed", func(n *notice.Notice) {
			n.Rights = slices.DeleteFunc(n.Rights, func(r notice.Right) bool { return r.Key == "objection" })
		}, []string{"right[objection] removed material fact"}, no},
		{"personnummer added to a data category", func(n *notice.Notice) {
			d := &n.DataCategories[0]
			d.Examples = append(d.Examples, notice.Example{Text: notice.Text{"sv": "personnummer", "en": "personal identity number"}, DPV: "pd:NationalIdentificationNumber"})
		}, []string{"data_category[customer-data].examples[personal identity number] added material fact"}, no},
		{"transfer to the USA", func(n *notice.Notice) { n.Recipients[0].Country = "US" },
			[]string{"recipient[processors].countries changed material fact"}, no},
		{"transfer mechanism", func(n *notice.Notice) { n.Recipients[0].Mechanism = "standard-contractual-clauses" },
			[]string{"recipient[processors].mechanism changed material fact"}, no},
		{"representative appointed", func(n *notice.Notice) {
			n.Representative = &notice.Representative{Name: "Rep GmbH", Country: "DE", Email: "rep@example.de"}
		}, []string{"representative added material fact"}, no},
		{"joint controller added", func(n *notice.Notice) {
			n.JointControllers = append(n.JointControllers, notice.JointController{Key: "partner", Name: "Partner AB", Purposes: []string{"direct-marketing"}})
		}, []string{"joint_controller[partner] added material fact"}, no},
		{"authority changed", func(n *notice.Notice) { n.Authority.Key = "datatilsynet" },
			[]string{"authority.key changed material fact"}, no},
		{"consent category description", func(n *notice.Notice) {
			c := &n.ConsentCategories[1]
			c.Description = notice.Text{"sv": "Delar din surfhistorik med annonsnätverk.", "en": c.Description["en"]}
		}, []string{"consent_category[statistics].description changed material wording"}, yes},
		{"retention period", func(n *notice.Notice) { setDuration(t, n, "paid-invoice", "P2Y") },
			[]string{"retention[paid-invoice].duration changed material fact"}, no},
		{"purpose added", func(n *notice.Notice) {
			n.Purposes = append(n.Purposes, notice.Purpose{Key: "profiling", Title: notice.Text{"sv": "Profilering"}, Basis: notice.Bases{"consent"}})
		}, []string{"purpose[profiling] added material fact"}, no},
		{"purpose removed", func(n *notice.Notice) { n.Purposes = n.Purposes[1:] },
			[]string{"purpose[service-provision] removed material fact"}, no},
		{"legal basis", func(n *notice.Notice) { n.Purposes[1].Basis = notice.Bases{"consent"} },
			[]string{"purpose[communication].basis changed material fact"}, no},
		{"purpose data categories", func(n *notice.Notice) {
			n.Purposes[1].DataCategories = append(slices.Clone(n.Purposes[1].DataCategories), "credit-information")
		}, []string{"purpose[communication].data_categories changed material fact"}, no},
		{"retention anchor", func(n *notice.Notice) { n.Retention[2].Anchor = "collection" },
			[]string{"retention[paid-invoice].anchor changed material fact"}, no},
		{"cookie added", func(n *notice.Notice) {
			n.Cookies = append(n.Cookies, notice.Cookie{Name: "_ga", Provider: "Google", Category: "statistics", LifetimeText: "P2Y"})
		}, []string{"cookie[_ga] added material fact"}, yes},
		{"cookie lifetime", func(n *notice.Notice) { n.Cookies[0].LifetimeText = "P12M" },
			[]string{"cookie[framsteget_consent].lifetime changed material fact"}, yes},
		{"cookie purpose wording", func(n *notice.Notice) {
			n.Cookies[0].Purpose = notice.Text{"sv": "Sparar ditt val om kakor.", "en": n.Cookies[0].Purpose["en"]}
		}, []string{"cookie[framsteget_consent].purpose changed material wording"}, yes},
		{"controller e-mail", func(n *notice.Notice) { n.Controller.Email = "dpo@example.org" },
			[]string{"controller.email changed material fact"}, no},
		{"controller address wording", func(n *notice.Notice) {
			n.Controller.Address = notice.Text{"sv": "Storgatan 1, Stockholm", "en": n.Controller.Address["en"]}
		}, []string{"controller.address changed material wording"}, no},
		{"authority", func(n *notice.Notice) { n.Authority.URL = "https://www.imy.se" },
			[]string{"authority.url changed material fact"}, no},
		{"DPO appointed", func(n *notice.Notice) { b := true; n.DPO.Appointed = &b; n.DPO.Email = "dpo@framsteget.net" },
			[]string{"dpo.appointed changed material fact", "dpo.email changed material fact"}, no},
		{"no transfers stated", func(n *notice.Notice) { b := true; n.Transfers.None = &b },
			[]string{"transfers.none changed material fact"}, no},
		{"section intro wording", func(n *notice.Notice) {
			n.Sections.Security = notice.Text{"sv": "Vi skyddar inte dina uppgifter.", "en": n.Sections.Security["en"]}
		}, []string{"sections.security changed material wording"}, no},
		{"punctuation only", func(n *notice.Notice) {
			n.Sections.Data = notice.Text{"sv": strings.TrimSuffix(n.Sections.Data["sv"], ".") + "!", "en": n.Sections.Data["en"]}
		}, []string{"sections.data changed editorial punctuation"}, no},
		{"notice title", func(n *notice.Notice) { n.Meta.Title = notice.Text{"sv": "Integritetspolicyn", "en": "Privacy notice"} },
			[]string{"notice.title changed editorial framing"}, no},
		{"history entry", func(n *notice.Notice) {
			n.History = append(n.History, notice.Change{Version: "2026.9", Summary: notice.Text{"sv": "Ny version."}})
		}, []string{"history[2026.9] added editorial framing"}, no},
		{"children's age", func(n *notice.Notice) { n.Children.MinAge = 13 },
			[]string{"children.min_age changed material fact"}, no},
		{"special category", func(n *notice.Notice) { n.DataCategories[1].Special = "health" },
			[]string{"data_category[credit-information].special changed material fact"}, no},
		{"right title wording", func(n *notice.Notice) {
			n.Rights[0].Title = notice.Text{"sv": "Rätt att få tillgång", "en": n.Rights[0].Title["en"]}
		}, []string{"right[access].title changed material wording"}, no},
		{"extra section", func(n *notice.Notice) {
			n.Extra = append(n.Extra, notice.Section{Key: "ai", Title: notice.Text{"sv": "AI"}, Text: notice.Text{"sv": "Vi tränar AI."}, After: "rights"})
		}, []string{"section[ai] added material fact"}, no},
		{"consent category added", func(n *notice.Notice) {
			n.ConsentCategories = append(n.ConsentCategories, notice.ConsentCategory{Key: "social", Title: notice.Text{"sv": "Sociala medier"}})
		}, []string{"consent_category[social] added material fact"}, yes},
		{"banner GPC", func(n *notice.Notice) { b := false; n.Banner.GPC = &b },
			[]string{"banner.gpc changed material fact"}, no},
		{"nothing", func(n *notice.Notice) {}, nil, no},
	}
	if len(tests) < 20 {
		t.Fatalf("%d edits: the table needs at least 20", len(tests))
	}
	base := framsteget(t)
	baseRev := revision(t, "..", base)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := framsteget(t)
			tt.edit(n)
			d := Compare(base, n, DiffOptions{OldRevision: baseRev, NewRevision: revision(t, "..", n)})
			var got []string
			for _, c := range d.Changes {
				class := "editorial"
				if c.Material {
					class = "material"
				}
				got = append(got, fmt.Sprintf("%s %s %s %s", c.Path(), c.What, class, c.Rule))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if d.Reconsent != tt.reconsent {
				t.Errorf("reconsent = %v, want %v", d.Reconsent, tt.reconsent)
			}
			if d.SameVersion != (len(tt.want) > 0) {
				t.Errorf("same-version warning = %v with %d changes", d.SameVersion, len(tt.want))
			}
		})
	}
}

func setDuration(t *testing.T, n *notice.Notice, key, iso string) {
	t.Helper()
	for i := range n.Retention {
		if n.Retention[i].Key == key {
			d, err := notice.ParseDuration(iso)
			if err != nil {
				t.Fatal(err)
			}
			n.Retention[i].DurationText, n.Retention[i].Duration = iso, d
			return
		}
	}
	t.Fatalf("no retention rule %q", key)
}

// TestDiffSaysDurationsAndWordsInEveryLanguage checks the words of a
// wording change and a duration in words, in each language.
func TestDiffSaysDurationsAndWordsInEveryLanguage(t *testing.T) {
	t.Parallel()
	a, b := framsteget(t), framsteget(t)
	setDuration(t, b, "paid-invoice", "P2Y")
	p := &b.Purposes[1]
	p.Interests = notice.Text{"sv": strings.Replace(p.Interests["sv"], "att hålla dig", "att sälja dina uppgifter till våra partner och att hålla dig", 1), "en": p.Interests["en"]}
	str, err := site.LoadStrings("..", b)
	if err != nil {
		t.Fatal(err)
	}
	d := Compare(a, b, DiffOptions{Duration: str.Duration})
	if len(d.Changes) != 2 {
		t.Fatalf("changes: %v", d.Changes)
	}
	var words, dur Change
	for _, c := range d.Changes {
		if c.Words != nil {
			words = c
		} else {
			dur = c
		}
	}
	if got, want := dur.InWords, map[string][2]string{"sv": {"18 månader", "2 år"}, "en": {"18 months", "2 years"}}; !reflect.DeepEqual(got, want) {
		t.Errorf("durations in words = %v, want %v", got, want)
	}
	var ins []string
	for _, op := range words.Words["sv"] {
		if op.Op != "=" {
			ins = append(ins, op.Op+strings.TrimSpace(op.Text))
		}
	}
	if want := []string{"+sälja dina uppgifter till våra partner och att"}; !reflect.DeepEqual(ins, want) {
		t.Errorf("word diff = %q, want %q", ins, want)
	}
	if _, ok := words.Words["en"]; ok {
		t.Errorf("English text did not change but has a word diff")
	}
	text := DiffText(d, false)
	for _, w := range []string{"{+sälja dina uppgifter till våra partner och att+}", "sv: 18 månader → 2 år", "warning: what visitors read changed but the version is still " + framsteget(t).Meta.Version} {
		if !strings.Contains(text, w) {
			t.Errorf("text output lacks %q:\n%s", w, text)
		}
	}
	if strings.Contains(text, "\x1b[") {
		t.Error("uncoloured output has ANSI escapes")
	}
	if !strings.Contains(DiffText(d, true), ansiGreen+"{+sälja") {
		t.Error("coloured output does not colour the insertion green")
	}
}

// TestDiffCoversEveryTable fails when a field is added to the Notice
// without a table name for the diff's walker.
func TestDiffCoversEveryTable(t *testing.T) {
	t.Parallel()
	rt := reflect.TypeOf(notice.Notice{})
	for i := 0; i < rt.NumField(); i++ {
		f := rt.Field(i)
		if f.IsExported() && f.Name != "Dir" {
			if _, ok := tableName[f.Name]; !ok {
				t.Errorf("Notice.%s has no table name in tableName: diff would not compare it", f.Name)
			}
		}
	}
}
