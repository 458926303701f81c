package consent_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/integritet/integritet/consent"
)

// TestEditorialReleaseKeepsEarlierRevisionValid checks that a revision a
// release recorded as editorial (Policy.Accepts) is taken as current, and
// that any other earlier revision is turned away.
func TestEditorialReleaseKeepsEarlierRevisionValid(t *testing.T) {
	t.Parallel()
	p := testPolicy()
	p.Revision = "00000000000000aa"
	p.Accepts = []string{rev}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	h := consent.NewServer(slog.New(slog.DiscardHandler), openStore(t), p, consent.Options{Now: func() time.Time { return testNow }, Rand: &counter{}, Rate: -1})
	if w := post(t, h, good, "Origin", site); w.Code != 201 {
		t.Errorf("POST under the revision kept valid: %d %s, want 201", w.Code, w.Body)
	}
	stale := strings.Replace(good, rev, "00000000000000bb", 1)
	if w := post(t, h, stale, "Origin", site); w.Code != 409 {
		t.Errorf("POST under another earlier revision: %d, want 409", w.Code)
	}
	p.Accepts = []string{"not-hex"}
	if err := p.Validate(); err == nil {
		t.Error("a malformed accepted revision passes Validate")
	}
}
