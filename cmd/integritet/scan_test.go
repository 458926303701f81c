package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/integritet/integritet/scan"
)

// TestScanRunningSite is the README's scan of a running site by URL:
// `integritet scan -pages 50 URL`, here against `integritet endpoint
// -public public` (the README's deploy command) on loopback. The folder
// forms of the README run in testdata/script/readme_scan.txtar.
func TestScanRunningSite(t *testing.T) {
	if _, err := scan.FindChromium(""); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("chromium is missing in CI; run: eval \"$(bash .ci/browser.sh)\" then go test ./cmd/integritet -run Scan")
		}
		t.Skip(`chromium is missing; run: eval "$(bash .ci/browser.sh)" then go test ./cmd/integritet -run Scan`)
	}
	dir := t.TempDir()
	public := filepath.Join(dir, "public")
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"build", "-source", "../..", "-out", public}, &out, &errOut); err != nil {
		t.Fatalf("build: %v\n%s", err, errOut.String())
	}
	base, stop := startEndpoint(t, "-db", "sqlite:"+filepath.Join(dir, "consent.db"), "-public", public, "-source", "../..")
	defer stop()
	out.Reset()
	errOut.Reset()
	if err := run(context.Background(), []string{"scan", "-source", "../..", "-offline", "-pages", "50", base + "/"}, &out, &errOut); err != nil {
		t.Fatalf("scan: %v\n%s%s", err, out.String(), errOut.String())
	}
	// The current pages (notice and history in two languages) and the
	// archived pages of every release, 2026.1 and 2026.2 (with what changed
	// since the version before); the root page, which refreshes itself
	// away, counts too when the machine is slow.
	want := regexp.MustCompile(`(?m)^scanned ` + regexp.QuoteMeta(base) + `: 1[45] pages x 3 passes: 0 errors, 0 warnings$`)
	if !want.MatchString(out.String()) {
		t.Errorf("scan printed:\n%s\nwant a line matching %s", out.String(), want)
	}
	if errOut.Len() > 0 {
		t.Errorf("scan wrote to stderr (no terminal, so no progress): %s", errOut.String())
	}
}

// On a terminal the scan shows how far each pass has got on one line,
// and clears it when done; elsewhere (CI logs, pipes) it prints nothing.
func TestScanProgressOnlyOnATerminal(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	quiet := newProgress(&b, 20)
	quiet.page(scan.Before, 1, "http://127.0.0.1/")
	quiet.done()
	if b.Len() != 0 {
		t.Errorf("progress written to a non-terminal: %q", b.String())
	}
	p := newProgress(&b, 20)
	p.tty = true
	p.page(scan.Before, 1, "http://127.0.0.1/")
	p.page(scan.Accept, 3, "http://127.0.0.1/en/")
	p.done()
	want := "\r\x1b[Kscan: before 1/20, reject 0/20, accept 0/20: http://127.0.0.1/" +
		"\r\x1b[Kscan: before 1/20, reject 0/20, accept 3/20: http://127.0.0.1/en/" +
		"\r\x1b[K"
	if b.String() != want {
		t.Errorf("progress %q, want %q", b.String(), want)
	}
}

// TestScanServesAFolderAsTheEndpointDoes: the folder a scan serves answers
// as `integritet endpoint -public` does (the same routes, from
// consent.Mount, the site under its base path), and the banner's own
// endpoint path, when it is not /api/consent, records the decision too.
func TestScanServesAFolderAsTheEndpointDoes(t *testing.T) {
	dir := t.TempDir()
	public := filepath.Join(dir, "public")
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"build", "-source", "../..", "-out", public}, &out, &errOut); err != nil {
		t.Fatalf("build: %v\n%s", err, errOut.String())
	}
	_, decision := framstegetDecision(t, "accept-all")
	for _, tc := range []struct{ prefix, path string }{
		{"", "/api/consent"},
		{"/legal", "/legal/api/consent"},
		{"/legal", "/samtycke"},
	} {
		t.Run(tc.prefix+tc.path, func(t *testing.T) {
			base, stop, err := serveFolder(context.Background(), public, "../..", tc.prefix, tc.path)
			if err != nil {
				t.Fatal(err)
			}
			defer stop()
			for p, want := range map[string]int{tc.prefix + "/sv/integritetspolicy/": 200, "/healthz": 200, "/readyz": 200, "/nowhere/": 404} {
				resp, err := http.Get(base + p)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != want {
					t.Errorf("GET %s: %d, want %d", p, resp.StatusCode, want)
				}
			}
			for i, p := range []string{tc.path, "/api/consent"} {
				resp, err := http.Post(base+p, "application/json", bytes.NewReader(decision))
				if err != nil {
					t.Fatal(err)
				}
				receipt, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 201 || !bytes.Contains(receipt, []byte(`"seq":`+strconv.Itoa(i+1)+`,`)) {
					t.Errorf("POST %s: %d %s, want 201 and seq %d", p, resp.StatusCode, receipt, i+1)
				}
			}
		})
	}
}
