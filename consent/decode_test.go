package consent

import (
	"reflect"
	"testing"
)

// FuzzDecodeFastPathAgrees checks that the fast decoder and the general one
// agree on every input: same problems, same decision.
func FuzzDecodeFastPathAgrees(f *testing.F) {
	for _, s := range []string{
		`{"revision":"3f2a9c0d1e4b5a67","version":"2026.1","language":"sv","method":"custom","choices":{"statistics":true,"marketing":false}}`,
		` { "subject" : "0123456789abcdef0123456789abcdef" , "choices" : { } } `,
		`{"choices":{"a":true,"a":false,"b":"x"},"x":{},"method":true}`,
		`{"id":"a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5","revision":"3f2a9c0d1e4b5a67","version":"2026.1","language":"sv","method":"custom","choices":{"statistics":true,"marketing":false}}`,
		`{"id":"A0B1","id":"a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5","subject":"0123456789abcdef0123456789abcdef"}`, `{"id":"\u0061","id":1}`, `{"id":null}`,
		`{"revision":"\u0033f2a"}`, `{"a":1}`, `{}`, `{"version":"é"}`, "{\"version\":\"\xff\"}", `{"choices":{"a":truex}}`,
	} {
		f.Add(s)
	}
	p := Policy{Revision: "3f2a9c0d1e4b5a67", Version: "2026.1", Categories: []string{"statistics", "marketing"}, Languages: []string{"sv", "en"}}
	fields := decisionFields(p)
	f.Fuzz(func(t *testing.T, body string) {
		var fast, slow decision
		pf := decode([]byte(body), &fast, fields)
		ps := decodeSlow([]byte(body), &slow, fields)
		if !reflect.DeepEqual(pf, ps) {
			t.Fatalf("%q:\nfast %v\nslow %v", body, pf, ps)
		}
		if len(pf) == 0 && !reflect.DeepEqual(fast, slow) {
			t.Fatalf("%q:\nfast %+v\nslow %+v", body, fast, slow)
		}
	})
}
