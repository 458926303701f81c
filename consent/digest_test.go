package consent_test

import (
	"strings"
	"testing"
	"time"

	"github.com/integritet/integritet/consent"
)

// TestCanonicalCoversTheDigest checks that the hash covers the digest of
// the text a record was given on, and that a record without one (written
// before it was kept) encodes exactly as before, so its hash still holds.
func TestCanonicalCoversTheDigest(t *testing.T) {
	t.Parallel()
	r := consent.Record{
		Seq: 1, ID: "00000000000000000000000000000001", Subject: "00000000000000000000000000000002",
		Time:    time.Date(2026, 11, 24, 10, 0, 0, 123e6, time.UTC),
		Version: "2026.1", Revision: "3f2a9c0d1e4b5a67", Language: "sv", Method: "custom",
		Choices: map[string]bool{"statistics": true, "marketing": false},
	}
	old := consent.Hash(consent.GenesisHash, r)
	if old != "e9fc2cb7d79994fffa3122982cfda6cf6a3207b95db3540d41a00363d51cc522" {
		t.Fatalf("a record without a digest hashes to %s, not as before", old)
	}
	r.Digest = "sha256:" + strings.Repeat("ab", 32)
	if c := string(consent.Canonical(r)); !strings.HasSuffix(c, `,"gpc":false,"digest":"`+r.Digest+`"}`) {
		t.Errorf("canonical encoding does not end with the digest: %s", c)
	}
	with := consent.Hash(consent.GenesisHash, r)
	r.Digest = "sha256:" + strings.Repeat("cd", 32)
	if with == old || consent.Hash(consent.GenesisHash, r) == with {
		t.Error("the hash does not change with the digest")
	}
}

// TestCanonicalCoversTheDecisionID checks that the hash covers the
// browser's decision id, written last and only when set, so that records
// from before it was kept (digest or not) hash exactly as before.
func TestCanonicalCoversTheDecisionID(t *testing.T) {
	t.Parallel()
	r := consent.Record{
		Seq: 1, ID: "00000000000000000000000000000001", Subject: "00000000000000000000000000000002",
		Time:    time.Date(2026, 11, 24, 10, 0, 0, 123e6, time.UTC),
		Version: "2026.1", Revision: "3f2a9c0d1e4b5a67", Language: "sv", Method: "custom",
		Choices: map[string]bool{"statistics": true, "marketing": false},
		Digest:  "sha256:" + strings.Repeat("ab", 32),
	}
	const withDigest = "6f7f38ab3d7c133c7a7185763088fbea849aa795e7a02752e0b70028cddc5f47" // as the code before decision ids computed it
	if h := consent.Hash(consent.GenesisHash, r); h != withDigest {
		t.Fatalf("a record with a digest and no decision id hashes to %s, not as before (%s)", h, withDigest)
	}
	r.Decision = "a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5"
	want := `{"seq":1,"record_id":"00000000000000000000000000000001","subject":"00000000000000000000000000000002",` +
		`"time":"2026-11-24T10:00:00.123Z","version":"2026.1","revision":"3f2a9c0d1e4b5a67","language":"sv","method":"custom",` +
		`"choices":{"marketing":false,"statistics":true},"gpc":false,"digest":"sha256:` + strings.Repeat("ab", 32) + `",` +
		`"decision_id":"a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5"}`
	if c := string(consent.Canonical(r)); c != want {
		t.Errorf("canonical encoding\n%s\nwant\n%s", c, want)
	}
	with := consent.Hash(consent.GenesisHash, r)
	if with == withDigest {
		t.Error("the hash does not change with the decision id")
	}
	r.Decision = "a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d6"
	if consent.Hash(consent.GenesisHash, r) == with {
		t.Error("the hash does not depend on the decision id's value")
	}
}

// TestRecordCarriesThePolicyDigest checks that the endpoint stores the
// digest of the current text with each record.
func TestRecordCarriesThePolicyDigest(t *testing.T) {
	t.Parallel()
	p := testPolicy()
	p.Digest = "sha256:" + strings.Repeat("12", 32)
	st := openStore(t)
	h := consent.NewServer(nil, st, p, consent.Options{Now: func() time.Time { return testNow }, Rand: &counter{}, Rate: -1})
	if w := post(t, h, good, "Origin", site); w.Code != 201 {
		t.Fatalf("POST: %d %s", w.Code, w.Body)
	}
	var got []consent.Record
	if err := st.Scan(t.Context(), func(r consent.Record) error { got = append(got, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Digest != p.Digest {
		t.Fatalf("stored records %+v, want one with digest %s", got, p.Digest)
	}
}
