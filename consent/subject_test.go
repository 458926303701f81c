package consent

import (
	"bytes"
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
