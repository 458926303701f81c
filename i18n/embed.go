// Package i18n carries the default UI strings (go-i18n TOML, one file per
// language) so that the binary can build and `init` sites anywhere. A site's
// own i18n/<lang>.toml overrides these strings one by one.
package i18n

import "embed"

// FS holds sv.toml, en.toml, de.toml and any other language files.
//
//go:embed *.toml
var FS embed.FS
