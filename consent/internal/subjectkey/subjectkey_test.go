package subjectkey

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func testKey(t *testing.T) Key {
	t.Helper()
	k, err := New([]byte("0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// Ids issued later have index keys that sort later, whatever their
// random bits; the ids themselves show no such order.
func TestIssuedIdsIndexInTimeOrder(t *testing.T) {
	t.Parallel()
	k := testKey(t)
	t0 := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	high, low := bytes.Repeat([]byte{0xff}, 6), make([]byte, 6)
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
		a, b := k.Issue(tt.early, tt.earlyR), k.Issue(tt.late, tt.lateR)
		ka, oka := k.Index(a)
		kb, okb := k.Index(b)
		if !oka || !okb {
			t.Fatalf("%s: issued ids %s %s have no index key", tt.name, a, b)
		}
		if bytes.Compare(ka[:], kb[:]) >= 0 {
			t.Errorf("%s: index key %x is not before %x", tt.name, ka, kb)
		}
		if a[:12] == b[:12] {
			t.Errorf("%s: %s and %s share their first 48 bits: the time shows", tt.name, a, b)
		}
	}
	if got := k.Issue(t0, low); got != strings.ToLower(got) || len(got) != 32 {
		t.Errorf("id %q is not 32 lowercase hex digits", got)
	}
}

// An index key decodes the time and the random bits back: the key is a
// permutation, so nothing is lost.
func TestIndexInvertsIssue(t *testing.T) {
	t.Parallel()
	k := testKey(t)
	t0 := time.Date(2026, 11, 24, 10, 0, 0, 123_000_000, time.UTC)
	random := []byte("six b!")
	key, ok := k.Index(k.Issue(t0, random))
	if !ok {
		t.Fatal("no index key")
	}
	var ms uint64
	for _, b := range key[:6] {
		ms = ms<<8 | uint64(b)
	}
	if got := time.UnixMilli(int64(ms)).UTC(); !got.Equal(t0) || !bytes.Equal(key[6:12], random[len(random)-6:]) || !bytes.Equal(key[12:], make([]byte, 4)) {
		t.Errorf("index key %x: time %v random %q", key, got, key[6:])
	}
}

func TestIndexRejectsWhatIsNotAnId(t *testing.T) {
	t.Parallel()
	k := testKey(t)
	for _, s := range []string{"", "0123", strings.Repeat("A", 32), strings.Repeat("g", 32), strings.Repeat("0", 33)} {
		if _, ok := k.Index(s); ok {
			t.Errorf("Index(%q) ok", s)
		}
	}
	if k.Issued(strings.Repeat("0", 32)) || k.Issued("zz") {
		t.Error("a made-up id counts as issued")
	}
	if !k.Issued(k.Issue(time.Now(), []byte("random"))) {
		t.Error("an issued id does not count as issued")
	}
	if _, err := New([]byte("short")); err == nil {
		t.Error("New accepted a 5-byte secret")
	}
}

func FuzzIndex(f *testing.F) {
	f.Add("00000000000000000000000000000000")
	f.Add("zz")
	k, _ := New([]byte("0123456789abcdef"))
	f.Add(k.Issue(time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), []byte("random")))
	f.Fuzz(func(t *testing.T, s string) {
		key, ok := k.Index(s)
		if !ok {
			return
		}
		var ms uint64
		for _, b := range key[:6] {
			ms = ms<<8 | uint64(b)
		}
		again := k.Issue(time.UnixMilli(int64(ms)), key[6:12])
		if k.Issued(s) != (again == s) {
			t.Fatalf("Issued(%q) = %v, but Issue(Index(it)) = %q", s, k.Issued(s), again)
		}
	})
}
