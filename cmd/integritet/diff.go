package main

import (
	"context"
	"errors"
	"io"
)

func runDiff(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("diff: not implemented yet")
}
