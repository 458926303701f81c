// Command ocdtrim copies the columns of the Open Cookie Database that the
// scan's drafts use into scan/ocd/cookies.csv, and its licence beside it.
//
//	go run ./scan/internal/ocdtrim -src ../shared/data/open-cookie-database -dst scan/ocd
//
// The source is the repository jkwakman/Open-Cookie-Database (Apache-2.0):
// its open-cookie-database.csv and LICENSE, unchanged.
package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
)

// columns are the source columns kept, in this order: the header of the
// trimmed file names them as the scan reads them.
var columns = []struct{ src, dst string }{
	{"Cookie / Data Key name", "name"},
	{"Wildcard match", "wildcard"},
	{"Platform", "platform"},
	{"Category", "category"},
	{"Domain", "domain"},
	{"Description", "description"},
	{"Retention period", "retention"},
	{"Data Controller", "controller"},
}

func main() {
	src := flag.String("src", "", "folder of the Open Cookie Database (open-cookie-database.csv, LICENSE)")
	dst := flag.String("dst", "scan/ocd", "folder to write cookies.csv and LICENSE into")
	flag.Parse()
	if err := run(*src, *dst); err != nil {
		fmt.Fprintln(os.Stderr, "ocdtrim:", err)
		os.Exit(1)
	}
}

func run(src, dst string) error {
	if src == "" {
		return errors.New("-src is required")
	}
	f, err := os.Open(filepath.Join(src, "open-cookie-database.csv"))
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return fmt.Errorf("read header: %w", err)
	}
	idx := make([]int, len(columns))
	for i, c := range columns {
		idx[i] = slices.Index(head, c.src)
		if idx[i] < 0 {
			return fmt.Errorf("the source has no column %q (header %q)", c.src, head)
		}
	}
	out, err := os.CreateTemp(dst, ".cookies-*.csv")
	if err != nil {
		return err
	}
	defer os.Remove(out.Name())
	w := csv.NewWriter(out)
	row := make([]string, len(columns))
	for i, c := range columns {
		row[i] = c.dst
	}
	w.Write(row)
	n := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		for i, j := range idx {
			row[i] = rec[j]
		}
		w.Write(row)
		n++
	}
	w.Flush()
	if err := errors.Join(w.Error(), out.Chmod(0o644), out.Close()); err != nil {
		return err
	}
	if err := os.Rename(out.Name(), filepath.Join(dst, "cookies.csv")); err != nil {
		return err
	}
	lic, err := os.ReadFile(filepath.Join(src, "LICENSE"))
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dst, "LICENSE"), lic, 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %d entries to %s\n", n, filepath.Join(dst, "cookies.csv"))
	return nil
}
