package sqlite_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/integritet/integritet/consent"
)

// Visit sees, in the verifying pass, every record that links into the
// chain and no altered one; an error from it stops the pass.
func TestVerifyVisitsTheRecordsOfTheChainOnly(t *testing.T) {
	t.Parallel()
	path, _, _ := chainWithAnchors(t)
	if _, err := rawDB(t, path).Exec(`UPDATE records SET language = 'en' WHERE seq = 5`); err != nil {
		t.Fatal(err)
	}
	s := open(t, path)
	defer s.Close()
	var seqs []int64
	v, err := consent.VerifyWith(context.Background(), s, consent.VerifyOptions{Visit: func(r consent.Record) error {
		seqs = append(seqs, r.Seq)
		return nil
	}})
	if err != nil || v.Broken == nil || v.Broken.Seq != 5 {
		t.Fatalf("verify: %v, broken %v", err, v.Broken)
	}
	if want := []int64{1, 2, 3, 4, 6, 7, 8, 9, 10}; !slices.Equal(seqs, want) {
		t.Errorf("visited %v, want %v", seqs, want)
	}
	stop := errors.New("enough")
	n := 0
	_, err = consent.VerifyWith(context.Background(), s, consent.VerifyOptions{Visit: func(consent.Record) error {
		if n++; n == 3 {
			return stop
		}
		return nil
	}})
	if !errors.Is(err, stop) || n != 3 {
		t.Errorf("Visit's error: %v after %d records, want it returned after 3", err, n)
	}
}
