package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/store"
)

func runConsent(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	usage := func() {
		fmt.Fprint(stderr, `usage: integritet consent <verify|export|purge> [flags]

  verify  recompute the hash chain of the recorded consent and name the first broken link
  export  write every record as JSON Lines or CSV (ISO/IEC TS 27560 / DPV field names)
  purge   delete records older than the notice's retention for consent records

Run 'integritet consent <subcommand> -h' for its flags.
`)
	}
	if len(args) == 0 {
		usage()
		return errUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage()
		return nil
	case "verify":
		return runConsentVerify(ctx, args[1:], stdout, stderr)
	case "export":
		return runConsentExport(ctx, args[1:], stdout, stderr)
	case "purge":
		return runConsentPurge(ctx, args[1:], stdout, stderr)
	default:
		usage()
		return fmt.Errorf("%w: unknown consent subcommand %q", errUsage, args[0])
	}
}

const dbUsage = "consent store: sqlite:PATH or postgres://..."

// openExisting opens the store for a command that reads it: a SQLite file
// that does not exist is an error rather than a new, empty chain.
func openExisting(ctx context.Context, dsn string) (consent.Store, error) {
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		if _, err := os.Stat(strings.TrimPrefix(path, "//")); err != nil {
			return nil, fmt.Errorf("-db %s: %w", dsn, err)
		}
	}
	return store.Open(ctx, dsn)
}

func noArgs(fs *flag.FlagSet) error {
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
	}
	return nil
}

func runConsentVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("consent verify", "[-db dsn]", stderr)
	db := fs.String("db", "sqlite:consent.db", dbUsage)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	st, err := openExisting(ctx, *db)
	if err != nil {
		return fmt.Errorf("consent verify: %w", err)
	}
	defer st.Close()
	v, err := consent.Verify(ctx, st)
	if err != nil {
		return fmt.Errorf("consent verify: %w", err)
	}
	if v.Broken != nil {
		fmt.Fprintf(stderr, "integritet consent verify: %v\n", v.Broken)
		return errReported
	}
	fmt.Fprintf(stdout, "chain verified: %d records (seq %d to %d), base %s, head %s\n",
		v.Records, v.Chain.BaseSeq+1, v.Chain.HeadSeq, v.Chain.BaseHash, v.Chain.HeadHash)
	return nil
}

func runConsentExport(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	fs := newFlags("consent export", "[-db dsn] [-format jsonl|csv] [-o file]", stderr)
	db := fs.String("db", "sqlite:consent.db", dbUsage)
	format := fs.String("format", consent.FormatJSONL, "output format: jsonl or csv")
	out := fs.String("o", "", "write to `file` instead of standard output")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	if *format != consent.FormatJSONL && *format != consent.FormatCSV {
		fs.Usage()
		return fmt.Errorf("%w: -format %q: want jsonl or csv", errUsage, *format)
	}
	st, err := openExisting(ctx, *db)
	if err != nil {
		return fmt.Errorf("consent export: %w", err)
	}
	defer st.Close()
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return fmt.Errorf("consent export: %w", err)
		}
		defer func() {
			if cerr := f.Close(); err == nil && cerr != nil {
				err = fmt.Errorf("consent export: %w", cerr)
			}
			if err != nil {
				os.Remove(*out)
			}
		}()
		w = f
	}
	n, err := consent.Export(ctx, st, *format, w)
	if err != nil {
		return fmt.Errorf("consent export: %w", err)
	}
	if *out != "" {
		fmt.Fprintf(stderr, "exported %d records to %s\n", n, *out)
	}
	return nil
}

func runConsentPurge(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("consent purge", "[-db dsn] [-source dir] [-dry-run]", stderr)
	db := fs.String("db", "sqlite:consent.db", dbUsage)
	source := fs.String("source", ".", "site root `dir` whose notice declares the retention of consent records")
	dry := fs.Bool("dry-run", false, "only report what would be deleted")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	policy, err := loadPolicy(ctx, *source, nil)
	if err != nil {
		return fmt.Errorf("consent purge: %w", err)
	}
	if policy.Cutoff == nil {
		return errors.New(`consent purge: the notice declares no retention for consent records (retention rule "consent-records")`)
	}
	st, err := openExisting(ctx, *db)
	if err != nil {
		return fmt.Errorf("consent purge: %w", err)
	}
	defer st.Close()
	now := time.Now()
	if *dry {
		plan, err := consent.PlanPurge(ctx, st, policy, now)
		if err != nil {
			return fmt.Errorf("consent purge: %w", err)
		}
		fmt.Fprintf(stdout, "would delete %d records older than %s (retention %s); %d would remain\n",
			plan.Records, plan.Cutoff.UTC().Format(time.RFC3339), policy.Retention, plan.Kept)
		return nil
	}
	plan, err := consent.Purge(ctx, st, policy, now)
	if err != nil {
		return fmt.Errorf("consent purge: %w", err)
	}
	fmt.Fprintf(stdout, "deleted %d records older than %s (retention %s)\n",
		plan.Records, plan.Cutoff.UTC().Format(time.RFC3339), policy.Retention)
	return nil
}
