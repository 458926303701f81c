package main

import (
	"context"
	"errors"
	"io"
)

func runEndpoint(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("endpoint: not implemented yet")
}
