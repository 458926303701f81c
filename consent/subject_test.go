package consent

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// Subjects issued later sort later whatever their random bits, so a
// store's subject index grows at its end.
func TestNewSubjectSortsByTime(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	high, low := bytes.Repeat([]byte{0xff}, 10), make([]byte, 10)
	tests := []struct {
		name          string
		early, late   time.Time
		earlyR, lateR []byte
	}{
		{"one millisecond apart", t0, t0.Add(time.Millisecond), high, low},
		{"one year apart", t0, t0.AddDate(1, 0, 0), high, low},
		{"same millisecond, random decides", t0, t0, low, high},
	}
	for _, tt := range tests {
		a, b := newSubject(tt.early, tt.earlyR), newSubject(tt.late, tt.lateR)
		if !(a < b) {
			t.Errorf("%s: %s is not before %s", tt.name, a, b)
		}
		for _, s := range []string{a, b} {
			if !hex32.MatchString(s) {
				t.Errorf("%s: %q is not 32 lowercase hex digits", tt.name, s)
			}
		}
	}
	if got, want := newSubject(t0, low)[:12], "01a20cff7d00"; got != want {
		t.Errorf("time prefix %s, want %s (Unix ms, big-endian)", got, want)
	}
}

// The POST answer is written by hand; it must be what encoding/json writes.
func TestReceiptJSONMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	tests := []receipt{
		{},
		{RecordID: "00000000000000000000000000000001", Subject: "01a20cff7d7b00000000000000000002",
			Time: "2026-11-24T10:00:00.123Z", Revision: "3f2a9c0d1e4b5a67", Hash: GenesisHash},
		{RecordID: `a"b\c`, Subject: "<script>&", Time: "\x00\n\u2028", Revision: "é", Hash: "\xff"},
	}
	for _, rc := range tests {
		want, err := json.Marshal(rc)
		if err != nil {
			t.Fatal(err)
		}
		if got := rc.appendJSON(nil); string(got) != string(want) {
			t.Errorf("appendJSON:\n got %s\nwant %s", got, want)
		}
	}
}
