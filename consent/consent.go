package consent

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"
)

// Record is one decision of one visitor, as stored. It holds no IP
// address, user agent or URL: only what is needed to demonstrate consent
// (GDPR Art. 7(1)) against the exact revision of the notice the visitor saw.
type Record struct {
	Seq      int64           // position in the hash chain, 1-based, contiguous
	ID       string          // 32 lowercase hex, random
	Subject  string          // 32 lowercase hex issued by the endpoint, kept in the visitor's cookie
	Time     time.Time       // server clock, UTC, millisecond precision
	Version  string          // the notice's version string
	Revision string          // 16 lowercase hex: hash of the consent-relevant content
	Language string          // language of the notice shown
	Method   string          // accept-all, reject-all, custom, withdraw or gpc
	Choices  map[string]bool // every non-necessary category: given (true) or refused (false)
	GPC      bool            // the request carried Sec-GPC: 1
	PrevHash string          // 64 lowercase hex: Hash of the record before (or of the chain base)
	Hash     string          // 64 lowercase hex: SHA-256 over PrevHash and Canonical(r)
	// Digest is the digest of everything the visitor read ("sha256:" and
	// 64 lowercase hex; the notice's release names it), empty for records
	// written before it was kept.
	Digest string
	// Decision is the id the visitor's browser made for this decision
	// (32 lowercase hex, 128 random bits; the "id" of the POST), so that
	// the decision sent again is answered with this record instead of
	// being stored twice. A store keeps at most one record per decision.
	// Empty for records of clients that send none and for records written
	// before it was kept.
	Decision string

	// Mismatch is set by a store when a stored column that the hash does
	// not cover but a route relies on (such as an index key derived from
	// Subject) disagrees with the record; Verify names such a record as
	// not in the chain, and Subject never returns it. Empty otherwise.
	Mismatch string
}

// methods lists the accepted values of Record.Method.
var methods = []string{"accept-all", "reject-all", "custom", "withdraw", "gpc"}

// Methods returns the accepted values of Record.Method, in the order
// reports list them.
func Methods() []string { return slices.Clone(methods) }

// ChainState describes the ends of the hash chain as the store's chain row
// states them. Base is where the stored records begin: Seq 0 and
// GenesisHash until a purge deletes a prefix, then the sequence number and
// hash of the last deleted record. Head is the last record appended (equal
// to Base when no record is stored). Verify does not take them on trust:
// it checks them against the rows and against anchors kept elsewhere.
type ChainState struct {
	BaseSeq  int64
	BaseHash string
	HeadSeq  int64
	HeadHash string
}

// Purged says what a purge removed.
type Purged struct {
	Records  int64     // rows deleted
	FirstSeq int64     // lowest seq deleted (0 when none)
	LastSeq  int64     // the new base
	Oldest   time.Time // time of the oldest deleted record
	Newest   time.Time // time of the newest deleted record
}

// Store keeps consent records in one linear hash chain. Implementations:
// consent/sqlite and consent/postgres; consent/storetest checks both.
type Store interface {
	// Append assigns r its Seq, PrevHash and Hash, commits it durably and
	// returns the stored record. It returns only after the commit; appends
	// that arrive together may share one transaction (group commit).
	//
	// When r.Decision is set and a record with that decision is stored
	// already (or comes earlier in the same transaction, or is committed
	// by another process or replica first), Append stores nothing and
	// returns that record, whatever its content: its ID is then not r.ID.
	// Concurrent appends of one decision store it once.
	Append(ctx context.Context, r Record) (Record, error)
	// Decision returns the stored record whose Decision is id; false when
	// there is none.
	Decision(ctx context.Context, id string) (Record, bool, error)
	// Subject returns at most limit records of one subject with seq
	// greater than after, oldest first.
	Subject(ctx context.Context, subject string, after int64, limit int) ([]Record, error)
	// Scan calls fn for every stored row in seq order, whether or not it
	// belongs to the chain (rows below the base or past the head too). An
	// error from fn stops the scan and is returned.
	Scan(ctx context.Context, fn func(Record) error) error
	// Chain reports the chain's base and head as stored.
	Chain(ctx context.Context) (ChainState, error)
	// PurgeThrough deletes every stored row with seq <= seq and moves the
	// chain base to (seq, hash), in one transaction, provided the record
	// at seq has that hash and every record deleted is older than cutoff;
	// otherwise it deletes nothing and says why. The deleted rows must not
	// stay readable in the store's files.
	PurgeThrough(ctx context.Context, seq int64, hash string, cutoff time.Time) (Purged, error)
	// Ready commits a write transaction that changes nothing, to show
	// that the store can commit now.
	Ready(ctx context.Context) error
	// Close commits what is queued and releases the store.
	Close() error
}

// Reader is what an audit (Verify, Export, a report) reads of a store: its
// rows and its chain row. A Store is one; consent/store.OpenReadOnly opens
// one that never writes.
type Reader interface {
	// Scan calls fn for every stored row in seq order, as Store.Scan.
	Scan(ctx context.Context, fn func(Record) error) error
	// Chain reports the chain's base and head as stored.
	Chain(ctx context.Context) (ChainState, error)
	// Close releases the store.
	Close() error
}

// NotAStoreError is the error of opening, for reading, a file or database
// that is not a consent store: a command that writes refuses it too,
// instead of creating a store's tables in it.
type NotAStoreError struct {
	What string // the store as named: "sqlite: /srv/consent.db"
	Why  string // what it lacks
}

func (e *NotAStoreError) Error() string { return e.What + " is not a consent store: " + e.Why }

// SubjectIssuer is implemented by a store that derives subject ids itself
// (consent/sqlite does, so that its index stays in time order). Without
// it, the endpoint issues 128 random bits.
type SubjectIssuer interface {
	// IssueSubject returns a new subject id for a visitor's first decision
	// at t: 32 lowercase hex digits that look random to anyone without
	// the store's secrets. random holds 16 random bytes.
	IssueSubject(t time.Time, random []byte) string
	// Issued reports whether subject is an id IssueSubject could have
	// returned: a made-up id passes with a probability of 2^-32.
	Issued(subject string) bool
}

// ErrClosed is returned by Append after Close.
var ErrClosed = errors.New("consent store closed")

// Policy is what the endpoint needs to know about the notice. Build it from
// the notice (cmd/integritet does) so that categories and revision never
// come from a second, hand-kept list.
type Policy struct {
	Revision string // current revision, 16 lowercase hex
	// Digest is the digest of what the current version's visitors read
	// ("sha256:…", release.Digest); each record carries it.
	Digest  string
	Version string // current notice version, e.g. "2026.1"
	// Earlier are the published versions before the current one whose
	// pages may still send decisions that are valid now: those with the
	// current revision, and those whose revision a release kept valid as
	// editorial (notice.Release.Accepts). A decision names the version and
	// revision of the page it was made on; one whose pair is the current
	// one or one of these is taken, and its record carries the digest of
	// that version. Any other pair is refused with 409.
	Earlier    []Release
	Categories []string // keys of the non-necessary consent categories
	Languages  []string // languages the notice is published in
	Origins    []string // allowed Origin values, e.g. "https://www.example.se"
	// Retention is how long consent records are kept, in the notice's
	// own notation (e.g. "P3Y"); empty when the notice declares none.
	Retention string
	// Cutoff returns the time before which records have outlived the
	// retention period, counted back from now on the calendar. Nil when
	// the notice declares no retention for consent records.
	Cutoff func(now time.Time) time.Time
}

// Release is one published version of the notice as the endpoint needs
// it: what a page of it sends (version, revision) and the digest of what
// its visitors read.
type Release struct {
	Version  string
	Revision string // 16 lowercase hex
	Digest   string // "sha256:" and 64 lowercase hex; empty when unknown
}

var (
	hex16 = regexp.MustCompile(`^[0-9a-f]{16}$`)
	hex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)
	hex64 = regexp.MustCompile(`^[0-9a-f]{64}$`)
	// digestRE is a notice digest as release.Digest writes it.
	digestRE = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)
	// categoryKey is deliberately narrow: keys end up in field paths and
	// export columns.
	categoryKey = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,63}$`)
)

// Validate reports every problem with p at once.
func (p Policy) Validate() error {
	var errs []error
	if !hex16.MatchString(p.Revision) {
		errs = append(errs, fmt.Errorf("policy revision %q: want 16 lowercase hex digits", p.Revision))
	}
	if p.Version == "" {
		errs = append(errs, errors.New("policy version is empty"))
	}
	if p.Digest != "" && !digestRE.MatchString(p.Digest) {
		errs = append(errs, fmt.Errorf("policy digest %q: want sha256: and 64 lowercase hex digits", p.Digest))
	}
	versions := map[string]bool{p.Version: true}
	for _, r := range p.Earlier {
		if !hex16.MatchString(r.Revision) {
			errs = append(errs, fmt.Errorf("policy earlier release %q: revision %q: want 16 lowercase hex digits", r.Version, r.Revision))
		}
		if r.Digest != "" && !digestRE.MatchString(r.Digest) {
			errs = append(errs, fmt.Errorf("policy earlier release %q: digest %q: want sha256: and 64 lowercase hex digits", r.Version, r.Digest))
		}
		switch {
		case r.Version == "":
			errs = append(errs, errors.New("policy earlier release without a version"))
		case versions[r.Version]:
			errs = append(errs, fmt.Errorf("policy release %q listed twice", r.Version))
		}
		versions[r.Version] = true
	}
	seen := map[string]bool{}
	for _, k := range p.Categories {
		if !categoryKey.MatchString(k) {
			errs = append(errs, fmt.Errorf("policy category %q: want lowercase letters, digits, - or _", k))
		}
		if seen[k] {
			errs = append(errs, fmt.Errorf("policy category %q listed twice", k))
		}
		seen[k] = true
	}
	if len(p.Languages) == 0 {
		errs = append(errs, errors.New("policy has no languages"))
	}
	return errors.Join(errs...)
}

// languageTag is a plain BCP 47 tag as the build writes it ("sv", "en-GB").
var languageTag = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$`)

// hasLanguage reports whether l is a language of the notice; with no
// languages listed, any well-formed tag is taken.
func (p Policy) hasLanguage(l string) bool {
	if len(p.Languages) == 0 {
		return languageTag.MatchString(l)
	}
	return slices.Contains(p.Languages, l)
}

// release returns the published version that a page sending revision rev
// and version v belongs to, if its decisions are taken now: the current
// one or one of Earlier.
func (p Policy) release(rev, v string) (Release, bool) {
	if rev == p.Revision && v == p.Version {
		return Release{Version: p.Version, Revision: p.Revision, Digest: p.Digest}, true
	}
	for _, r := range p.Earlier {
		if r.Revision == rev && r.Version == v {
			return r, true
		}
	}
	return Release{}, false
}
