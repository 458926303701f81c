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
	// Dialogs are the alert, confirm, prompt and beforeunload dialogs that
	// the pages opened. The scan dismissed each (and left a page that asked
	// to stay), so that nothing waits for a click that never comes.
	Dialogs []Dialog `json:"dialogs,omitempty"`
	// Loops are the pages that kept navigating without settling; the scan
	// stopped each and could not check it.
	Loops []Loop `json:"loops,omitempty"`
	// Problems are what kept the pass from doing its job (no banner, a page
	// that did not load).
	Problems []string `json:"problems,omitempty"`
}

// Dialog is a JavaScript dialog a page opened.
type Dialog struct {
	// Type is alert, confirm, prompt or beforeunload.
	Type    string `json:"type"`
	Message string `json:"message"`
	// Page is the page the pass had open; Frame the document that opened
	// the dialog when that was another (an iframe).
	Page  string `json:"page"`
	Frame string `json:"frame,omitempty"`
	// Count is how often the page opened it.
	Count int `json:"count"`
}

// Loop is a page that kept navigating: by script, refresh or redirect.
type Loop struct {
	// Page is the page the scan opened.
	Page string `json:"page"`
	// URLs are the documents it went through, in order (the first few).
	URLs []string `json:"urls"`
	// Navigations is how many documents it requested before it was stopped.
	Navigations int `json:"navigations"`
}

// Gate is an element that the banner gates (data-consent) whose script
// stored an item: it wrote it itself, loaded the script that did, or made
// the request whose response set it.
type Gate struct {
	// Categories is the element's data-consent ("statistics", or several
	// separated by spaces).
	Categories string `json:"categories"`
	// Script is the element's src (or data-src); the page for an inline
	// script.
	Script string `json:"script"`
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
	// Gate is set when a script that the banner gates stored it.
	Gate *Gate `json:"gate,omitempty"`
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
	// Gate is set when a script that the banner gates stored it.
	Gate *Gate `json:"gate,omitempty"`
}

// Host is a host other than the site's that the pass contacted.
type Host struct {
	Host string `json:"host"`
	// URLs are the first few URLs requested from it, Types their resource
	// types ("Image", "Script", "WebSocket").
	URLs  []string `json:"urls"`
	Types []string `json:"types"`
	Count int      `json:"count"`
	Page  string   `json:"page"`
	// ServiceWorkers are the service workers (their scripts' URLs) that
	// made requests to it, rather than a page.
	ServiceWorkers []string `json:"serviceWorkers,omitempty"`
}
