package sqlstore

import (
	"fmt"
	"testing"
	"time"

	"github.com/integritet/integritet/consent"
)

func TestBatchStoresEachDecisionOnce(t *testing.T) {
	t.Parallel()
	rec := func(id, decision string) consent.Record {
		return consent.Record{ID: id, Subject: "0123456789abcdef0123456789abcdef", Time: time.Unix(1, 0), Decision: decision, Choices: map[string]bool{}}
	}
	stored := consent.Record{ID: "stored", Seq: 3, Hash: "h3", Decision: "d1"}
	tests := []struct {
		name   string
		batch  []consent.Record
		stored map[string]consent.Record
		fresh  string // indexes stored
		out    string // record id and seq each append returns
	}{
		{"no decision ids", []consent.Record{rec("a", ""), rec("b", "")}, nil, "[0 1]", "[a/11 b/12]"},
		{"stored before", []consent.Record{rec("a", "d1"), rec("b", "d2")}, map[string]consent.Record{"d1": stored}, "[1]", "[stored/3 b/11]"},
		{"repeated in the batch", []consent.Record{rec("a", "d2"), rec("b", ""), rec("c", "d2"), rec("d", "d2")}, nil, "[0 1]", "[a/11 b/12 a/11 a/11]"},
		{"stored and repeated", []consent.Record{rec("a", "d1"), rec("b", "d1")}, map[string]consent.Record{"d1": stored}, "[]", "[stored/3 stored/3]"},
	}
	for _, tc := range tests {
		b := NewBatch(tc.batch, tc.stored)
		seq, hash := b.Link(10, "h10")
		var out []string
		for _, r := range b.Out {
			out = append(out, fmt.Sprintf("%s/%d", r.ID, r.Seq))
		}
		if got := fmt.Sprint(b.Fresh); got != tc.fresh {
			t.Errorf("%s: fresh %s, want %s", tc.name, got, tc.fresh)
		}
		if got := fmt.Sprint(out); got != tc.out {
			t.Errorf("%s: out %s, want %s", tc.name, got, tc.out)
		}
		if len(b.Fresh) == 0 && (seq != 10 || hash != "h10") {
			t.Errorf("%s: head moved to %d %s with nothing fresh", tc.name, seq, hash)
		}
		if n := len(b.Fresh); n > 0 && (seq != 10+int64(n) || hash != b.Out[b.Fresh[n-1]].Hash) {
			t.Errorf("%s: head %d %s", tc.name, seq, hash)
		}
	}
}
