package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/integritet/integritet/lint"
	"github.com/integritet/integritet/notice"
)

func runLint(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("lint", "[-source dir] [-format text|json] [-strict] [-rules]", stderr)
	source := fs.String("source", ".", "site root (the folder holding content/)")
	format := fs.String("format", "text", "output format: text (file:line:col) or json (for CI)")
	strict := fs.Bool("strict", false, "treat warnings as errors")
	rules := fs.Bool("rules", false, "list the rules with their documentation and exit")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
	}
	if *format != "text" && *format != "json" {
		fs.Usage()
		return fmt.Errorf("%w: -format %q: want text or json", errUsage, *format)
	}
	if *rules {
		return printRules(stdout, *format)
	}
	n, err := notice.Load(*source)
	if err != nil {
		var ds notice.Diagnostics
		if errors.As(err, &ds) {
			if *format == "json" {
				if err := writeFindingsJSON(stdout, ds); err != nil {
					return err
				}
			} else {
				fmt.Fprintln(stderr, ds.Error())
			}
			return errReported
		}
		return fmt.Errorf("lint: %w", err)
	}
	ds := lint.Check(n)
	if *strict {
		ds = lint.Strict(ds)
	}
	if *format == "json" {
		if err := writeFindingsJSON(stdout, ds); err != nil {
			return err
		}
	} else {
		for _, d := range ds {
			fmt.Fprintln(stdout, d.String())
			// What an [[accept]] entry names to accept this finding.
			if d.Rule != "" && d.Target != "" && d.Accepted == "" {
				fmt.Fprintf(stdout, "    target: %s\n", d.Target)
			}
		}
		fmt.Fprintln(stderr, summary(ds))
	}
	if ds.HasErrors() {
		return errReported
	}
	return nil
}

// summary counts findings: "2 errors, 17 warnings, 1 accepted".
func summary(ds notice.Diagnostics) string {
	e, w, a := counts(ds)
	plural := func(n int, s string) string {
		if n == 1 {
			return fmt.Sprintf("%d %s", n, s)
		}
		return fmt.Sprintf("%d %ss", n, s)
	}
	return fmt.Sprintf("%s, %s, %d accepted", plural(e, "error"), plural(w, "warning"), a)
}

func counts(ds notice.Diagnostics) (errs, warns, accepted int) {
	for _, d := range ds {
		switch {
		case d.Accepted != "":
			accepted++
		case d.Severity == notice.Error:
			errs++
		default:
			warns++
		}
	}
	return
}

type jsonFinding struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Col      int    `json:"col"`
	Path     string `json:"path,omitempty"`
	Severity string `json:"severity"`
	Rule     string `json:"rule,omitempty"`
	Target   string `json:"target,omitempty"`
	Message  string `json:"message"`
	Accepted string `json:"accepted,omitempty"`
}

func writeFindingsJSON(w io.Writer, ds notice.Diagnostics) error {
	out := struct {
		Errors   int           `json:"errors"`
		Warnings int           `json:"warnings"`
		Accepted int           `json:"accepted"`
		Findings []jsonFinding `json:"findings"`
	}{Findings: []jsonFinding{}}
	out.Errors, out.Warnings, out.Accepted = counts(ds)
	for _, d := range ds {
		out.Findings = append(out.Findings, jsonFinding{
			File: d.Pos.File, Line: d.Pos.Line, Col: d.Pos.Col, Path: d.Pos.Path,
			Severity: string(d.Severity), Rule: d.Rule, Target: d.Target,
			Message: d.Message, Accepted: d.Accepted,
		})
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return fmt.Errorf("lint: %w", err)
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

func printRules(w io.Writer, format string) error {
	rules := lint.Rules()
	if format == "json" {
		type jr struct {
			ID       string `json:"id"`
			Severity string `json:"severity"`
			Group    string `json:"group"`
			Ref      string `json:"ref,omitempty"`
			Doc      string `json:"doc"`
		}
		var out []jr
		for _, r := range rules {
			out = append(out, jr{r.ID, string(r.Severity), r.Group, r.Ref, r.Doc})
		}
		b, err := json.MarshalIndent(out, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	}
	var b strings.Builder
	for _, r := range rules {
		fmt.Fprintf(&b, "%s (%s, %s", r.ID, r.Severity, r.Group)
		if r.Ref != "" {
			fmt.Fprintf(&b, "; %s", r.Ref)
		}
		fmt.Fprintf(&b, ")\n    %s\n", r.Doc)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
