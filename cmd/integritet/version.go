package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
)

// version is the release of integritet; set with -ldflags "-X main.version=..."
// by release builds, otherwise taken from the module's build information.
var version = ""

func runVersion(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("version", "", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	v := version
	if v == "" {
		v = "(devel)"
		if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
			v = bi.Main.Version
		}
	}
	fmt.Fprintf(stdout, "integritet %s\n", v)
	return nil
}
