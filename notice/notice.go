// Package notice holds the privacy-notice model: the TOML schema under
// content/, its loading with file:line:col diagnostics, its validation, and
// the facts derived from it (the consent revision).
package notice

import (
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Text is a human text in every configured language, written in TOML as an
// inline table: title = {sv = "...", en = "..."}.
type Text map[string]string

// In returns the text in lang.
func (t Text) In(lang string) string { return t[lang] }

// Notice is a whole privacy notice, merged from every file under content/.
type Notice struct {
	Meta              Meta
	Controller        Controller
	DPO               DPO
	Authority         Authority
	Representative    *Representative
	JointControllers  []JointController
	Sections          Sections
	Extra             []Section
	Children          Children
	DataCategories    []DataCategory
	Purposes          []Purpose
	Retention         []Retention
	Recipients        []Recipient
	Transfers         Transfers
	Rights            []Right
	Banner            Banner
	ConsentCategories []ConsentCategory
	Cookies           []Cookie
	History           []Change
	Accepted          []Acceptance

	// Dir is the site root the notice was loaded from.
	Dir string
	pos posIndex
}

// Meta is the [notice] table.
type Meta struct {
	Version         string `toml:"version"`
	EffectiveDate   Date   `toml:"effective_date"`
	Languages       []string
	DefaultLanguage string `toml:"default_language"`
	BaseURL         string `toml:"base_url"`
	Slug            Text   `toml:"slug"`
	Title           Text   `toml:"title"`
	Description     Text   `toml:"description"`
	Intro           Text   `toml:"intro"`
	// Jurisdiction is the home area of the notice: "EU" (GDPR, home = the
	// EEA; the default) or "UK" (UK GDPR, home = the United Kingdom).
	Jurisdiction string `toml:"jurisdiction"`
	// EPrivacy names the country whose ePrivacy law the notice states for
	// storing information on the visitor's device (an ISO 3166-1 code of
	// EPrivacyRules, or "EU" for the directive itself): the page cites its
	// provisions on every cookie category and consent-based purpose.
	EPrivacy string `toml:"eprivacy"`
	// Register is how the UI strings address the reader: a key of
	// Registers; "informal" takes the du form where a language has one.
	Register string `toml:"register"`
}

// BasePath is the path of base_url without its trailing slash ("/legal"
// for https://example.org/legal/), or "" when the notice is published at
// the root of its host. Every link, asset and file of the site lives under it.
func (m Meta) BasePath() string {
	u, err := url.Parse(m.BaseURL)
	if err != nil {
		return ""
	}
	return strings.TrimRight(u.EscapedPath(), "/")
}

// Date is a calendar date (TOML local date, 2026-11-24), or a month
// ("2026-11") where the notice dates a version by month only.
type Date struct {
	time.Time
	// MonthOnly is set for a date written as a month: no day is invented.
	MonthOnly bool
}

// String formats the date as ISO 8601 (2026-11-24, or 2026-11), or "" when
// unset.
func (d Date) String() string {
	switch {
	case d.IsZero():
		return ""
	case d.MonthOnly:
		return d.Format("2006-01")
	}
	return d.Format("2006-01-02")
}

// Controller is the [controller] table: who is responsible (Art. 13(1)(a)).
type Controller struct {
	Name    string `toml:"name"`
	OrgNr   string `toml:"org_nr"`
	Email   string `toml:"email"`
	Phone   string `toml:"phone"`
	Address Text   `toml:"address"`
	URL     string `toml:"url"`
	// Country is the ISO 3166-1 code where the controller is established;
	// outside the notice's jurisdiction it needs a [representative].
	Country string `toml:"country"`
	// Role is the Markdown paragraph that states the controllership.
	Role Text `toml:"role"`
}

// DPO is the [dpo] table (Art. 13(1)(b)): appointed = false says explicitly
// that none is appointed; a name, email or text gives the DPO (appointed
// may then be left out); leaving the table out says nothing.
type DPO struct {
	Appointed *bool  `toml:"appointed"`
	Name      Name   `toml:"name"`
	Email     string `toml:"email"`
	Text      Text   `toml:"text"`
}

// Authority is the supervisory authority named for complaints (Art. 13(2)(d)):
// a key of the built-in table (Authorities), whose name and address the
// notice may override, or a custom authority with no key, a name and a url.
type Authority struct {
	Key  string `toml:"key"`
	Name Text   `toml:"name"`
	URL  string `toml:"url"`
}

// Representative is the [representative] table: the controller's
// representative in the home area (Art. 27), for a controller established
// outside it.
type Representative struct {
	Name    string `toml:"name"`
	Email   string `toml:"email"`
	Phone   string `toml:"phone"`
	Address Text   `toml:"address"`
	Country string `toml:"country"`
	URL     string `toml:"url"`
}

// JointController is one [[joint_controller]] (Art. 26): a party that
// decides with the controller on some purposes, what it is responsible for,
// and the essence of the arrangement (Art. 26(2)).
type JointController struct {
	Key     string `toml:"key"`
	Name    string `toml:"name"`
	Email   string `toml:"email"`
	Address Text   `toml:"address"`
	Country string `toml:"country"`
	URL     string `toml:"url"`
	// Notice links to the party's own privacy notice.
	Notice string `toml:"notice"`
	// Purposes names the purposes decided jointly.
	Purposes []string `toml:"purposes"`
	// Responsibilities says what this party is responsible for (Art. 26(1)).
	Responsibilities Text `toml:"responsibilities"`
	// Ours says what the controller itself is responsible for in the
	// arrangement, when not the rest.
	Ours Text `toml:"our_responsibilities"`
	// Essence is the essence of the arrangement (Art. 26(2)).
	Essence Text `toml:"essence"`
	At      Pos  `toml:"-"`
}

// Sections holds the prose that frames the structured parts, one Markdown
// text per section of the page. Every field is optional.
type Sections struct {
	Data       Text `toml:"data"`       // before the data categories
	Purposes   Text `toml:"purposes"`   // before the purposes: what a legal basis is
	Retention  Text `toml:"retention"`  // before the retention rules
	Recipients Text `toml:"recipients"` // before the recipients
	Security   Text `toml:"security"`   // how data is protected
	Rights     Text `toml:"rights"`     // before the rights
	Cookies    Text `toml:"cookies"`    // before the cookie tables
	Contact    Text `toml:"contact"`    // how to exercise rights
	Marketing  Text `toml:"marketing"`  // objection to direct marketing (Art. 21(4))
}

// BuiltinSections are the ids of the page's own sections, in page order.
// An extra [[section]] is placed after one of them (or after another extra
// section) with `after`.
var BuiltinSections = []string{"data", "purposes", "retention", "recipients", "security", "rights", "children", "cookies", "contact"}

// Section is one [[section]]: a section of the notice beyond the built-in
// ones (scope, definitions, changes to the notice, ...), with its own
// title and Markdown text, and a place in the contents.
type Section struct {
	Key   string `toml:"key"`
	Title Text   `toml:"title"`
	Text  Text   `toml:"text"`
	// After is the id of the section this one follows ("rights", or the key
	// of another extra section); empty puts it at the end.
	After string `toml:"after"`
	At    Pos    `toml:"-"`
}

// Children is the [children] table: whether the service is offered to
// children, from what age, and how age is checked (Art. 8).
type Children struct {
	// MinAge is the age from which the service may be used without a
	// parent's consent; 0 says nothing.
	MinAge int `toml:"min_age"`
	// Check says how age is verified or consent of the parent obtained.
	Check Text `toml:"check"`
	Text  Text `toml:"text"`
}

// DataCategory is one [[data_category]]: what personal data is processed.
type DataCategory struct {
	Key         string    `toml:"key"`
	Title       Text      `toml:"title"`
	Description Text      `toml:"description"`
	Examples    []Example `toml:"examples"`
	// Origin is how the data comes to us: a key of DataOrigins; empty is
	// "collected" (from the person).
	Origin string `toml:"origin"`
	// Source says where data not collected from the person comes from
	// (Art. 14(2)(f)).
	Source Text `toml:"source"`
	// Special marks the whole category as a special category (Art. 9(1))
	// or criminal-offence data (Art. 10): a key of SpecialCategories.
	Special string `toml:"special"`
	At      Pos    `toml:"-"`
}

// OriginKey is the category's origin, "collected" when unset.
func (d DataCategory) OriginKey() string {
	if d.Origin == "" {
		return "collected"
	}
	return d.Origin
}

// Example is one kind of data within a category, with its DPV term. A key
// lets a retention rule cover this item alone.
type Example struct {
	Key     string `toml:"key"`
	Text    Text   `toml:"text"`
	DPV     string `toml:"dpv"`
	Special string `toml:"special"`
}

// Specials returns the special categories the data category holds, for the
// whole category or for some of its examples, in vocabulary order.
func (d DataCategory) Specials() []string {
	var out []string
	for _, t := range SpecialCategories {
		has := d.Special == t.Key
		for _, e := range d.Examples {
			has = has || e.Special == t.Key
		}
		if has {
			out = append(out, t.Key)
		}
	}
	return out
}

// Purpose is one [[purpose]]: why data is processed and on what legal basis.
type Purpose struct {
	Key         string `toml:"key"`
	Title       Text   `toml:"title"`
	Description Text   `toml:"description"`
	// Basis is one legal basis or several (basis = "contract" or
	// basis = ["contract", "legitimate-interests"]). Several bases apply
	// together, unless BasisConditions limits some of them to a case.
	Basis Bases `toml:"basis"`
	// BasisConditions limits bases to the cases they apply in ("consent
	// where cookies are set"); a basis of the purpose without a condition
	// then applies in every other case ("otherwise legitimate interests").
	BasisConditions []BasisCondition `toml:"basis_conditions"`
	// BasisName is the notice's own wording of its single basis, shown
	// instead of the standard name ("Fullgörande av ingångna avtal").
	BasisName Text `toml:"basis_name"`
	// Law names the law a legal-obligation or public-task basis rests on
	// (Art. 6(3)), where the notice names it.
	Law string `toml:"law"`
	// Interests states the legitimate interests pursued (Art. 13(1)(d));
	// required when Basis is legitimate-interests.
	Interests Text `toml:"interests"`
	// Requirement states whether providing the data is a statutory or
	// contractual requirement and what happens if it is not provided.
	Requirement    Text     `toml:"requirement"`
	DataCategories []string `toml:"data_categories"`
	Retention      []string `toml:"retention"`
	Recipients     []string `toml:"recipients"`
	// Consent names the cookie-banner category in which the visitor gives
	// consent to this purpose. Consent given elsewhere (a sign-up form, a
	// checkbox at checkout) is said with ConsentGiven and ConsentWithdrawal
	// instead, and puts nothing into the banner.
	Consent           string `toml:"consent"`
	ConsentGiven      Text   `toml:"consent_given"`
	ConsentWithdrawal Text   `toml:"consent_withdrawal"`
	// Special are the Art. 9(2) conditions (keys of Art9Conditions) under
	// which the purpose processes special categories of data.
	Special []string `toml:"special_conditions"`
	// Automated is a statement on automated decisions or profiling (Art. 22).
	Automated Text `toml:"automated"`
	// DataSubjects names whose data it is in the notice's own words
	// ("kunder", "customers"), shown with the purpose and in the record of
	// processing (Art. 30(1)(c)).
	DataSubjects Text `toml:"data_subjects"`
	// SubjectTypes are the same categories as keys of SubjectTypes, named
	// in the standard words where DataSubjects is not given, and as DPV
	// terms in the JSON-LD export.
	SubjectTypes []string `toml:"subject_types"`
	DPV          []string `toml:"dpv"`
	At           Pos      `toml:"-"`
}

// BasisCondition is one entry of a purpose's basis_conditions: the case in
// which one of its bases applies, as a key of BasisConditions (when), in
// the notice's own words (text), or both (the words then replace the
// standard phrase).
type BasisCondition struct {
	Basis string `toml:"basis"`
	When  string `toml:"when"`
	Text  Text   `toml:"text"`
}

// Condition returns the condition that limits basis b of the purpose.
func (p Purpose) Condition(b string) (BasisCondition, bool) {
	for _, c := range p.BasisConditions {
		if c.Basis == b {
			return c, true
		}
	}
	return BasisCondition{}, false
}

// Otherwise reports whether basis b applies in every case the purpose's
// conditions leave: b has no condition while another basis has one.
func (p Purpose) Otherwise(b string) bool {
	_, limited := p.Condition(b)
	return !limited && len(p.BasisConditions) > 0
}

// Retention is one [[retention]] rule. It says exactly one of: a period
// after an event (anchor + duration), an upper bound (duration with
// at_most = true, after an anchor or with none stated), until an event
// (until), or indefinitely (indefinite = true).
type Retention struct {
	Key            string   `toml:"key"`
	DataCategories []string `toml:"data_categories"`
	// Items narrows the rule to some examples of its data categories (their
	// keys): the rule covers only those items.
	Items        []string `toml:"items"`
	Anchor       string   `toml:"anchor"`
	DurationText string   `toml:"duration"`
	Duration     Duration `toml:"-"`
	AtMost       bool     `toml:"at_most"`
	Until        string   `toml:"until"`
	Indefinite   bool     `toml:"indefinite"`
	// Unless are the exceptions the notice makes to the period (keys of
	// RetentionExceptions: "unless a law requires us to keep it longer");
	// UnlessText is one in the notice's own words.
	Unless     []string `toml:"unless"`
	UnlessText Text     `toml:"unless_text"`
	// Law is the law that sets the period, where the notice names one; a
	// law that only makes the data necessary to keep (GDPR Art. 7(1), for
	// proof of consent) is a Reason, or the purpose's Law.
	Law string `toml:"law"`
	// Reason says why the data is kept this long, where the notice says it.
	Reason Text `toml:"reason"`
	// Text is the Markdown sentence that states the rule; {duration} and
	// {anchor} in it are replaced by the rule's own facts.
	Text Text `toml:"text"`
	At   Pos  `toml:"-"`
}

// Retention rule shapes, as Shape returns them.
const (
	ShapePeriod     = "period"     // a period after an event
	ShapeBound      = "bound"      // at most a period
	ShapeUntil      = "until"      // until an event
	ShapeIndefinite = "indefinite" // kept indefinitely
)

// Shape says which kind of statement the rule is.
func (r Retention) Shape() string {
	switch {
	case r.Indefinite:
		return ShapeIndefinite
	case r.Until != "":
		return ShapeUntil
	case r.AtMost:
		return ShapeBound
	}
	return ShapePeriod
}

// Recipient is one [[recipient]] (Art. 13(1)(e)-(f)): a named party (name
// set) or a category of recipients (title only), who data is disclosed to,
// which data, where, and under which transfer mechanism.
type Recipient struct {
	Key  string `toml:"key"`
	Kind string `toml:"kind"` // a key of RecipientKinds
	// Name is the legal name of a named recipient ("Stripe Payments Europe
	// Ltd"); empty for a category of recipients.
	Name string `toml:"name"`
	// Title heads the recipient on the page; it defaults to Name.
	Title Text `toml:"title"`
	Text  Text `toml:"text"`
	// Activity says in a few words what it does for us ("payment processing").
	Activity Text `toml:"activity"`
	// DataCategories names the data categories it receives.
	DataCategories []string `toml:"data_categories"`
	// Country and Countries are ISO 3166-1 alpha-2 codes (or "worldwide")
	// where the recipient processes the data; outside the home area it is
	// a third-country transfer. Give one or the other.
	Country   string   `toml:"country"`
	Countries []string `toml:"countries"`
	// Notice links to the recipient's own privacy notice (for controllers).
	Notice string `toml:"notice"`
	// Address is its postal address, where the notice states it.
	Address Text `toml:"address"`
	// DPF says the recipient is certified under the EU-US Data Privacy
	// Framework (or its UK Extension), the condition of US adequacy.
	DPF bool `toml:"dpf"`
	// DPFEntity is the certified US organisation, where it is not the
	// recipient itself ("Google LLC" for Google Ireland Limited), and
	// DPFURL its entry in the Data Privacy Framework List.
	DPFEntity string `toml:"dpf_entity"`
	DPFURL    string `toml:"dpf_url"`
	// Mechanism is the transfer mechanism (a key of Mechanisms) for its
	// countries outside the home area.
	Mechanism string `toml:"mechanism"`
	// Safeguards says how to obtain a copy of the safeguards (Art.
	// 13(1)(f)); [transfers] safeguards says it for every recipient.
	Safeguards Text `toml:"safeguards"`
	At         Pos  `toml:"-"`
}

// CountryList returns the recipient's countries (country or countries).
func (r Recipient) CountryList() []string {
	if r.Country != "" {
		return append([]string{r.Country}, r.Countries...)
	}
	return r.Countries
}

// Named reports whether the recipient is a named party, not a category.
func (r Recipient) Named() bool { return r.Name != "" }

// Transfers is the [transfers] table (Art. 13(1)(f)): none = true says
// explicitly that no data leaves the home area; safeguards says how to
// obtain a copy of the safeguards of every transfer.
type Transfers struct {
	None       *bool `toml:"none"`
	Text       Text  `toml:"text"`
	Safeguards Text  `toml:"safeguards"`
}

// Right is one [[right]]: a right of the data subject and how to use it.
type Right struct {
	Key   string `toml:"key"`
	Title Text   `toml:"title"`
	// Text replaces the standard text of the right from i18n when given.
	Text Text `toml:"text"`
	// Note is a remark shown with the right (kept for legal review).
	Note Text `toml:"note"`
	At   Pos  `toml:"-"`
}

// Banner is the [banner] table: how the consent banner behaves.
type Banner struct {
	// Cookie names the declared [[cookie]] that stores the visitor's choice.
	Cookie   string `toml:"cookie"`
	Endpoint string `toml:"endpoint"`
	// GPC honours the Global Privacy Control signal as a refusal.
	GPC *bool `toml:"gpc"`
	// ConsentMode maps Google Consent Mode v2 types to consent categories.
	ConsentMode map[string][]string `toml:"consent_mode"`
	// AdsDataRedaction and URLPassthrough set Consent Mode's
	// ads_data_redaction and url_passthrough; both need ConsentMode.
	AdsDataRedaction bool `toml:"ads_data_redaction"`
	URLPassthrough   bool `toml:"url_passthrough"`
	// Reopen adds a small control that reopens the settings to pages with
	// no element of their own that does (default true).
	Reopen *bool `toml:"reopen"`
}

// HonoursGPC reports whether the banner treats GPC as a refusal (default true).
func (b Banner) HonoursGPC() bool { return b.GPC == nil || *b.GPC }

// AddsReopen reports whether the banner adds its own reopen control to
// pages without one (default true).
func (b Banner) AddsReopen() bool { return b.Reopen == nil || *b.Reopen }

// ConsentCategory is one [[consent_category]] of the banner.
type ConsentCategory struct {
	Key         string `toml:"key"`
	Necessary   bool   `toml:"necessary"`
	Title       Text   `toml:"title"`
	Description Text   `toml:"description"`
	DPV         string `toml:"dpv"`
	// Exemption says, for the necessary category, which exemption of the
	// ePrivacy rule lets it store without consent: a key of
	// StorageExemptions; empty is "strictly-necessary".
	Exemption string `toml:"exemption"`
	At        Pos    `toml:"-"`
}

// Cookie is one [[cookie]]: a cookie or similar storage (localStorage,
// sessionStorage, IndexedDB, a tracking pixel) on the visitor's device. A
// notice that describes cookies without naming them ("Google Analytics
// sets cookies to tell visitors apart") leaves Name out: the provider and
// the purpose then identify the entry.
type Cookie struct {
	Name     string `toml:"name"`
	Pattern  bool   `toml:"pattern"` // Name ends in * and matches a prefix
	Provider string `toml:"provider"`
	Category string `toml:"category"`
	// Kind is a key of StorageKinds; empty is "cookie".
	Kind string `toml:"kind"`
	// LifetimeText is an ISO 8601 duration ("P6M", "PT30M") or "session";
	// a pixel, which stores nothing, may leave it out.
	LifetimeText string   `toml:"lifetime"`
	Lifetime     Duration `toml:"-"`
	Domain       string   `toml:"domain"`
	Path         string   `toml:"path"`
	Purpose      Text     `toml:"purpose"`
	At           Pos      `toml:"-"`
}

// Named reports whether the cookie is declared by name, not only described
// by its provider and purpose.
func (c Cookie) Named() bool { return c.Name != "" }

// Session reports whether the cookie ends with the browser session.
func (c Cookie) Session() bool { return c.LifetimeText == "session" }

// KindKey is the storage kind, "cookie" when unset.
func (c Cookie) KindKey() string {
	if c.Kind == "" {
		return "cookie"
	}
	return c.Kind
}

// ThirdParty reports whether the item is set for a domain other than the
// notice's own site (base_url) and its subdomains. An item without a
// domain belongs to the site that sets it: first party.
func (n *Notice) ThirdParty(c Cookie) bool {
	d := strings.TrimPrefix(strings.ToLower(c.Domain), ".")
	if d == "" {
		return false
	}
	u, err := url.Parse(n.Meta.BaseURL)
	if err != nil || u.Hostname() == "" {
		return true
	}
	site := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	return d != site && !strings.HasSuffix(d, "."+site) && !strings.HasSuffix(site, "."+d)
}

// Change is one [[history]] entry: an earlier or the current version.
type Change struct {
	Version string `toml:"version"`
	Date    Date   `toml:"date"`
	Summary Text   `toml:"summary"`
	At      Pos    `toml:"-"`
}

// Acceptance is one [[accept]]: a lint finding that legal has reviewed and
// accepted, with the reason. Accepted findings are listed, not hidden.
type Acceptance struct {
	Rule   string `toml:"rule"`
	Target string `toml:"target"`
	Reason string `toml:"reason"`
	By     string `toml:"by"`
	Date   Date   `toml:"date"`
	At     Pos    `toml:"-"`
}

// Pos is where an element was defined: the file (relative to the site root),
// the line and column of its table header or key, and its key path.
type Pos struct {
	File string
	Line int
	Col  int
	Path string // "purpose[2]", "controller"
}

// ConsentCategory returns the category with key k.
func (n *Notice) ConsentCategory(k string) (ConsentCategory, bool) {
	for _, c := range n.ConsentCategories {
		if c.Key == k {
			return c, true
		}
	}
	return ConsentCategory{}, false
}

// OptionalCategories returns the keys of the consent categories a visitor
// chooses: every category that is not necessary, in declaration order.
func (n *Notice) OptionalCategories() []string {
	var out []string
	for _, c := range n.ConsentCategories {
		if !c.Necessary {
			out = append(out, c.Key)
		}
	}
	return out
}

// AsksConsent reports whether the banner has anything to ask: a consent
// category that is not necessary. A notice without one ships no banner.
func (n *Notice) AsksConsent() bool { return len(n.OptionalCategories()) > 0 }

// RetentionFor returns the retention rule with key k.
func (n *Notice) RetentionFor(k string) (Retention, bool) {
	for _, r := range n.Retention {
		if r.Key == k {
			return r, true
		}
	}
	return Retention{}, false
}

// DataCategory returns the data category with key k.
func (n *Notice) DataCategory(k string) (DataCategory, bool) {
	for _, c := range n.DataCategories {
		if c.Key == k {
			return c, true
		}
	}
	return DataCategory{}, false
}

// Purpose returns the purpose with key k.
func (n *Notice) Purpose(k string) (Purpose, bool) {
	for _, p := range n.Purposes {
		if p.Key == k {
			return p, true
		}
	}
	return Purpose{}, false
}

// CookiesIn returns the cookies declared for consent category k.
func (n *Notice) CookiesIn(k string) []Cookie {
	var out []Cookie
	for _, c := range n.Cookies {
		if c.Category == k {
			out = append(out, c)
		}
	}
	return out
}

// Recipient returns the recipient with key k.
func (n *Notice) Recipient(k string) (Recipient, bool) {
	for _, r := range n.Recipients {
		if r.Key == k {
			return r, true
		}
	}
	return Recipient{}, false
}

// Right returns the declared right with key k.
func (n *Notice) Right(k string) (Right, bool) {
	for _, r := range n.Rights {
		if r.Key == k {
			return r, true
		}
	}
	return Right{}, false
}

// Where returns the position of a key path such as "purpose[2].basis" or
// "controller.email". When the key itself is not in the source (a missing
// field), it falls back to the nearest enclosing table that is.
func (n *Notice) Where(path string) Pos { return n.pos.lookup(path) }

func sortedKeys[M ~map[string]V, V any](m M) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// UnmarshalTOML reads a TOML local date (2026-11-24) or a date string.
func (d *Date) UnmarshalTOML(v any) error {
	switch x := v.(type) {
	case time.Time:
		d.Time = time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, time.UTC)
		return nil
	case string:
		if t, err := time.Parse("2006-01", x); err == nil {
			d.Time, d.MonthOnly = t, true
			return nil
		}
		t, err := time.Parse("2006-01-02", x)
		if err != nil {
			return fmt.Errorf("bad date %q: want YYYY-MM-DD, or \"YYYY-MM\" for a month", x)
		}
		d.Time = t
		return nil
	}
	return fmt.Errorf("bad date %v: want a TOML date such as 2026-11-24, or \"2026-11\" for a month", v)
}

// Bases is a purpose's legal bases (keys of LegalBases), written in TOML as
// one string or an array of strings.
type Bases []string

// Has reports whether k is one of the bases.
func (b Bases) Has(k string) bool { return slices.Contains(b, k) }

// UnmarshalTOML reads basis = "contract" or basis = ["contract", "..."].
func (b *Bases) UnmarshalTOML(v any) error {
	switch x := v.(type) {
	case string:
		*b = Bases{x}
		return nil
	case []any:
		out := make(Bases, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return fmt.Errorf("bad basis %v: want a string such as \"contract\" or an array of them", v)
			}
			out = append(out, s)
		}
		*b = out
		return nil
	}
	return fmt.Errorf("bad basis %v: want a string such as \"contract\" or an array of them", v)
}

// Summary states the rule in the schema's own terms, for exports and diffs:
// "P18M after invoice-paid", "at most P6M", "at most P3M after obtained",
// "until claim-settled", "indefinitely", with its exceptions ("P12M after
// contract-end unless legal-requirement"; "unless stated" for one in the
// notice's own words).
func (r Retention) Summary() string { return r.SummaryIn("") }

// SummaryIn is Summary with an exception in the notice's own words quoted
// in lang ("unless legal-claims, \"du ber oss spara dem längre\"").
func (r Retention) SummaryIn(lang string) string {
	var s string
	switch r.Shape() {
	case ShapeIndefinite:
		return "indefinitely"
	case ShapeUntil:
		s = "until " + r.Until
	case ShapeBound:
		s = "at most " + r.Duration.String()
	default:
		s = r.Duration.String()
	}
	if r.Anchor != "" && r.Shape() != ShapeUntil {
		s += " after " + r.Anchor
	}
	unless := slices.Clone(r.Unless)
	switch {
	case len(r.UnlessText) == 0:
	case lang != "" && r.UnlessText[lang] != "":
		unless = append(unless, strconv.Quote(r.UnlessText[lang]))
	default:
		unless = append(unless, "stated")
	}
	if len(unless) > 0 {
		s += " unless " + strings.Join(unless, ", ")
	}
	return s
}

// Covers reports whether the rule covers data category k (all of it, or
// some items of it when Items is set).
func (r Retention) Covers(k string) bool { return slices.Contains(r.DataCategories, k) }
