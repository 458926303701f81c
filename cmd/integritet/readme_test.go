package main

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeSaysHowToInstall: a newcomer finds in README.md how to install
// the binary, with the module path go.mod declares, and the Go version
// go.mod needs, so neither can go stale.
func TestReadmeSaysHowToInstall(t *testing.T) {
	t.Parallel()
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	path := regexp.MustCompile(`(?m)^module (\S+)$`).FindSubmatch(mod)
	goVersion := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(mod)
	if path == nil || goVersion == nil {
		t.Fatalf("go.mod without module or go line:\n%s", mod)
	}
	for _, want := range []string{
		"    go install " + string(path[1]) + "/cmd/integritet@latest\n",
		"It needs Go " + string(goVersion[1]) + " or later, the version `go.mod` names",
	} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("README.md does not say %q", want)
		}
	}
	if !regexp.MustCompile(`go test -race \./\.\.\.\n\nruns the whole test suite, in about \w+ minutes`).Match(readme) {
		t.Error("README.md does not say how long the suite takes")
	}
}
