package main

import (
	"context"
	"errors"
	"io"
)

func runLint(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("lint: not implemented yet")
}
