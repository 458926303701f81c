package scan

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
)

// The Open Cookie Database (Apache-2.0), the columns the drafts use; see
// ocd/README.md for its source and how to refresh it, ocd/LICENSE for the
// licence.
//
//go:embed ocd/cookies.csv
var ocdCSV []byte

//go:embed ocd/LICENSE
var ocdLicense string

// ocdAttribution is the notice that goes with every draft and report that
// uses the Open Cookie Database.
const ocdAttribution = "Descriptions from the Open Cookie Database (https://github.com/jkwakman/Open-Cookie-Database), Apache License 2.0"

// License returns where the embedded Open Cookie Database comes from and
// its licence text.
func License() string {
	return ocdAttribution + "; extract of commit 0ee5a17fe1cb (2026-01-21), see scan/ocd/README.md.\n\n" + ocdLicense
}

// entry is one cookie or storage key of the Open Cookie Database.
type entry struct {
	Name        string
	Wildcard    bool // Name is a prefix
	Platform    string
	Category    string // Functional, Analytics, Marketing, Personalization, Security, Necessary
	Domain      string
	Description string
	Retention   string // free text: "2 years", "session"
	Controller  string
}

// DB looks names up in the Open Cookie Database.
type DB struct {
	exact    map[string]entry
	prefixes []entry // longest first
}

// OpenDB parses the embedded database.
func OpenDB() (*DB, error) { return parseDB(ocdCSV) }

func parseDB(b []byte) (*DB, error) {
	r := csv.NewReader(bytes.NewReader(b))
	rows, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("open cookie database: %w", err)
	}
	want := []string{"name", "wildcard", "platform", "category", "domain", "description", "retention", "controller"}
	if len(rows) == 0 || !slices.Equal(rows[0], want) {
		return nil, fmt.Errorf("open cookie database: header is not %q", want)
	}
	db := &DB{exact: map[string]entry{}}
	for _, row := range rows[1:] {
		e := entry{Name: strings.TrimSpace(row[0]), Wildcard: row[1] == "1", Platform: row[2], Category: row[3],
			Domain: row[4], Description: strings.TrimSpace(row[5]), Retention: row[6], Controller: row[7]}
		if e.Name == "" {
			continue
		}
		if e.Wildcard {
			db.prefixes = append(db.prefixes, e)
		} else if _, dup := db.exact[e.Name]; !dup {
			db.exact[e.Name] = e
		}
	}
	slices.SortStableFunc(db.prefixes, func(a, b entry) int { return len(b.Name) - len(a.Name) })
	return db, nil
}

// lookup returns the entry for a cookie or storage name: an exact name
// first, else the longest prefix entry.
func (db *DB) lookup(name string) (entry, bool) {
	if db == nil {
		return entry{}, false
	}
	if e, ok := db.exact[name]; ok {
		return e, true
	}
	for _, e := range db.prefixes {
		if strings.HasPrefix(name, e.Name) {
			return e, true
		}
	}
	return entry{}, false
}
