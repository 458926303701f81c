// Package themes carries the default theme (layouts and stylesheet) so the
// binary can build and `init` sites anywhere. A site's own themes/<name>/
// folder overrides the file of the same name, file by file.
package themes

import "embed"

// FS holds default/layouts/*.html and default/assets/*.css.
//
//go:embed default
var FS embed.FS
