package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// errReported marks an error whose details were already written to stderr
// (diagnostics, usage); main only sets the exit status.
var errReported = errors.New("reported")

// errUsage is returned for a bad command line; exit status 2.
var errUsage = errors.New("usage")

func exitCode(err error) int {
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}

type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() map[string]command {
	return map[string]command{
		"build":    {"render the notice, banner and exports into an output folder", runBuild},
		"serve":    {"preview the site with live reload and a local consent endpoint", runServe},
		"endpoint": {"run the consent endpoint (and optionally serve the built site)", runEndpoint},
		"lint":     {"check the notice for gaps and contradictions", runLint},
		"export":   {"write retention, cookie, consent-category, DPV and Art. 30 exports", runExport},
		"diff":     {"list every change between two versions of the notice, material or editorial", runDiff},
		"release":  {"release the current version: check it, record its digest, archive its pages", runRelease},
		"scan":     {"check the site's real cookies, storage and third parties against the notice", runScan},
		"consent":  {consentSummary(), runConsent},
		"init":     {"start a new site for another organisation", runInit},
		"version":  {"print the version", runVersion},
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		usage(stderr, cmds)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "integritet: unknown command %q\n", args[0])
		usage(stderr, cmds)
		return fmt.Errorf("%w: unknown command %q", errReported, args[0])
	}
	err := c.run(ctx, args[1:], stdout, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return err
}

func usage(w io.Writer, cmds map[string]command) {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("usage: integritet <command> [flags]\n\ncommands:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %-9s %s\n", n, cmds[n].summary)
	}
	b.WriteString("\nRun 'integritet <command> -h' for the flags of a command.\n")
	io.WriteString(w, b.String())
}

// newFlags returns a flag set that writes its usage to stderr and reports
// parse errors as usage errors.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: integritet %s %s\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args and maps a bad flag to errUsage.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return nil
}
