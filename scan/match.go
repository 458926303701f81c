package scan

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/integritet/integritet/notice"
)

// Rules of the findings, one table: key, severity, what it means.
var rules = []struct {
	Key      string
	Severity notice.Severity
	Doc      string
}{
	{ruleUndeclared, notice.Error, "a cookie or storage item that no declaration matches"},
	{ruleBeforeChoice, notice.Error, "something non-necessary was stored or requested before any choice: gating is broken"},
	{ruleAfterRefusal, notice.Error, "something non-necessary was stored or requested after \"Reject all\": gating is broken"},
	{ruleLifetime, notice.Error, "a cookie lives longer than its declaration says"},
	{ruleNoBanner, notice.Error, "the banner's buttons were not found, so the pass could not choose"},
	{ruleLoop, notice.Error, "a page kept navigating (by script, refresh or redirect), so nothing on it could be checked"},
	{ruleStale, notice.Warning, "a declaration that no pass saw"},
	{ruleUnknownHost, notice.Warning, "a third-party host that no recipient or declaration names"},
	{ruleDialog, notice.Warning, "a page opened an alert, confirm, prompt or beforeunload dialog; the scan dismissed it"},
}

// Rule keys.
const (
	ruleUndeclared   = "undeclared"
	ruleBeforeChoice = "before-choice"
	ruleAfterRefusal = "after-refusal"
	ruleLifetime     = "lifetime"
	ruleNoBanner     = "no-banner"
	ruleLoop         = "navigation-loop"
	ruleStale        = "stale"
	ruleUnknownHost  = "unknown-host"
	ruleDialog       = "dialog"
)

func severity(rule string) notice.Severity {
	for _, r := range rules {
		if r.Key == rule {
			return r.Severity
		}
	}
	panic("scan: unknown rule " + rule)
}

// Finding is one difference between what the site did and what the notice
// says.
type Finding struct {
	Rule     string          `json:"rule"`
	Severity notice.Severity `json:"severity"`
	Message  string          `json:"message"`
	// Kind and Name say what it is about: a storage kind and its name, or
	// "host" and the host.
	Kind string `json:"kind"`
	Name string `json:"name"`
	// At is the declaration that matched (for an undeclared item: none).
	At *notice.Pos `json:"at,omitempty"`
	// Passes saw it; Page is the first page it was seen on; Evidence says
	// what was seen (domain, expiry, who set it, URLs).
	Passes   []Pass `json:"passes"`
	Page     string `json:"page,omitempty"`
	Evidence string `json:"evidence,omitempty"`
	// Draft is the proposed declaration for an undeclared item (TOML).
	Draft string `json:"draft,omitempty"`
}

// Where is the finding's position: the declaration as file:line:col, or
// else the page where it was seen.
func (f Finding) Where() string {
	if f.At != nil && f.At.File != "" {
		return fmt.Sprintf("%s:%d:%d", f.At.File, f.At.Line, f.At.Col)
	}
	return f.Page
}

func (f Finding) String() string {
	s := f.Where()
	if s != "" {
		s += ": "
	}
	s += string(f.Severity) + ": " + f.Message
	if f.Evidence != "" {
		s += " (" + f.Evidence + ")"
	}
	return s + " [" + f.Rule + "]"
}

// decl is the part of a [[cookie]] declaration that the matcher reads.
type decl struct {
	i         int
	kind      string // one of the Kind constants
	domain    string // "" for the site's own host; no leading dot
	name      string // without the * of a pattern
	pattern   bool
	necessary bool
	c         notice.Cookie
}

// declOf reads a declaration's storage kind and domain: the one place that
// knows how the notice says them. The kind is the notice's (cookie when
// unset), the domain has no leading dot, "" meaning the site's own.
func declOf(c notice.Cookie) (kind, domain string) {
	return c.KindKey(), strings.TrimPrefix(strings.ToLower(c.Domain), ".")
}

func decls(n *notice.Notice) []decl {
	out := make([]decl, len(n.Cookies))
	for i, c := range n.Cookies {
		kind, domain := declOf(c)
		cat, _ := n.ConsentCategory(c.Category)
		out[i] = decl{i: i, kind: kind, domain: domain, name: strings.TrimSuffix(c.Name, "*"), pattern: c.Pattern, necessary: cat.Necessary, c: c}
	}
	return out
}

// matches reports whether the declaration covers an item of kind with name,
// stored for host (a cookie's domain, a storage item's origin host, a
// request's host); siteHost is the scanned site's host.
//
// A declaration without a name (cookies the notice describes by their
// provider) covers every item of its kind stored for its declared domain;
// without a domain it covers nothing, because the site's own items are not
// a provider's. Named declarations are tried first (match).
func (d decl) matches(kind, name, host, siteHost string) bool {
	if d.kind != kind {
		return false
	}
	host = strings.TrimPrefix(strings.ToLower(host), ".")
	switch {
	case d.c.Name == "":
		return d.domain != "" && within(host, d.domain)
	case d.pattern && !strings.HasPrefix(name, d.name) || !d.pattern && name != d.name:
		return false
	case d.domain == "":
		return firstParty(host, siteHost)
	}
	return within(host, d.domain)
}

// match returns the declaration that covers an item, named declarations
// before those that name only a provider, or nil.
func match(ds []decl, kind, name, host, siteHost string) *decl {
	for _, named := range []bool{true, false} {
		for i := range ds {
			if (ds[i].c.Name != "") == named && ds[i].matches(kind, name, host, siteHost) {
				return &ds[i]
			}
		}
	}
	return nil
}

// within reports whether host is domain or one of its subdomains.
func within(host, domain string) bool {
	return host == domain || strings.HasSuffix(host, "."+domain)
}

// firstParty reports whether a cookie domain or host belongs to the site:
// the site's host, a parent domain of it, or a subdomain of it. (Without the
// public suffix list, sibling subdomains count as third parties.)
func firstParty(host, siteHost string) bool {
	host = strings.TrimPrefix(strings.ToLower(host), ".")
	return within(siteHost, host) || within(host, siteHost)
}

// urlHost matches the host of an http(s) URL in a recipient's text.
var urlHost = regexp.MustCompile(`(?i)\bhttps?://([a-z0-9.-]+|\[[0-9a-f:]+\])`)

// recipientHosts returns the hosts the notice names as recipients of data.
// A [[recipient]] has no host field, so a host counts when it is under the
// domain of the recipient's own notice (notice = "https://www.hotjar.com/
// privacy" covers script.hotjar.com), when a recipient's title or text
// links to it, or when a declaration's domain covers it. Read the
// recipients' own hosts here if the model gains them.
func recipientHosts(n *notice.Notice) []string {
	var out []string
	for _, r := range n.Recipients {
		if u, err := url.Parse(r.Notice); err == nil && u.Hostname() != "" {
			out = append(out, strings.TrimPrefix(strings.ToLower(u.Hostname()), "www."))
		}
		for _, t := range []notice.Text{r.Title, r.Text} {
			for _, l := range notice.Text(t) {
				for _, m := range urlHost.FindAllStringSubmatch(l, -1) {
					out = append(out, strings.ToLower(m[1]))
				}
			}
		}
	}
	for _, d := range decls(n) {
		if d.domain != "" {
			out = append(out, d.domain)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// lifetimeSlack absorbs the rounding between a cookie's Max-Age in seconds
// and a declared calendar period.
const lifetimeSlack = 24 * time.Hour

// Check compares the evidence with the notice and returns the findings,
// undeclared items with drafted declarations from db.
func Check(n *notice.Notice, r *Result, db *DB) []Finding {
	site, _ := url.Parse(r.Site)
	siteHost := strings.ToLower(site.Hostname())
	ds := decls(n)
	seen := make([]bool, len(ds))
	known := recipientHosts(n)
	// The banner's own consent endpoint records the choice, which the
	// controller must do: contacting it is necessary, wherever it runs.
	consentHost := ""
	if u, err := url.Parse(n.Banner.Endpoint); err == nil && u.IsAbs() {
		consentHost = strings.ToLower(u.Hostname())
		known = append(known, consentHost)
	}
	var out []Finding
	undeclared := map[string]*Finding{}
	var order []string
	add := func(f Finding) {
		f.Severity = severity(f.Rule)
		out = append(out, f)
	}
	// item handles one stored item of a pass; gate is the element the
	// banner gates that it came through, if any.
	item := func(p Pass, kind, name, host, page, evidence string, gate *Gate, draft func() string, lifetime func(decl) string) {
		hit := match(ds, kind, name, host, siteHost)
		// Stored before a choice or after a refusal by a script the banner
		// holds back for a category that needs consent: that script ran,
		// so gating is broken, whatever the item is and whoever knows it.
		gated := ""
		if gate != nil && p != Accept && !necessaryGate(n, gate) {
			gated = fmt.Sprintf(" by a script the banner gates for %q (%s)", gate.Categories, gate.Script)
		}
		if hit == nil {
			key := kind + "\x00" + name + "\x00" + host
			f, ok := undeclared[key]
			if !ok {
				f = &Finding{Rule: ruleUndeclared, Kind: kind, Name: name, Page: page, Evidence: evidence, Draft: draft(),
					Message: fmt.Sprintf("%s %q (%s) is not declared", kind, name, host)}
				undeclared[key] = f
				order = append(order, key)
			}
			if !slices.Contains(f.Passes, p) {
				f.Passes = append(f.Passes, p)
			}
			// Nothing declares it, but the database knows it as something
			// that needs consent: stored before a choice, that is gating
			// broken too.
			rule, when := gating(p)
			if e, ok := db.lookup(name); ok && p != Accept && !necessaryCategory(e.Category) {
				add(Finding{Rule: rule, Kind: kind, Name: name, Passes: []Pass{p}, Page: page, Evidence: evidence,
					Message: fmt.Sprintf("%s %q (%s, category %s in the Open Cookie Database) was stored %s%s", kind, name, e.Platform, e.Category, when, gated)})
			} else if gated != "" {
				add(Finding{Rule: rule, Kind: kind, Name: name, Passes: []Pass{p}, Page: page, Evidence: evidence,
					Message: fmt.Sprintf("%s %q was stored %s%s", kind, name, when, gated)})
			}
			return
		}
		seen[hit.i] = true
		at := hit.c.At
		if p != Accept && (!hit.necessary || gated != "") {
			rule, when := gating(p)
			add(Finding{Rule: rule, Kind: kind, Name: name, At: &at, Passes: []Pass{p}, Page: page, Evidence: evidence,
				Message: fmt.Sprintf("%s %q (category %q) was stored %s%s", kind, name, hit.c.Category, when, gated)})
		}
		if msg := lifetime(*hit); msg != "" {
			add(Finding{Rule: ruleLifetime, Kind: kind, Name: name, At: &at, Passes: []Pass{p}, Page: page, Evidence: evidence, Message: msg})
		}
	}
	hosts := map[string]*Finding{}
	var hostOrder []string
	// Pages and dialogs are reported once, with the passes that saw them.
	pages := map[string]*Finding{}
	var pageOrder []string
	once := func(key string, p Pass, f Finding) {
		if g, ok := pages[key]; ok {
			if !slices.Contains(g.Passes, p) {
				g.Passes = append(g.Passes, p)
			}
			return
		}
		f.Passes = []Pass{p}
		pages[key] = &f
		pageOrder = append(pageOrder, key)
	}
	for _, ev := range r.Passes {
		p := ev.Pass
		if p != Before && ev.Clicked == "" {
			add(Finding{Rule: ruleNoBanner, Kind: "page", Name: r.Start, Page: r.Start, Passes: []Pass{p}, Evidence: noBannerCause(ev),
				Message: fmt.Sprintf("pass %q found no banner to click on %s", p, plural(len(ev.Pages), "page"))})
		}
		for _, l := range ev.Loops {
			once(ruleLoop+"\x00"+l.Page, p, Finding{Rule: ruleLoop, Kind: "page", Name: l.Page, Page: l.Page, Evidence: loopEvidence(l),
				Message: fmt.Sprintf("the page kept navigating (%s without settling); the scan stopped it, so nothing on it was checked", plural(l.Navigations, "document"))})
		}
		for _, d := range ev.Dialogs {
			what := "dismissed it"
			if d.Type == string(dialogBeforeUnload) {
				what = "left the page"
			}
			evidence := ""
			if d.Frame != "" {
				evidence = "opened by " + d.Frame
			}
			once(ruleDialog+"\x00"+d.Page+"\x00"+d.Type+"\x00"+d.Message, p, Finding{Rule: ruleDialog, Kind: "dialog", Name: d.Type, Page: d.Page, Evidence: evidence,
				Message: fmt.Sprintf("the page opened %s(%s); the scan %s", d.Type, quoteShort(d.Message), what)})
		}
		for _, c := range ev.Cookies {
			c := c
			item(p, kindCookie, c.Name, c.Domain, c.Page, cookieEvidence(c), c.Gate,
				func() string {
					return db.draft(n, draftItem{kind: kindCookie, name: c.Name, domain: c.Domain, thirdParty: c.ThirdParty, lifetime: c.Lifetime(), session: c.Expires.IsZero(), setBy: c.SetBy, pass: p})
				},
				func(d decl) string { return lifetimeExceeds(d.c, c, r.Time) })
		}
		for _, s := range ev.Storage {
			s := s
			u, _ := url.Parse(s.Origin)
			item(p, s.Kind, s.Name, u.Hostname(), s.Page, storageEvidence(s), s.Gate,
				func() string {
					return db.draft(n, draftItem{kind: s.Kind, name: s.Name, domain: u.Hostname(), thirdParty: !firstParty(u.Hostname(), siteHost), session: s.Kind == kindSessionStorage, setBy: s.SetBy, pass: p})
				},
				func(decl) string { return "" })
		}
		for _, h := range ev.Hosts {
			// A pixel declaration is matched by the requests to its domain.
			var px *decl
			for i := range ds {
				if ds[i].kind == kindPixel && ds[i].domain != "" && within(h.Host, ds[i].domain) {
					px = &ds[i]
					seen[px.i] = true
					break
				}
			}
			if p != Accept && h.Host != consentHost && !necessaryHost(ds, h.Host) {
				rule, when := gating(p)
				f := Finding{Rule: rule, Kind: "host", Name: h.Host, Passes: []Pass{p}, Page: h.Page, Evidence: hostEvidence(h),
					Message: fmt.Sprintf("the page contacted %s %s, and no necessary declaration covers it", h.Host, when)}
				if px != nil {
					at := px.c.At
					f.At = &at
					f.Message = fmt.Sprintf("pixel %q (category %q) contacted %s %s", px.c.Name, px.c.Category, h.Host, when)
				}
				add(f)
			}
			if slices.ContainsFunc(known, func(k string) bool { return within(h.Host, k) }) {
				continue
			}
			f, ok := hosts[h.Host]
			if !ok {
				f = &Finding{Rule: ruleUnknownHost, Kind: "host", Name: h.Host, Page: h.Page, Evidence: hostEvidence(h),
					Message: fmt.Sprintf("third-party host %s is not among the recipients", h.Host)}
				hosts[h.Host] = f
				hostOrder = append(hostOrder, h.Host)
			}
			f.Passes = append(f.Passes, p)
		}
	}
	for _, k := range order {
		f := *undeclared[k]
		f.Severity = severity(f.Rule)
		out = append(out, f)
	}
	for _, k := range hostOrder {
		f := *hosts[k]
		f.Severity = severity(f.Rule)
		out = append(out, f)
	}
	for _, k := range pageOrder {
		f := *pages[k]
		f.Severity = severity(f.Rule)
		out = append(out, f)
	}
	for i, d := range ds {
		if !seen[i] {
			at := d.c.At
			msg := fmt.Sprintf("%s %q is declared, but no pass saw it", d.kind, d.c.Name)
			switch {
			case d.c.Name == "" && d.domain != "":
				msg = fmt.Sprintf("the %s declaration of %q on %s (without a name) matched nothing in any pass", d.kind, d.c.Provider, d.domain)
			case d.c.Name == "":
				msg = fmt.Sprintf("the %s declaration of %q has neither a name nor a domain, so a scan cannot tell what it covers: name the items, or give their domain", d.kind, d.c.Provider)
			}
			add(Finding{Rule: ruleStale, Kind: d.kind, Name: d.c.Name, At: &at, Message: msg})
		}
	}
	sortFindings(out)
	return out
}

// gating is the rule and the words for something non-necessary seen in
// pass p (before or reject).
func gating(p Pass) (rule, when string) {
	if p == Reject {
		return ruleAfterRefusal, "after \"Reject all\""
	}
	return ruleBeforeChoice, "before any choice"
}

// necessaryGate reports whether every category a gated element waits for
// is necessary (or unknown to the notice, which the lint reports).
func necessaryGate(n *notice.Notice, g *Gate) bool {
	for _, k := range strings.Fields(g.Categories) {
		if c, ok := n.ConsentCategory(k); ok && !c.Necessary {
			return false
		}
	}
	return true
}

// noBannerCause says why a pass found no banner when its pages failed:
// they kept navigating, or did not load.
func noBannerCause(ev Evidence) string {
	var b []string
	for _, l := range ev.Loops {
		b = append(b, l.Page+" kept navigating")
	}
	b = append(b, ev.Problems...)
	return strings.Join(b, "; ")
}

func loopEvidence(l Loop) string {
	s := strings.Join(l.URLs, " → ")
	if l.Navigations > len(l.URLs) {
		s += " → …"
	}
	return s
}

// dialogBeforeUnload is the dialog type that asks to stay on the page.
const dialogBeforeUnload = "beforeunload"

// quoteShort quotes a dialog's text on one line, cut at 120 characters.
func quoteShort(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 120 {
		s = string(r[:120]) + "…"
	}
	return strconv.Quote(s)
}

// necessaryHost reports whether a necessary declaration covers host: a
// request there needs no consent.
func necessaryHost(ds []decl, host string) bool {
	for _, d := range ds {
		if d.necessary && d.domain != "" && within(host, d.domain) {
			return true
		}
	}
	return false
}

// lifetimeExceeds says how a cookie outlives its declaration, or "".
func lifetimeExceeds(d notice.Cookie, c Cookie, now time.Time) string {
	if c.Expires.IsZero() {
		return ""
	}
	if d.Session() {
		return fmt.Sprintf("cookie %q is declared for the session but lives %s", c.Name, days(c.Lifetime()))
	}
	if d.Lifetime.IsZero() {
		return ""
	}
	if limit := d.Lifetime.AddTo(c.Seen).Add(lifetimeSlack); c.Expires.After(limit) {
		return fmt.Sprintf("cookie %q lives %s, longer than the declared %s", c.Name, days(c.Lifetime()), d.LifetimeText)
	}
	return ""
}

func days(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%d days", int(d.Hours()/24+0.5))
	case d >= 2*time.Hour:
		return fmt.Sprintf("%d hours", int(d.Hours()+0.5))
	default:
		return fmt.Sprintf("%d minutes", int(d.Minutes()+0.5))
	}
}

func cookieEvidence(c Cookie) string {
	var b []string
	b = append(b, "domain "+c.Domain, "path "+c.Path)
	if c.Expires.IsZero() {
		b = append(b, "session")
	} else {
		b = append(b, "expires "+c.Expires.UTC().Format(time.RFC3339)+" ("+days(c.Lifetime())+")")
	}
	if c.HTTPOnly {
		b = append(b, "HttpOnly")
	}
	if c.Secure {
		b = append(b, "Secure")
	}
	if c.SameSite != "" {
		b = append(b, "SameSite="+c.SameSite)
	}
	if c.ThirdParty {
		b = append(b, "third party")
	} else {
		b = append(b, "first party")
	}
	if c.SetBy != "" {
		b = append(b, "set by "+c.SetBy)
	}
	if c.Transient {
		b = append(b, "written, then deleted before the pass looked")
	}
	return strings.Join(b, ", ")
}

func storageEvidence(s Storage) string {
	e := "origin " + s.Origin
	if s.SetBy != "" {
		e += ", set by " + s.SetBy
	}
	if s.Transient {
		e += ", written, then deleted before the pass looked"
	}
	return e
}

func hostEvidence(h Host) string {
	e := fmt.Sprintf("%s, first %s", plural(h.Count, "request"), strings.Join(h.URLs[:min(1, len(h.URLs))], ""))
	if slices.Contains(h.Types, "WebSocket") {
		e += ", a WebSocket"
	}
	if len(h.ServiceWorkers) > 0 {
		e += ", from service worker " + strings.Join(h.ServiceWorkers, ", ")
	}
	return e
}

// sortFindings orders by declaration position, then by rule, kind and name:
// deterministic, like a compiler's list.
func sortFindings(fs []Finding) {
	pos := func(f Finding) notice.Pos {
		if f.At != nil {
			return *f.At
		}
		return notice.Pos{File: "\xff"}
	}
	slices.SortStableFunc(fs, func(a, b Finding) int {
		pa, pb := pos(a), pos(b)
		if c := strings.Compare(pa.File, pb.File); c != 0 {
			return c
		}
		if pa.Line != pb.Line {
			return pa.Line - pb.Line
		}
		if c := strings.Compare(ruleIndex(a.Rule), ruleIndex(b.Rule)); c != 0 {
			return c
		}
		if c := strings.Compare(a.Kind, b.Kind); c != 0 {
			return c
		}
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return slices.Compare(passIndexes(a.Passes), passIndexes(b.Passes))
	})
}

func ruleIndex(rule string) string {
	for i, r := range rules {
		if r.Key == rule {
			return string(rune('a' + i))
		}
	}
	return "z"
}

func passIndexes(ps []Pass) []int {
	out := make([]int, len(ps))
	for i, p := range ps {
		out[i] = slices.Index(passes, p)
	}
	return out
}

// summary counts errors and warnings.
func summary(fs []Finding) (errs, warns int) {
	for _, f := range fs {
		if f.Severity == notice.Error {
			errs++
		} else {
			warns++
		}
	}
	return errs, warns
}
