package sqlstore

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	_ "modernc.org/sqlite"
)

func TestMigrateAppliesEachVersionOnceInNumericOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	m := Migrations{
		Setup: []string{`CREATE TABLE IF NOT EXISTS versions (version INTEGER PRIMARY KEY)`, `CREATE TABLE IF NOT EXISTS log (step TEXT)`},
		FS: fstest.MapFS{ // 10 after 2: numbers, not strings, decide
			"migrations/10_c.sql": {Data: []byte(`INSERT INTO log VALUES ('10')`)},
			"migrations/2_b.sql":  {Data: []byte(`INSERT INTO log VALUES ('2')`)},
			"migrations/1_a.sql":  {Data: []byte(`INSERT INTO log VALUES ('1')`)},
		},
		Applied: `SELECT count(*) FROM versions WHERE version = ?`,
		Record:  `INSERT INTO versions VALUES (?)`,
		After: map[int]func(context.Context, *sql.Tx) error{2: func(ctx context.Context, tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO log VALUES ('after 2')`)
			return err
		}},
	}
	for range 2 { // the second run finds everything applied
		if err := Migrate(ctx, db, m); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := db.Query(`SELECT step FROM log ORDER BY rowid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		steps = append(steps, s)
	}
	if got := strings.Join(steps, ", "); got != "1, 2, after 2, 10" {
		t.Errorf("steps: %s", got)
	}

	bad := m
	bad.FS = fstest.MapFS{"migrations/first.sql": {Data: []byte(`SELECT 1`)}}
	if err := Migrate(ctx, db, bad); err == nil || !strings.Contains(err.Error(), "migrations/first.sql: name must start with a number") {
		t.Errorf("a migration without a number: %v", err)
	}
}

func TestCheckVersionsNamesWhatAReaderCannotRead(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"migrations/1_a.sql": {Data: []byte(`SELECT 1`)},
		"migrations/2_b.sql": {Data: []byte(`SELECT 1`)},
		"migrations/3_c.sql": {Data: []byte(`SELECT 1`)},
	}
	tests := []struct {
		applied []int
		want    string // "" for nil
	}{
		{[]int{3, 1, 2}, ""},
		{[]int{1, 2}, "store is a consent store at schema version 2, older than the version 3 this integritet reads"},
		{[]int{1, 2, 3, 4}, "store was written by a newer integritet (schema version 4; this one reads up to 3)"},
		{nil, "store is not a consent store: its schema version table is empty"},
		{[]int{1, 3}, "store is a consent store without migration migrations/2_b.sql but with later ones"},
	}
	for _, tt := range tests {
		err := CheckVersions("store", tt.applied, fsys)
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("applied %v: %v, want %q", tt.applied, err, tt.want)
		}
	}
}
