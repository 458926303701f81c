// Package assets carries the consent banner (consent.js, consent.css) so the
// binary can build and `init` sites anywhere. A site's own assets/ folder
// overrides the file of the same name. The banner's API is in README.md.
package assets

import "embed"

// FS holds consent.js and consent.css (the first layer and all that runs
// without the settings), consent-settings.js and consent-settings.css (the
// settings, loaded when first opened).
//
//go:embed consent.js consent.css consent-settings.js consent-settings.css
var FS embed.FS
