package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/consent/store"
	"github.com/integritet/integritet/notice"
	"github.com/integritet/integritet/notice/release"
)

// subcommand is one subcommand of `integritet consent`.
type subcommand struct {
	name string
	command
}

// consentCommands is the one list of the `integritet consent`
// subcommands: its dispatch, its usage and the line of `integritet -h`
// are made from it.
func consentCommands() []subcommand {
	return []subcommand{
		{"verify", command{"recompute the hash chain from every stored row, check anchors and receipts, name every fault", runConsentVerify}},
		{"export", command{"write the verified records as JSON Lines or CSV (ISO/IEC TS 27560 / DPV field names)", runConsentExport}},
		{"purge", command{"delete records older than the notice's retention, up to an anchored head", runConsentPurge}},
		{"report", command{"write an HTML page and CSV of what visitors chose, with counts under 10 hidden", runConsentReport}},
	}
}

// consentSummary is the consent line of `integritet -h`.
func consentSummary() string {
	var names []string
	for _, c := range consentCommands() {
		names = append(names, c.name)
	}
	return "verify, export, purge or report on recorded consent (" + strings.Join(names, "|") + ")"
}

func runConsent(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	subs := consentCommands()
	usage := func() {
		var b strings.Builder
		b.WriteString("usage: integritet consent <")
		for i, c := range subs {
			if i > 0 {
				b.WriteString("|")
			}
			b.WriteString(c.name)
		}
		b.WriteString("> [flags]\n\n")
		for _, c := range subs {
			fmt.Fprintf(&b, "  %-7s %s\n", c.name, c.summary)
		}
		b.WriteString("\nRun 'integritet consent <subcommand> -h' for its flags.\n")
		io.WriteString(stderr, b.String())
	}
	if len(args) == 0 {
		usage()
		return errUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage()
		return nil
	}
	for _, c := range subs {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	usage()
	return fmt.Errorf("%w: unknown consent subcommand %q", errUsage, args[0])
}

const dbUsage = "consent store: sqlite:PATH or postgres://..."

// openExisting opens the store for purge, which writes: a SQLite file
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

// readProof reads an anchor or receipt file, or fetches it when src is an
// http(s) URL (such as https://www.example.se/.well-known/consent-chain.json).
func readProof(ctx context.Context, src string) ([]byte, error) {
	if strings.HasPrefix(src, "https://") || strings.HasPrefix(src, "http://") {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, "GET", src, nil)
		if err != nil {
			return nil, err
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("GET %s: %s", src, resp.Status)
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, consent.MaxProofFile+1))
		if err == nil && len(data) > consent.MaxProofFile {
			err = fmt.Errorf("GET %s: larger than %d bytes", src, consent.MaxProofFile)
		}
		return data, err
	}
	f, err := os.Open(src)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, consent.MaxProofFile+1))
	if err == nil && len(data) > consent.MaxProofFile {
		err = fmt.Errorf("%s: larger than %d bytes", src, consent.MaxProofFile)
	}
	return data, err
}

func loadAnchors(ctx context.Context, src string) ([]consent.Anchor, error) {
	if src == "" {
		return nil, nil
	}
	data, err := readProof(ctx, src)
	if err != nil {
		return nil, fmt.Errorf("-anchors: %w", err)
	}
	return consent.ParseAnchors(src, data)
}

// verifyOptions reads what -anchors, -receipts and -source name.
func verifyOptions(ctx context.Context, anchors, receipts, source string) (consent.VerifyOptions, error) {
	var opts consent.VerifyOptions
	var err error
	if opts.Anchors, err = loadAnchors(ctx, anchors); err != nil {
		return opts, err
	}
	if receipts != "" {
		data, err := readProof(ctx, receipts)
		if err != nil {
			return opts, fmt.Errorf("-receipts: %w", err)
		}
		if opts.Receipts, err = consent.ParseReceipts(receipts, data); err != nil {
			return opts, err
		}
	}
	if source != "" {
		policy, err := loadPolicy(ctx, source, nil)
		if err != nil {
			return opts, err
		}
		if policy.Cutoff != nil {
			opts.Cutoff = policy.Cutoff(time.Now())
		}
		if opts.Archive, err = archiveOf(source); err != nil {
			return opts, err
		}
	}
	return opts, nil
}

// archiveOf names, for a record, the released text it was given on: the
// address of the archived notice page, in the record's language, of the
// release of the site rooted at dir whose digest is the record's; "" when
// no release has it.
func archiveOf(dir string) (func(consent.Record) string, error) {
	rs, err := notice.ReadReleases(dir)
	if err != nil {
		return nil, err
	}
	n, err := notice.Load(dir)
	if err != nil {
		return nil, err
	}
	pages := map[string]map[string]string{}
	for _, r := range rs {
		pages[r.Digest] = release.ArchivedPages(dir, r.Version)
	}
	base := strings.TrimRight(n.Meta.BaseURL, "/")
	return func(r consent.Record) string {
		ps, ok := pages[r.Digest]
		if !ok {
			return ""
		}
		p, ok := ps[r.Language]
		if !ok {
			p = ps[n.Meta.DefaultLanguage]
		}
		return base + "/" + p
	}, nil
}

// releaseOf names the released version with digest d, for verify's summary.
func releaseOf(dir, d string) string {
	rs, err := notice.ReadReleases(dir)
	if err != nil {
		return ""
	}
	if r, ok := notice.ReleaseByDigest(rs, d); ok {
		return r.Version
	}
	return ""
}

const (
	anchorsUsage  = "anchor log or published anchors (`file or URL`, e.g. https://www.example.se/.well-known/consent-chain.json)"
	receiptsUsage = "`file` of receipts or histories as the endpoint answered them (JSON, one after another)"
	sourceUsage   = "site root `dir` whose notice's retention the chain base must respect (with -anchors), and whose releases name the archived text of each record"
)

func runConsentVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("consent verify", "[-db dsn] [-anchors file|url] [-receipts file] [-source dir]", stderr)
	db := fs.String("db", "sqlite:consent.db", dbUsage)
	anchors := fs.String("anchors", "", anchorsUsage)
	receipts := fs.String("receipts", "", receiptsUsage)
	source := fs.String("source", "", sourceUsage)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	opts, err := verifyOptions(ctx, *anchors, *receipts, *source)
	if err != nil {
		return fmt.Errorf("consent verify: %w", err)
	}
	st, err := store.OpenReadOnly(ctx, *db) // an audit never writes
	if err != nil {
		return fmt.Errorf("consent verify: %w", err)
	}
	defer st.Close()
	v, err := consent.VerifyWith(ctx, st, opts)
	if err != nil {
		return fmt.Errorf("consent verify: %w", err)
	}
	if v.Broken != nil {
		for _, f := range v.Faults {
			fmt.Fprintf(stderr, "integritet consent verify: %v\n", &f)
		}
		if more := v.FaultCount - int64(len(v.Faults)); more > 0 {
			fmt.Fprintf(stderr, "integritet consent verify: and %d more faults\n", more)
		}
		fmt.Fprintf(stderr, "integritet consent verify: %d faults; %d records in the chain\n", v.FaultCount, v.Records)
		return errReported
	}
	fmt.Fprintf(stdout, "chain verified: %d records (seq %d to %d), base %s, head %s\n",
		v.Records, v.Chain.BaseSeq+1, v.Through, v.Chain.BaseHash, v.Chain.HeadHash)
	if len(opts.Anchors) > 0 {
		fmt.Fprintf(stdout, "anchors verified: %d (%d below the base, purged)\n", v.Anchors, v.AnchorsPurged)
	}
	if len(opts.Receipts) > 0 {
		fmt.Fprintf(stdout, "receipts verified: %d (%d of records purged)\n", v.Receipts, v.ReceiptsPurged)
	}
	// Which text each record was given on: with -source, the released
	// version and its archived page.
	digests := make([]string, 0, len(v.Digests))
	for d := range v.Digests {
		digests = append(digests, d)
	}
	slices.Sort(digests)
	for _, d := range digests {
		switch {
		case d == "":
			fmt.Fprintf(stdout, "records without a notice digest (written before it was kept): %d\n", v.Digests[d])
		case *source == "":
			fmt.Fprintf(stdout, "records given on notice text %s: %d (give -source to name its release)\n", d, v.Digests[d])
		default:
			if rel := releaseOf(*source, d); rel != "" {
				fmt.Fprintf(stdout, "records given on released version %s (%s), archived at %s: %d\n", rel, d, opts.Archive(consent.Record{Digest: d}), v.Digests[d])
			} else {
				fmt.Fprintf(stdout, "records given on notice text %s, which is no released version: %d\n", d, v.Digests[d])
			}
		}
	}
	return nil
}

func runConsentExport(ctx context.Context, args []string, stdout, stderr io.Writer) (err error) {
	fs := newFlags("consent export", "[-db dsn] [-anchors file|url] [-source dir] [-format jsonl|csv] [-o file]", stderr)
	db := fs.String("db", "sqlite:consent.db", dbUsage)
	anchors := fs.String("anchors", "", anchorsUsage)
	source := fs.String("source", "", "site root `dir` whose releases name the archived text of each record (notice_archive)")
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
	opts, err := verifyOptions(ctx, *anchors, "", "")
	if err != nil {
		return fmt.Errorf("consent export: %w", err)
	}
	if *source != "" {
		if opts.Archive, err = archiveOf(*source); err != nil {
			return fmt.Errorf("consent export: %w", err)
		}
	}
	st, err := store.OpenReadOnly(ctx, *db) // an audit never writes
	if err != nil {
		return fmt.Errorf("consent export: %w", err)
	}
	defer st.Close()
	w := stdout
	if *out != "" {
		// Written beside the target and renamed into place once the export
		// succeeded: a failed export leaves no file and no half of one.
		f, cerr := os.CreateTemp(filepath.Dir(*out), ".export-*")
		if cerr != nil {
			return fmt.Errorf("consent export: %w", cerr)
		}
		defer func() {
			if cerr := f.Close(); err == nil && cerr != nil {
				err = fmt.Errorf("consent export: %w", cerr)
			}
			if err == nil {
				if rerr := os.Rename(f.Name(), *out); rerr != nil {
					err = fmt.Errorf("consent export: %w", rerr)
				}
			}
			if err != nil {
				os.Remove(f.Name())
			}
		}()
		w = f
	}
	n, err := consent.Export(ctx, st, *format, w, opts)
	if err != nil {
		return fmt.Errorf("consent export: %w", err)
	}
	if *out != "" {
		fmt.Fprintf(stderr, "exported %d records to %s\n", n, *out)
	}
	return nil
}

func runConsentPurge(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("consent purge", "[-db dsn] -anchors file|url [-source dir] [-dry-run]", stderr)
	db := fs.String("db", "sqlite:consent.db", dbUsage)
	anchorsFlag := fs.String("anchors", "", "the endpoint's anchor log or its published copy (`file or URL`): the base moves only to an anchored head")
	source := fs.String("source", ".", "site root `dir` whose notice declares the retention of consent records")
	dry := fs.Bool("dry-run", false, "only report what would be deleted")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs); err != nil {
		return err
	}
	if *anchorsFlag == "" {
		fs.Usage()
		return fmt.Errorf("%w: -anchors is required: a purge moves the chain base only to an anchored head", errUsage)
	}
	policy, err := loadPolicy(ctx, *source, nil)
	if err != nil {
		return fmt.Errorf("consent purge: %w", err)
	}
	if policy.Cutoff == nil {
		return errors.New(`consent purge: the notice declares no retention for consent records (retention rule "consent-records")`)
	}
	anchors, err := loadAnchors(ctx, *anchorsFlag)
	if err != nil {
		return fmt.Errorf("consent purge: %w", err)
	}
	// Purge writes, but only to a consent store: a file or database that
	// is none is refused, not given a store's tables (an older store is
	// migrated, as the endpoint does).
	if r, err := store.OpenReadOnly(ctx, *db); err == nil {
		r.Close()
	} else if na := (*consent.NotAStoreError)(nil); errors.As(err, &na) {
		return fmt.Errorf("consent purge: %w", err)
	}
	st, err := openExisting(ctx, *db)
	if err != nil {
		return fmt.Errorf("consent purge: %w", err)
	}
	defer st.Close()
	now := time.Now()
	if *dry {
		plan, err := consent.PlanPurge(ctx, st, policy, now, anchors)
		if err != nil {
			return fmt.Errorf("consent purge: %w", err)
		}
		fmt.Fprintf(stdout, "would delete %d records older than %s (retention %s)%s; %d would remain\n",
			plan.Records, plan.Cutoff.UTC().Format(time.RFC3339), policy.Retention, through(plan), plan.Kept)
		return nil
	}
	plan, err := consent.Purge(ctx, st, policy, now, anchors)
	if err != nil {
		return fmt.Errorf("consent purge: %w", err)
	}
	p := plan.Purged
	if p.Records == 0 {
		fmt.Fprintf(stdout, "deleted 0 records: no anchored head older than %s (retention %s) after the chain base\n",
			plan.Cutoff.UTC().Format(time.RFC3339), policy.Retention)
		return nil
	}
	fmt.Fprintf(stdout, "deleted %d records, seq %d to %d, recorded %s to %s, older than %s (retention %s)%s; erased from the store's files\n",
		p.Records, p.FirstSeq, p.LastSeq, p.Oldest.UTC().Format(consent.TimeFormat), p.Newest.UTC().Format(consent.TimeFormat),
		plan.Cutoff.UTC().Format(time.RFC3339), policy.Retention, through(plan))
	return nil
}

func through(plan consent.PurgePlan) string {
	if plan.Through == nil {
		return ""
	}
	return fmt.Sprintf(", through the head anchored at %s (seq %d)", plan.Through.Time.UTC().Format(consent.TimeFormat), plan.Through.Seq)
}
