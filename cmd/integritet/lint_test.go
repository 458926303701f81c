package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
)

// TestLintReportsTheSeedsGaps runs lint on the shipped FRAMSTEGET content:
// it passes (warnings only) and names the gaps of the design note.
func TestLintReportsTheSeedsGaps(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"lint", "-source", "../.."}, &out, &errOut); err != nil {
		t.Fatalf("lint: %v\n%s%s", err, out.String(), errOut.String())
	}
	for _, want := range []string{
		`content/notice.toml:\d+:\d+: warning: authority.name names "Datainspektionen"`,
		`content/notice.toml:\d+:\d+: warning: org_nr "690715-6209" has the form of a personnummer`,
		"[dpo]", "[transfers]", "[retention-conflict]", "[stale-gdpr-date]", "[stale-signed-request]",
		"[marketing-consent]", "\"portability\"", "\"withdraw-consent\"", "[automated-decisions]", "[data-source]",
		"[basis-fits-purpose]", "[requirement]",
		// Stale fact 8: the security purpose's requirement is the first
		// purpose's, "betalningsskyldighet kvarstår" and all.
		`warning: purpose "security" states word for word the requirement of purpose "service-provision"`,
	} {
		if !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(out.String()) && !regexp.MustCompile(want).MatchString(out.String()) {
			t.Errorf("lint output lacks %q:\n%s", want, out.String())
		}
	}
	if !strings.Contains(errOut.String(), "0 errors") {
		t.Errorf("summary: %s", errOut.String())
	}
}

func TestLintStrictAndJSON(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"lint", "-source", "../..", "-strict", "-format", "json"}, &out, &errOut)
	if !errors.Is(err, errReported) || exitCode(err) != 1 {
		t.Fatalf("lint -strict: err = %v, want exit status 1", err)
	}
	var v struct {
		Errors   int
		Findings []struct{ File, Severity, Rule, Message string }
	}
	if err := json.Unmarshal(out.Bytes(), &v); err != nil {
		t.Fatalf("-format json: %v\n%s", err, out.String())
	}
	if v.Errors == 0 || len(v.Findings) != v.Errors {
		t.Errorf("-strict json: %d errors, %d findings", v.Errors, len(v.Findings))
	}
	if f := v.Findings[0]; f.File == "" || f.Rule == "" || f.Severity != "error" {
		t.Errorf("finding %+v", f)
	}
}

func TestLintUsage(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"lint", "-format", "xml"}, &out, &errOut); exitCode(err) != 2 {
		t.Errorf("bad -format: err = %v, want exit status 2", err)
	}
	if err := run(context.Background(), []string{"lint", "-rules"}, &out, &errOut); err != nil || !strings.Contains(out.String(), "retention-conflict (warning, consistency") {
		t.Errorf("-rules: %v\n%s", err, out.String())
	}
}
