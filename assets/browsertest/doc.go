// Package browsertest holds the tests of the cookie-consent banner
// (assets/consent.js and assets/consent.css) on the real build of
// FRAMSTEGET's site (package site): its size budget and its behaviour in
// headless Chromium.
package browsertest
