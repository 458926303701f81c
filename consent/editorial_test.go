package consent_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/integritet/integritet/consent"
)

// earlierPolicy is the policy of version 2026.2 (revision ...aa) whose
// release kept version 2026.1 (revision rev, the one of good) valid.
func earlierPolicy() consent.Policy {
	p := testPolicy()
	p.Revision, p.Version, p.Digest = "00000000000000aa", "2026.2", "sha256:"+strings.Repeat("22", 32)
	p.Earlier = []consent.Release{{Version: "2026.1", Revision: rev, Digest: "sha256:" + strings.Repeat("11", 32)}}
	return p
}

// TestEarlierReleasesAreTakenWithTheirDigest checks that a decision made
// on a page of an earlier release that the current one keeps valid is
// taken and recorded with the digest of what that page showed, and that
// only published (revision, version) pairs are taken.
func TestEarlierReleasesAreTakenWithTheirDigest(t *testing.T) {
	t.Parallel()
	p := earlierPolicy()
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	st := openStore(t)
	h := consent.NewServer(nil, st, p, consent.Options{Now: func() time.Time { return testNow }, Rand: &counter{}, Rate: -1})
	pair := func(revision, version string) string {
		return strings.Replace(strings.Replace(good, rev, revision, 1), `"2026.1"`, `"`+version+`"`, 1)
	}
	tests := []struct {
		revision, version string
		status            int
		digest            string
	}{
		{rev, "2026.1", 201, p.Earlier[0].Digest},
		{"00000000000000aa", "2026.2", 201, p.Digest},
		{rev, "2026.2", 409, ""},                // the earlier revision under the current version: no page sends it
		{"00000000000000aa", "2026.1", 409, ""}, // nor this
		{"00000000000000bb", "2026.1", 409, ""},
	}
	var want []string
	for _, tc := range tests {
		w := post(t, h, pair(tc.revision, tc.version), "Origin", site)
		if w.Code != tc.status {
			t.Errorf("revision %s version %s: %d %s, want %d", tc.revision, tc.version, w.Code, w.Body, tc.status)
		}
		if tc.status == 409 && !strings.Contains(w.Body.String(), `"current_revision":"00000000000000aa","current_version":"2026.2"`) {
			t.Errorf("409 without the current revision and version: %s", w.Body)
		}
		if tc.digest != "" {
			want = append(want, tc.version+" "+tc.digest)
		}
	}
	var got []string
	if err := st.Scan(t.Context(), func(r consent.Record) error { got = append(got, r.Version+" "+r.Digest); return nil }); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("stored version and digest:\n%q\nwant\n%q", got, want)
	}
}

func TestPolicyValidateChecksEarlierReleases(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit func(*consent.Policy)
		want string
	}{
		{"malformed revision", func(p *consent.Policy) { p.Earlier[0].Revision = "not-hex" }, `policy earlier release "2026.1": revision "not-hex": want 16 lowercase hex digits`},
		{"malformed digest", func(p *consent.Policy) { p.Earlier[0].Digest = "md5:00" }, `policy earlier release "2026.1": digest "md5:00": want sha256: and 64 lowercase hex digits`},
		{"no version", func(p *consent.Policy) { p.Earlier[0].Version = "" }, `policy earlier release without a version`},
		{"the current version again", func(p *consent.Policy) { p.Earlier[0].Version = "2026.2" }, `policy release "2026.2" listed twice`},
		{"current digest", func(p *consent.Policy) { p.Digest = "sha256:AB" }, `policy digest "sha256:AB": want sha256: and 64 lowercase hex digits`},
	}
	for _, tc := range tests {
		p := earlierPolicy()
		tc.edit(&p)
		if err := p.Validate(); err == nil || err.Error() != tc.want {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestMismatchIsLoggedOncePerPair checks that decisions for a notice the
// endpoint does not take (the site rebuilt, the endpoint not restarted)
// give one warning per (revision, version) pair saying what to do, however
// many arrive and however fast, and that the pairs remembered are bounded.
func TestMismatchIsLoggedOncePerPair(t *testing.T) {
	t.Parallel()
	var logs syncBuf
	h := consent.NewServer(slog.New(slog.NewTextHandler(&logs, nil)), openStore(t), earlierPolicy(),
		consent.Options{Now: func() time.Time { return testNow }, Rand: &counter{}, Rate: -1})
	rebuilt := strings.Replace(strings.Replace(good, rev, "0123456789abcdef", 1), `"2026.1"`, `"2026.3"`, 1)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 25 {
				if w := post(t, h, rebuilt, "Origin", site); w.Code != 409 {
					t.Errorf("decision for an unpublished notice: %d %s", w.Code, w.Body)
				}
			}
		})
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("%d log lines for 200 decisions of one pair, want 1:\n%s", len(lines), logs.String())
	}
	for _, want := range []string{"level=WARN", `notice revision 0123456789abcdef (version \"2026.3\")`,
		`it takes revision 00000000000000aa, version \"2026.2\", and the earlier versions \"2026.1\"`,
		"restart `integritet endpoint` on the content the site was built from", "revision=0123456789abcdef", "version=2026.3"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("the warning lacks %q:\n%s", want, lines[0])
		}
	}
	// Many more pairs (they come from outside): one line each up to the
	// bound, then one line saying that more come.
	for i := range 100 {
		post(t, h, strings.Replace(rebuilt, `"2026.3"`, fmt.Sprintf(`"x%d"`, i), 1), "Origin", site)
		post(t, h, strings.Replace(rebuilt, `"2026.3"`, fmt.Sprintf(`"x%d"`, i), 1), "Origin", site)
	}
	lines = strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 64+1 || !strings.Contains(lines[64], "more than 64 notice revisions and versions") {
		t.Errorf("%d lines after 101 pairs, want 65, the last saying more come:\n%s", len(lines), lines[len(lines)-1])
	}
	if n := bytes.Count([]byte(logs.String()), []byte("version=x62\n")); n != 1 {
		t.Errorf("pair x62 logged %d times", n)
	}
}
