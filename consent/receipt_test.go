package consent

import (
	"encoding/json"
	"testing"
)

// The POST answer is written by hand; it must be what encoding/json writes.
func TestReceiptJSONMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	tests := []Receipt{
		{},
		{RecordID: "00000000000000000000000000000001", Subject: "01a20cff7d7b00000000000000000002",
			Time: "2026-11-24T10:00:00.123Z", Revision: "3f2a9c0d1e4b5a67", Hash: GenesisHash, Seq: 12},
		{RecordID: "00000000000000000000000000000001", Subject: "01a20cff7d7b00000000000000000002",
			Time: "2026-11-24T10:00:00.123Z", Revision: "3f2a9c0d1e4b5a67", Hash: GenesisHash, Seq: 12, DecisionID: "a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5"},
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
