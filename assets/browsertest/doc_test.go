package browsertest

// fixtureDir holds the company's own page and the gated resources it refers
// to; the notice pages, snippets and configuration come from the build.
const fixtureDir = "../../site/testdata/browser"
