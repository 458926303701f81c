// Package docs carries the reference of the notice's TOML (reference.md,
// generated from the schema by go test ./notice -update), so that
// `integritet init` can write it beside a new site's content.
package docs

import "embed"

// FS holds reference.md.
//
//go:embed reference.md
var FS embed.FS
