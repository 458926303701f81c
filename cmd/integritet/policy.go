package main

import (
	"errors"

	"github.com/integritet/integritet/consent"
)

// loadPolicy builds the endpoint's policy from the notice under
// sourceDir/content, so that categories and revision come from the same
// source as the published notice.
//
// TODO: build from notice.Load once package notice lands.
func loadPolicy(sourceDir string, extraOrigins []string) (consent.Policy, error) {
	return consent.Policy{}, errors.New("loading the notice is not available yet (package notice)")
}
