package main

import (
	"context"
	"errors"
	"io"
)

func runInit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("init: not implemented yet")
}
