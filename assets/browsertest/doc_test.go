package browsertest

// fixtureDir holds the hand-written pages and configuration of the browser tests.
const fixtureDir = "../../site/testdata/browser"
