package consent_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/integritet/integritet/consent"
)

const (
	h1 = "1111111111111111111111111111111111111111111111111111111111111111"
	h2 = "2222222222222222222222222222222222222222222222222222222222222222"
)

func TestParseAnchorsNamesTheLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"log", `{"seq":1,"hash":"` + h1 + `","time":"2026-12-01T10:00:00.000Z"}` + "\n" + `{"seq":4,"hash":"` + h2 + `","time":"2026-12-01T10:10:00.000Z"}` + "\n", ""},
		{"published document", "{\"anchors\":[\n" + `{"seq":1,"hash":"` + h1 + `","time":"2026-12-01T10:00:00.000Z"}` + "\n]}\n", ""},
		{"empty", "", ""},
		{"bad hash", `{"seq":1,"hash":"xyz","time":"2026-12-01T10:00:00.000Z"}`, "a.jsonl:1: hash: want 64 lowercase hex digits"},
		{"missing seq", "\n\n" + `{"hash":"` + h1 + `","time":"2026-12-01T10:00:00.000Z"}`, "a.jsonl:3: seq: want a number"},
		{"local time", `{"seq":1,"hash":"` + h1 + `","time":"2026-12-01T11:00:00+01:00"}`, "a.jsonl:1: time: want UTC"},
		{"unknown key", `{"seq":1,"hash":"` + h1 + `","time":"2026-12-01T10:00:00.000Z","ip":"x"}`, `a.jsonl:1: anchor: json: unknown field "ip"`},
		{"going back", `{"seq":4,"hash":"` + h1 + `","time":"2026-12-01T10:00:00.000Z"}` + "\n" + `{"seq":3,"hash":"` + h2 + `","time":"2026-12-01T10:10:00.000Z"}`, "a.jsonl:2: anchor seq 3 after seq 4"},
		{"fork", `{"seq":4,"hash":"` + h1 + `","time":"2026-12-01T10:00:00.000Z"}` + "\n" + `{"seq":4,"hash":"` + h2 + `","time":"2026-12-01T10:10:00.000Z"}`, "the chain forked"},
		{"not JSON", "{\"seq\":1}\nnope", "a.jsonl: line 2: invalid JSON"},
		{"array", "[1]", "a.jsonl: line 1: want a JSON object"},
	}
	for _, tc := range tests {
		_, err := consent.ParseAnchors("a.jsonl", []byte(tc.in))
		if (err == nil) != (tc.want == "") || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestParseReceiptsTakesReceiptsAndHistories(t *testing.T) {
	t.Parallel()
	in := `{"record_id":"00000000000000000000000000000001","seq":1,"subject":"00000000000000000000000000000002","time":"2026-11-24T10:00:00.123Z","revision":"3f2a9c0d1e4b5a67","hash":"` + h1 + `"}
{"subject":"00000000000000000000000000000002","records":[
  {"record_id":"00000000000000000000000000000003","seq":2,"subject":"00000000000000000000000000000002","time":"2026-11-24T10:00:01.000Z","revision":"3f2a9c0d1e4b5a67","hash":"` + h2 + `","version":"2026.1","language":"sv","method":"custom","choices":{"statistics":true},"gpc":false,"prev_hash":"` + h1 + `"}],"next":2}
`
	rs, err := consent.ParseReceipts("r.json", []byte(in))
	if err != nil || len(rs) != 2 || rs[1].Seq != 2 || rs[1].PrevHash != h1 {
		t.Fatalf("%+v %v", rs, err)
	}
	_, err = consent.ParseReceipts("r.json", []byte("\n"+`{"record_id":"x","seq":0,"hash":"y"}`))
	for _, want := range []string{"r.json:2: receipt: record_id:", "seq: want a number", "hash: want 64"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("bad receipt: %v, want %q", err, want)
		}
	}
}

// FuzzParseAnchors: any file gives anchors or errors that name it, never
// a panic; what parses writes back and parses to the same anchors.
func FuzzParseAnchors(f *testing.F) {
	f.Add([]byte(`{"seq":1,"hash":"` + h1 + `","time":"2026-12-01T10:00:00.000Z"}` + "\n"))
	f.Add([]byte("{\"anchors\":[\n" + `{"seq":0,"hash":"` + consent.GenesisHash + `","time":"2026-12-01T10:00:00.000Z"}` + "\n]}\n"))
	f.Add([]byte(`{"anchors":[{"seq":-1}]} {"seq":"1"}`))
	f.Add([]byte("\xff{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		as, err := consent.ParseAnchors("f", data)
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, "f:") {
					t.Fatalf("error line %q does not name the file", line)
				}
			}
			return
		}
		var buf bytes.Buffer
		if err := consent.WriteAnchorDocument(&buf, as); err != nil {
			t.Fatal(err)
		}
		again, err := consent.ParseAnchors("f", buf.Bytes())
		if err != nil || len(again) != len(as) {
			t.Fatalf("written anchors do not parse back: %v\n%s", err, buf.Bytes())
		}
		for i := range as {
			if as[i].Seq != again[i].Seq || as[i].Hash != again[i].Hash || !as[i].Time.Equal(again[i].Time) || as[i].Time.Location() != time.UTC {
				t.Fatalf("anchor %d: %+v then %+v", i, as[i], again[i])
			}
		}
	})
}

// FuzzParseReceipts: any file gives receipts that are well formed or
// errors that name it, never a panic.
func FuzzParseReceipts(f *testing.F) {
	f.Add([]byte(`{"record_id":"00000000000000000000000000000001","seq":1,"subject":"00000000000000000000000000000002","time":"2026-11-24T10:00:00.123Z","revision":"3f2a9c0d1e4b5a67","hash":"` + h1 + `"}`))
	f.Add([]byte(`{"subject":"x","records":[{"seq":2,"choices":{"a":true},"gpc":true}],"next":1}`))
	f.Add([]byte(`{"records":null}[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := consent.ParseReceipts("f", data)
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, "f:") {
					t.Fatalf("error line %q does not name the file", line)
				}
			}
			return
		}
		for _, r := range rs {
			if r.Seq < 1 || len(r.Hash) != 64 || len(r.RecordID) != 32 {
				t.Fatalf("accepted receipt %+v", r)
			}
		}
	})
}
