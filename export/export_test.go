package export

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/integritet/integritet/notice"
	"github.com/integritet/integritet/site"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func load(t *testing.T) *notice.Notice {
	t.Helper()
	n, err := notice.Load("testdata/site")
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAllMatchesGoldens compares every export of testdata/site with
// testdata/golden (refresh with go test -update).
func TestAllMatchesGoldens(t *testing.T) {
	t.Parallel()
	files, err := All(load(t), revision(t, "testdata/site", load(t)))
	if err != nil {
		t.Fatal(err)
	}
	for p, got := range files {
		golden := filepath.Join("testdata", "golden", filepath.FromSlash(p))
		if *update {
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Errorf("%s: %v (run go test -update)", p, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s:\n%s", p, golden, got)
		}
	}
	again, _ := All(load(t), revision(t, "testdata/site", load(t)))
	for p := range files {
		if !bytes.Equal(files[p], again[p]) {
			t.Errorf("%s is not deterministic", p)
		}
	}
}

func TestPublicPathsAndGPC(t *testing.T) {
	t.Parallel()
	n := load(t)
	pub, err := Public(n, revision(t, "testdata/site", n))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"exports/retention.json", "exports/retention.csv", "exports/cookies.json", "exports/consent-categories.json", "exports/notice.jsonld", ".well-known/gpc.json"} {
		if _, ok := pub[p]; !ok {
			t.Errorf("Public lacks %s", p)
		}
	}
	for p := range pub {
		if strings.Contains(p, "record-of-processing") {
			t.Errorf("the Art. 30 record is published: %s", p)
		}
	}
	off := false
	n.Banner.GPC = &off
	pub, _ = Public(n, revision(t, "testdata/site", n))
	if _, ok := pub[".well-known/gpc.json"]; ok {
		t.Error("gpc.json written although GPC is not honoured")
	}
	// A notice that never says it honours GPC does not say so in gpc.json.
	n.Banner.GPC = nil
	pub, _ = Public(n, revision(t, "testdata/site", n))
	if _, ok := pub[".well-known/gpc.json"]; ok {
		t.Error("gpc.json written although the notice never said gpc = true")
	}
	// Nor does one with no banner to honour it with.
	on := true
	n.Banner.GPC = &on
	var necessary []notice.ConsentCategory
	for _, c := range n.ConsentCategories {
		if c.Necessary {
			necessary = append(necessary, c)
		}
	}
	n.ConsentCategories = necessary
	pub, _ = Public(n, revision(t, "testdata/site", n))
	if _, ok := pub[".well-known/gpc.json"]; ok {
		t.Error("gpc.json written for a notice without a banner")
	}
}

// TestJSONLDUsesDPV parses the document and checks the IRIs of the design
// note: prefixes, legal bases, rights, the authority.
func TestJSONLDUsesDPV(t *testing.T) {
	t.Parallel()
	n := load(t)
	for _, lang := range []string{"", "sv", "en"} {
		b, err := JSONLD(n, lang)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("JSONLD(%q) is not JSON: %v", lang, err)
		}
		ctx, _ := doc["@context"].(map[string]any)
		for k, v := range map[string]string{"dpv": "https://w3id.org/dpv#", "eu-gdpr": "https://w3id.org/dpv/legal/eu/gdpr#", "pd": "https://w3id.org/dpv/pd#", "legal-se": "https://w3id.org/dpv/legal/se#"} {
			if ctx[k] != v {
				t.Errorf("@context %s = %v, want %s", k, ctx[k], v)
			}
		}
		if doc["@type"] != "dpv:PrivacyNotice" {
			t.Errorf("@type = %v", doc["@type"])
		}
		// Every compact IRI uses a prefix of the context.
		var ids []string
		var walk func(v any)
		walk = func(v any) {
			switch x := v.(type) {
			case map[string]any:
				for k, e := range x {
					if k == "@context" {
						continue
					}
					if s, ok := e.(string); ok && (k == "@id" || k == "@type") {
						ids = append(ids, s)
					}
					if strings.Contains(k, ":") {
						ids = append(ids, k)
					}
					walk(e)
				}
			case []any:
				for _, e := range x {
					walk(e)
				}
			}
		}
		walk(doc)
		for _, id := range ids {
			pre, _, ok := strings.Cut(id, ":")
			if !strings.HasPrefix(id, "/") && (!ok || (ctx[pre] == nil && pre != "https" && pre != "mailto")) {
				t.Errorf("IRI %q has no known prefix", id)
			}
		}
		s := string(b)
		for _, want := range []string{`"eu-gdpr:A6-1-b"`, `"eu-gdpr:A6-1-f"`, `"eu-gdpr:A6-1-c"`, `"eu-gdpr:A6-1-a"`, `"eu-gdpr:A15"`, `"eu-gdpr:A20"`, `"eu-gdpr:A7-3"`, `"eu-gdpr:A77"`, `"legal-se:DPA-SE"`, `"dpv:StorageDuration"`, `"P18M"`, `"pd:CreditWorthiness"`} {
			if !strings.Contains(s, want) {
				t.Errorf("JSONLD(%q) lacks %s", lang, want)
			}
		}
		if lang == "en" && strings.Contains(s, `"sv"`) {
			t.Error("JSONLD(en) carries Swedish texts")
		}
	}
}

// revision is the consent revision of n as the build computes it, with the
// banner texts of the site rooted at dir.
func revision(t *testing.T, dir string, n *notice.Notice) string {
	t.Helper()
	r, err := site.Revision(dir, n)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
