// Package subjectkey issues subject ids that are 128 bits and look random to
// anyone without the store's key, yet sort by issue time once decrypted with
// it. A store indexes the decrypted form, so the index of a store that takes
// thousands of new visitors a second grows at its right edge instead of
// dirtying a random page for each one.
//
// The plaintext of an issued id is 48 bits of Unix milliseconds, 48 random
// bits and 32 zero bits; the id is its AES-128 encryption under the store's
// key. The zero bits make ids verifiable: a made-up id decrypts to them with
// a probability of 2^-32 (Issued). AES is a permutation, so every 128-bit
// value still decrypts to one index key: ids issued before a store had a
// key (or before the zero bits, which took 80 random bits) still have an
// index key, just not a time-ordered one. The key hides only the time of a visitor's first
// decision, which the store holds anyway; it is kept in the store.
package subjectkey

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/hex"
	"fmt"
	"time"
)

// Size is the size of a key, of an id and of an index key, in bytes.
const Size = 16

// Key issues and indexes subject ids.
type Key struct{ block cipher.Block }

// New returns the Key of a store's 16-byte secret.
func New(secret []byte) (Key, error) {
	if len(secret) != Size {
		return Key{}, fmt.Errorf("subject key: %d bytes, want %d", len(secret), Size)
	}
	b, err := aes.NewCipher(secret)
	if err != nil {
		return Key{}, fmt.Errorf("subject key: %w", err)
	}
	return Key{b}, nil
}

// Issue returns a new subject id, 32 lowercase hex digits, for a first
// decision at t from the last 6 bytes of random, which must be random.
func (k Key) Issue(t time.Time, random []byte) string {
	var plain, id [Size]byte
	ms := uint64(t.UnixMilli())
	for i := range 6 {
		plain[i] = byte(ms >> (40 - 8*i))
	}
	copy(plain[6:12], random[len(random)-6:])
	k.block.Encrypt(id[:], plain[:])
	return hex.EncodeToString(id[:])
}

// Index returns the index key of a subject id; ok is false when subject is
// not 32 lowercase hex digits, and then no record can have it.
func (k Key) Index(subject string) (key [Size]byte, ok bool) {
	var id [Size]byte
	if len(subject) != 2*Size {
		return key, false
	}
	for i := range id {
		hi, ok1 := nibble(subject[2*i])
		lo, ok2 := nibble(subject[2*i+1])
		if !ok1 || !ok2 {
			return key, false
		}
		id[i] = hi<<4 | lo
	}
	k.block.Decrypt(key[:], id[:])
	return key, true
}

// Issued reports whether subject is an id Issue could have returned under
// this key: its index key ends in 32 zero bits.
func (k Key) Issued(subject string) bool {
	key, ok := k.Index(subject)
	return ok && key[12] == 0 && key[13] == 0 && key[14] == 0 && key[15] == 0
}

func nibble(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}
