package consent

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"time"
)

// GenesisHash is the PrevHash of the first record of a chain.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// TimeFormat is how record times are written in receipts, exports and the
// canonical encoding: UTC with exactly three fractional digits.
const TimeFormat = "2006-01-02T15:04:05.000Z"

// Canonical returns the canonical encoding of r that its hash covers: a
// JSON object with the fields in this fixed order, choices sorted by key,
// no insignificant white space:
//
//	{"seq":1,"record_id":"…","subject":"…","time":"2026-11-24T10:00:00.123Z",
//	 "version":"…","revision":"…","language":"…","method":"…",
//	 "choices":{"marketing":false,"statistics":true},"gpc":false,
//	 "digest":"sha256:…","decision_id":"…"}
//
// PrevHash and Hash are not part of it. The digest and the decision id are
// written only when the record has them, so records from before they were
// kept hash as they did.
func Canonical(r Record) []byte { return appendCanonical(make([]byte, 0, 320), r) }

func appendCanonical(b []byte, r Record) []byte {
	b = append(b, `{"seq":`...)
	b = strconv.AppendInt(b, r.Seq, 10)
	b = appendField(b, "record_id", r.ID)
	b = appendField(b, "subject", r.Subject)
	b = append(b, `,"time":"`...)
	b = r.Time.UTC().AppendFormat(b, TimeFormat)
	b = append(b, '"')
	b = appendField(b, "version", r.Version)
	b = appendField(b, "revision", r.Revision)
	b = appendField(b, "language", r.Language)
	b = appendField(b, "method", r.Method)
	b = append(b, `,"choices":`...)
	b = appendChoices(b, r.Choices)
	b = append(b, `,"gpc":`...)
	b = strconv.AppendBool(b, r.GPC)
	if r.Digest != "" {
		b = appendField(b, "digest", r.Digest)
	}
	if r.Decision != "" {
		b = appendField(b, "decision_id", r.Decision)
	}
	return append(b, '}')
}

func appendField(b []byte, name, value string) []byte {
	b = append(b, ',', '"')
	b = append(b, name...)
	b = append(b, '"', ':')
	return appendString(b, value)
}

// appendString appends s as encoding/json writes it (HTML-safe escapes
// included), without its allocation for the common plain case.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always marshals
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendChoices writes choices as a JSON object sorted by key. The same
// bytes are what the stores keep in their choices column.
func appendChoices(b []byte, choices map[string]bool) []byte {
	var buf [8]string
	keys := buf[:0]
	for k := range choices {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		b = strconv.AppendBool(b, choices[k])
	}
	return append(b, '}')
}

// EncodeChoices returns choices as a canonical JSON object (sorted keys),
// the form the stores keep.
func EncodeChoices(choices map[string]bool) string { return string(appendChoices(nil, choices)) }

// DecodeChoices reads what EncodeChoices wrote.
func DecodeChoices(s string) (map[string]bool, error) {
	m := map[string]bool{}
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, err
	}
	return m, nil
}

// Hash returns the chain hash of r: lowercase hex SHA-256 over the ASCII
// previous hash, a newline, and Canonical(r). An auditor can recompute it
// without this code: printf '%s\n%s' "$prev_hash" "$canonical" | sha256sum.
func Hash(prevHash string, r Record) string {
	var buf [512]byte // a typical record fits: no allocation but the result
	b := append(buf[:0], prevHash...)
	b = append(b, '\n')
	sum := sha256.Sum256(appendCanonical(b, r))
	return hex.EncodeToString(sum[:])
}

// Link sets r's Seq, PrevHash and Hash as the successor of (seq, hash) and
// returns it. Stores call it inside their append transaction, after reading
// the chain head there.
func Link(r Record, prevSeq int64, prevHash string) Record {
	r.Seq = prevSeq + 1
	r.PrevHash = prevHash
	r.Time = r.Time.UTC().Truncate(time.Millisecond)
	r.Hash = Hash(prevHash, r)
	return r
}
