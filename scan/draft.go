package scan

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/integritet/integritet/notice"
)

// draftItem is an undeclared item to draft a declaration for.
type draftItem struct {
	kind, name, domain string
	thirdParty         bool
	lifetime           time.Duration
	session            bool
	setBy              string
	pass               Pass
}

// categoryDPV maps the Open Cookie Database's categories to the DPV
// purposes a consent category of the notice may carry for them; the first
// consent category with one of them gets the draft. Necessary means the
// notice's necessary category.
var categoryDPV = []struct {
	ocd       string
	necessary bool
	dpv       []string
}{
	{"Necessary", true, nil},
	{"Security", true, nil},
	{"Functional", true, nil},
	{"Analytics", false, []string{"dpv:ServiceOptimisation", "dpv:OptimisationForController", "dpv:OptimiseUserInterface", "dpv:ImproveExistingProductsAndServices"}},
	{"Marketing", false, []string{"dpv:DirectMarketing", "dpv:Marketing", "dpv:Advertising", "dpv:PersonalisedAdvertising", "dpv:TargetedAdvertising"}},
	{"Personalization", false, []string{"dpv:ServicePersonalisation", "dpv:PersonalisedBenefits"}},
}

// necessaryCategory reports whether an Open Cookie Database category is
// one that needs no consent (by the table above); unknown labels need it.
func necessaryCategory(ocd string) bool {
	for _, m := range categoryDPV {
		if strings.EqualFold(m.ocd, strings.TrimSpace(ocd)) {
			return m.necessary
		}
	}
	return false
}

// category picks the notice's consent category for an Open Cookie Database
// category: by the table above, else the first category that needs consent
// (the safe guess for something nobody has declared).
func category(n *notice.Notice, ocd string) string {
	for _, m := range categoryDPV {
		if !strings.EqualFold(m.ocd, strings.TrimSpace(ocd)) {
			continue
		}
		for _, c := range n.ConsentCategories {
			if m.necessary && c.Necessary || !m.necessary && slices.Contains(m.dpv, c.DPV) {
				return c.Key
			}
		}
	}
	for _, c := range n.ConsentCategories {
		if !c.Necessary {
			return c.Key
		}
	}
	if len(n.ConsentCategories) > 0 {
		return n.ConsentCategories[0].Key
	}
	return "TODO"
}

// draft returns a [[cookie]] declaration for an undeclared item, in TOML,
// to be appended to the cookies file: facts from the Open Cookie Database
// where it knows the name, the observed lifetime, and TODO markers that
// lint's unfilled rule reports until legal has reviewed them.
func (db *DB) draft(n *notice.Notice, it draftItem) string {
	e, known := db.lookup(it.name)
	name, pattern := it.name, false
	if known && e.Wildcard {
		name, pattern = e.Name+"*", true
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n# Drafted by integritet scan: %s %s", it.kind, comment(strconv.Quote(it.name)))
	if it.domain != "" {
		fmt.Fprintf(&b, " on %s", comment(it.domain))
	}
	fmt.Fprintf(&b, ", first seen in the %q pass", string(it.pass))
	if it.setBy != "" {
		fmt.Fprintf(&b, ", set by %s", comment(it.setBy))
	}
	b.WriteString(".\n")
	if known {
		fmt.Fprintf(&b, "# Open Cookie Database: %s, category %s, retention %q. %s.\n",
			comment(e.Platform), comment(e.Category), comment(e.Retention), ocdAttribution)
	} else {
		b.WriteString("# Not in the Open Cookie Database.\n")
	}
	life, note := lifetime(it, e, known)
	fmt.Fprintf(&b, "# Lifetime: %s.\n", note)
	b.WriteString("# TODO legal: check every field, then remove the TODO markers; lint reports them until then.\n")
	b.WriteString("[[cookie]]\n")
	fmt.Fprintf(&b, "name = %s\n", tomlString(name))
	if pattern {
		b.WriteString("pattern = true\n")
	}
	if it.kind != kindCookie {
		fmt.Fprintf(&b, "kind = %s\n", tomlString(it.kind))
	}
	provider := "TODO: who sets it"
	switch {
	case known && e.Controller != "":
		provider = e.Controller
	case known && e.Platform != "":
		provider = e.Platform
	}
	fmt.Fprintf(&b, "provider = %s\n", tomlString(provider))
	cat := ""
	if known {
		cat = e.Category
	}
	fmt.Fprintf(&b, "category = %s\n", tomlString(category(n, cat)))
	fmt.Fprintf(&b, "lifetime = %s\n", tomlString(life))
	if it.thirdParty && it.kind == kindCookie {
		fmt.Fprintf(&b, "domain = %s\n", tomlString(it.domain))
	}
	if it.kind == kindCookie {
		b.WriteString("path = \"/\"\n")
	}
	b.WriteString("purpose = {")
	langs := n.Meta.Languages
	if len(langs) == 0 {
		langs = []string{"en"}
	}
	for i, l := range langs {
		if i > 0 {
			b.WriteString(", ")
		}
		text := "TODO: say what it is for."
		if known && e.Description != "" {
			text = "TODO: review"
			if l != "en" {
				text += " and translate"
			}
			text += ": " + e.Description
		}
		fmt.Fprintf(&b, "%s = %s", bareKey(l), tomlString(text))
	}
	b.WriteString("}\n")
	return b.String()
}

// CountDrafts is the number of declarations in drafts (not commented out).
func CountDrafts(drafts string) int {
	n := 0
	for _, l := range strings.Split(drafts, "\n") {
		if l == "[[cookie]]" {
			n++
		}
	}
	return n
}

// lifetime returns the draft's lifetime and a note on where it comes from:
// the observed expiry, rounded up to whole days (or hours, or minutes,
// under a day), else the database's retention.
func lifetime(it draftItem, e entry, known bool) (string, string) {
	up := func(d, unit time.Duration) int { return max(1, int((d+unit-1)/unit)) }
	switch {
	case it.kind == kindCookie && it.session:
		return "session", "observed: a session cookie"
	case it.kind == kindCookie && it.lifetime >= 24*time.Hour:
		return fmt.Sprintf("P%dD", up(it.lifetime, 24*time.Hour)), "observed " + days(it.lifetime) + ", rounded up to whole days"
	case it.kind == kindCookie && it.lifetime >= time.Hour:
		return fmt.Sprintf("PT%dH", up(it.lifetime, time.Hour)), "observed " + days(it.lifetime) + ", rounded up to whole hours"
	case it.kind == kindCookie:
		return fmt.Sprintf("PT%dM", up(it.lifetime, time.Minute)), "observed " + days(it.lifetime) + ", rounded up to whole minutes"
	case it.kind == kindSessionStorage:
		return "session", "sessionStorage ends with the tab"
	}
	if known {
		if iso, ok := retentionISO(e.Retention); ok {
			return iso, fmt.Sprintf("%s keeps it until deleted; the database says %q", it.kind, comment(e.Retention))
		}
	}
	return "P1Y", it.kind + " keeps it until deleted, nothing says how long; P1Y is a placeholder. TODO legal: state the period"
}

var retentionRE = regexp.MustCompile(`^(\d+)\s*(year|month|week|day)s?$`)

// retentionISO reads the database's free-text retention ("2 years",
// "13 months", "session") as a period of the notice.
func retentionISO(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "session" {
		return "session", true
	}
	m := retentionRE.FindStringSubmatch(s)
	if m == nil || m[1] == "0" || len(m[1]) > 4 {
		return "", false
	}
	return "P" + m[1] + strings.ToUpper(m[2][:1]), true
}

// tomlString writes s as a TOML basic string.
func tomlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r) // invalid UTF-8 becomes U+FFFD
		}
	}
	b.WriteByte('"')
	return b.String()
}

// bareKey quotes a TOML key unless it is bare.
func bareKey(k string) string {
	for _, r := range k {
		if !(r == '-' || r == '_' || r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r))) {
			return tomlString(k)
		}
	}
	if k == "" {
		return `""`
	}
	return k
}

// comment makes s safe inside a one-line TOML comment.
func comment(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
}

// draftsOf returns the drafted declarations of the findings, each name once,
// in the order of the findings.
func draftsOf(fs []Finding) string {
	var b strings.Builder
	seen := map[string]bool{}
	for _, f := range fs {
		if f.Draft == "" {
			continue
		}
		key := draftName(f.Draft)
		if seen[key] {
			continue
		}
		seen[key] = true
		b.WriteString(f.Draft)
	}
	return b.String()
}

// draftName is the name line of a draft, which identifies it.
func draftName(d string) string {
	for _, l := range strings.Split(d, "\n") {
		if strings.HasPrefix(l, "name = ") || strings.HasPrefix(l, "# name = ") {
			return l
		}
	}
	return d
}

// cookiesFile is the content file the drafts go to: the file of the first
// declaration, else content/cookies.toml.
func cookiesFile(n *notice.Notice) string {
	for _, c := range n.Cookies {
		if c.At.File != "" {
			return c.At.File
		}
	}
	return "content/cookies.toml"
}

// WriteDrafts appends drafts to the notice's cookies file under the site
// root dir, after checking that the notice with them still loads; a draft
// that would break the notice is not written. It returns the file written.
func WriteDrafts(dir, drafts string) (string, error) {
	n, err := notice.Load(dir)
	if err != nil {
		return "", fmt.Errorf("write drafts: load the notice: %w", err)
	}
	rel := cookiesFile(n)
	files, err := filepath.Glob(filepath.Join(dir, "content", "*.toml"))
	if err != nil {
		return "", err
	}
	srcs := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", fmt.Errorf("write drafts: %w", err)
		}
		r, _ := filepath.Rel(dir, f)
		srcs[filepath.ToSlash(r)] = b
	}
	old := srcs[rel]
	updated := append(slices.Clip(old), []byte(ensureNewline(old)+drafts)...)
	srcs[rel] = updated
	if _, err := notice.Parse(srcs); err != nil {
		return "", fmt.Errorf("write drafts: the notice would not load with them, nothing written:\n%w", err)
	}
	path := filepath.Join(dir, filepath.FromSlash(rel))
	tmp, err := os.CreateTemp(filepath.Dir(path), ".scan-*.toml")
	if err != nil {
		return "", fmt.Errorf("write drafts: %w", err)
	}
	defer os.Remove(tmp.Name())
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	_, werr := tmp.Write(updated)
	if err := errors.Join(werr, tmp.Chmod(mode), tmp.Sync(), tmp.Close()); err != nil {
		return "", fmt.Errorf("write drafts: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", fmt.Errorf("write drafts: %w", err)
	}
	return rel, nil
}

func ensureNewline(b []byte) string {
	if len(b) > 0 && b[len(b)-1] != '\n' {
		return "\n"
	}
	return ""
}
