// Package browsertest holds the tests of the cookie-consent banner
// (assets/consent.js and assets/consent.css): its size budget and its
// behaviour in headless Chromium. It moves into package site once the build
// lands there.
package browsertest
