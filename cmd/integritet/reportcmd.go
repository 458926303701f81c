package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/integritet/integritet/consent/report"
	"github.com/integritet/integritet/consent/store"
	"github.com/integritet/integritet/notice"
	"github.com/integritet/integritet/site"
)

// dateFlag is a -since or -until date, YYYY-MM-DD, UTC.
func dateFlag(fs *flag.FlagSet, name, value string) (time.Time, error) {
	if value == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, value)
	if err != nil {
		fs.Usage()
		return time.Time{}, fmt.Errorf("%w: -%s %q: want a date as YYYY-MM-DD", errUsage, name, value)
	}
	return t, nil
}

func runConsentReport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("consent report", "[-db dsn] [-since DATE] [-until DATE] [-by day|week|month] [-anchors file|url] [-source dir] -out DIR", stderr)
	db := fs.String("db", "sqlite:consent.db", dbUsage)
	since := fs.String("since", "", "count decisions from this `date` (YYYY-MM-DD, UTC) on")
	until := fs.String("until", "", "count decisions up to and including this `date` (YYYY-MM-DD, UTC)")
	by := fs.String("by", report.ByWeek, "group decisions per day, week (ISO, from Monday) or month")
	out := fs.String("out", "", "write the report into `dir` (index.html, report.css and a CSV per table); replaced as a whole")
	anchors := fs.String("anchors", "", anchorsUsage+": the report states their state")
	source := fs.String("source", "", "site root `dir` whose releases/releases.toml dates each revision; its notice's retention is checked against the chain base (with -anchors)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return fmt.Errorf("%w: -out is required: the folder to write the report into", errUsage)
	}
	switch *by {
	case report.ByDay, report.ByWeek, report.ByMonth:
	default:
		fs.Usage()
		return fmt.Errorf("%w: -by %q: want day, week or month", errUsage, *by)
	}
	opts := report.Options{By: *by, Now: time.Now()}
	var err error
	if opts.Since, err = dateFlag(fs, "since", *since); err != nil {
		return err
	}
	if opts.Until, err = dateFlag(fs, "until", *until); err != nil {
		return err
	}
	if !opts.Until.IsZero() {
		opts.Until = opts.Until.AddDate(0, 0, 1) // -until is inclusive
	}
	if !opts.Since.IsZero() && !opts.Until.IsZero() && !opts.Since.Before(opts.Until) {
		fs.Usage()
		return fmt.Errorf("%w: -since %s is after -until %s", errUsage, *since, *until)
	}
	if opts.Verify, err = verifyOptions(ctx, *anchors, "", *source); err != nil {
		return fmt.Errorf("consent report: %w", err)
	}
	if *source != "" {
		rs, err := notice.ReadReleases(*source)
		if err != nil {
			return fmt.Errorf("consent report: %w", err)
		}
		for _, r := range rs {
			opts.Releases = append(opts.Releases, report.Release{Version: r.Version, Revision: r.Revision, Date: r.Date.Time})
		}
	}
	st, err := store.OpenReadOnly(ctx, *db) // an audit never writes
	if err != nil {
		return fmt.Errorf("consent report: %w", err)
	}
	defer st.Close()
	rep, err := report.Build(ctx, st, opts)
	if err != nil {
		return fmt.Errorf("consent report: %w", err)
	}
	files, err := rep.Files()
	if err != nil {
		return fmt.Errorf("consent report: %w", err)
	}
	if err := site.Write(&site.Output{Files: files}, *out); err != nil {
		return fmt.Errorf("consent report: %w", err)
	}
	v := rep.Verify
	fmt.Fprintf(stdout, "report of %d decisions written to %s (%d files)\n", rep.Counted, *out, len(files))
	if v.Broken != nil {
		fmt.Fprintf(stderr, "integritet consent report: the chain does not verify: %d faults, the first: %v; the report says so\n", v.FaultCount, v.Broken)
		return errReported
	}
	return nil
}
