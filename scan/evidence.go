// Package scan visits a site in headless Chromium three times (before any
// choice, after "Reject all", after "Accept all", each in a fresh browser
// profile, by clicking the real banner), records what the site stores and
// whom it contacts, and checks that evidence against the notice's
// declarations: undeclared items, stale declarations, gating that does not
// hold, lifetimes longer than declared, third parties that are not among the
// recipients. For what is undeclared it drafts declarations from the Open
// Cookie Database, for legal to review.
package scan

import (
	"time"
)

// Pass is one visit of the site in a fresh profile.
type Pass string

// The three passes, in the order they are reported.
const (
	Before Pass = "before" // no choice made
	Reject Pass = "reject" // after "Reject all"
	Accept Pass = "accept" // after "Accept all"
)

// Passes lists the passes in order.
var passes = []Pass{Before, Reject, Accept}

// Storage kinds: the keys of notice.StorageKinds, the one vocabulary the
// notice, its exports and the scan share.
const (
	kindCookie         = "cookie"
	kindLocalStorage   = "local-storage"
	kindSessionStorage = "session-storage"
	kindIndexedDB      = "indexeddb"
	kindPixel          = "pixel"
)

// Result is what the three passes saw.
type Result struct {
	// Site is the origin that was scanned ("http://127.0.0.1:8080").
	Site string `json:"site"`
	// Start is the first page.
	Start string `json:"start"`
	// Time is when the scan started; lifetimes are measured from it.
	Time   time.Time  `json:"time"`
	Passes []Evidence `json:"passes"`
}

// Evidence is what one pass saw.
type Evidence struct {
	Pass  Pass     `json:"pass"`
	Pages []string `json:"pages"`
	// Clicked is the page on which the banner's button was clicked; empty
	// for the first pass, or when no banner was found.
	Clicked string    `json:"clicked,omitempty"`
	Cookies []Cookie  `json:"cookies"`
	Storage []Storage `json:"storage"`
	Hosts   []Host    `json:"hosts"`
	// Problems are what kept the pass from doing its job (no banner, a page
	// that did not load).
	Problems []string `json:"problems,omitempty"`
}

// Cookie is one cookie in the profile's jar after a page.
type Cookie struct {
	Name   string `json:"name"`
	Domain string `json:"domain"`
	Path   string `json:"path"`
	// Expires is zero for a session cookie.
	Expires    time.Time `json:"expires,omitzero"`
	HTTPOnly   bool      `json:"httpOnly"`
	Secure     bool      `json:"secure"`
	SameSite   string    `json:"sameSite,omitempty"`
	ThirdParty bool      `json:"thirdParty"`
	// SetBy is the script (url:line:col) or response (url) that set it,
	// where the browser says so.
	SetBy string `json:"setBy,omitempty"`
	// Page is the first page after which the cookie was in the jar, and
	// Seen when.
	Page string    `json:"page"`
	Seen time.Time `json:"seen"`
	// Transient says that a script wrote the cookie but it was gone when
	// the pass read the jar (deleted again by the banner or the script).
	Transient bool `json:"transient,omitempty"`
}

// Lifetime is how long the cookie was to live when it was first seen; zero
// for a session cookie.
func (c Cookie) Lifetime() time.Duration {
	if c.Expires.IsZero() {
		return 0
	}
	return c.Expires.Sub(c.Seen)
}

// Storage is one localStorage or sessionStorage key, or one IndexedDB
// database, of an origin.
type Storage struct {
	Kind   string `json:"kind"`
	Origin string `json:"origin"`
	Name   string `json:"name"`
	SetBy  string `json:"setBy,omitempty"`
	Page   string `json:"page"`
	// Transient: written by a script, gone when the pass looked.
	Transient bool `json:"transient,omitempty"`
}

// Host is a host other than the site's that the pass contacted.
type Host struct {
	Host string `json:"host"`
	// URLs are the first few URLs requested from it, Types their resource
	// types ("Image", "Script").
	URLs  []string `json:"urls"`
	Types []string `json:"types"`
	Count int      `json:"count"`
	Page  string   `json:"page"`
}
