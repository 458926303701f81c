package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/integritet/integritet/scan"
)

// TestMain lets the scripts run `integritet` as a command: the test binary
// re-executes itself as the CLI.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"integritet": func() {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
			stop()
			if err != nil {
				if !errors.Is(err, errReported) {
					fmt.Fprintln(os.Stderr, "integritet:", err)
				}
				os.Exit(exitCode(err))
			}
		},
	})
}

// TestScripts runs the CLI scenarios in testdata/script, one .txtar each,
// inputs inline. $REPO is the repository root, for scripts that run the
// README's commands on FRAMSTEGET's own content. The condition [browser]
// holds where Chromium is installed, and always in CI (CI=true), so that a
// script guarded by [!browser] skip fails there instead of skipping.
func TestScripts(t *testing.T) {
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("REPO", repo)
			return nil
		},
		Condition: func(cond string) (bool, error) {
			if cond != "browser" {
				return false, fmt.Errorf("unknown condition %q", cond)
			}
			if os.Getenv("CI") == "true" {
				return true, nil
			}
			_, err := scan.FindChromium("")
			return err == nil, nil
		},
	})
}
