package main

import (
	"context"
	"errors"
	"io"
)

func runConsent(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return errors.New("consent: not implemented yet")
}
