package consent

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

// Anchor is the chain head as it was at Time, kept outside the database:
// in an append-only anchor log, and in copies that third parties fetch from
// the published /.well-known/consent-chain.json. Whoever can write to the
// database cannot change those copies, so VerifyWith proves that every
// anchored head is still in the chain at its seq with its hash.
type Anchor struct {
	Seq  int64
	Hash string
	Time time.Time // when the head was read, UTC
}

// anchorJSON is an anchor as the log and the published document write it:
//
//	{"seq":1204,"hash":"<64 hex>","time":"2026-12-01T21:00:00.000Z"}
type anchorJSON struct {
	Seq  *int64 `json:"seq"`
	Hash string `json:"hash"`
	Time string `json:"time"`
}

func (a Anchor) appendJSON(b []byte) []byte {
	b = fmt.Appendf(b, `{"seq":%d,"hash":`, a.Seq)
	b = appendString(b, a.Hash)
	b = append(b, `,"time":"`...)
	b = a.Time.UTC().AppendFormat(b, TimeFormat)
	return append(b, `"}`...)
}

// MaxProofFile bounds an anchor or receipt file read by the commands.
const MaxProofFile = 64 << 20

// ParseAnchors reads an anchor log (JSON Lines, one anchor a line) or the
// published document ({"anchors":[...]}). name is used in errors, which
// give the line. Anchors must come in the order they were written: seq and
// time never go back, and one seq has one hash.
func ParseAnchors(name string, data []byte) ([]Anchor, error) {
	var out []Anchor
	var errs []error
	add := func(line int, v anchorJSON) {
		a, err := v.anchor()
		if err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %w", name, line, err))
			return
		}
		if n := len(out); n > 0 {
			p := out[n-1]
			switch {
			case a.Seq < p.Seq:
				errs = append(errs, fmt.Errorf("%s:%d: anchor seq %d after seq %d: anchors go forward", name, line, a.Seq, p.Seq))
				return
			case a.Seq == p.Seq && a.Hash != p.Hash:
				errs = append(errs, fmt.Errorf("%s:%d: seq %d anchored with two hashes, %s and %s: the chain forked", name, line, a.Seq, p.Hash, a.Hash))
				return
			case a.Time.Before(p.Time):
				errs = append(errs, fmt.Errorf("%s:%d: anchor time %s before the previous anchor's", name, line, a.Time.Format(TimeFormat)))
				return
			}
		}
		out = append(out, a)
	}
	err := eachJSON(data, func(line int, raw json.RawMessage) error {
		var doc struct {
			Anchors []json.RawMessage `json:"anchors"`
		}
		if bytes.Contains(raw, []byte(`"anchors"`)) && strictDecode(raw, &doc) == nil && doc.Anchors != nil {
			for _, r := range doc.Anchors {
				var v anchorJSON
				if err := strictDecode(r, &v); err != nil {
					return fmt.Errorf("%s:%d: anchor: %v", name, line, err)
				}
				add(line, v)
			}
			return nil
		}
		var v anchorJSON
		if err := strictDecode(raw, &v); err != nil {
			return fmt.Errorf("%s:%d: anchor: %v", name, line, err)
		}
		add(line, v)
		return nil
	})
	if err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", name, err))
	}
	return out, errors.Join(errs...)
}

func (v anchorJSON) anchor() (Anchor, error) {
	var errs []error
	if v.Seq == nil || *v.Seq < 0 {
		errs = append(errs, errors.New("seq: want a number, 0 or more"))
	}
	if !hex64.MatchString(v.Hash) {
		errs = append(errs, errors.New("hash: want 64 lowercase hex digits"))
	}
	t, err := time.Parse(TimeFormat, v.Time)
	if err != nil {
		errs = append(errs, fmt.Errorf("time: want UTC as %s", TimeFormat))
	}
	if len(errs) > 0 {
		return Anchor{}, oneLine(errs)
	}
	return Anchor{Seq: *v.Seq, Hash: v.Hash, Time: t}, nil
}

// oneLine joins the problems of one entry with "; ", so that each line of
// a file's errors is one entry, named by file and line.
func oneLine(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Error()
	}
	return errors.New(strings.Join(msgs, "; "))
}

// strictDecode decodes one JSON value into v: unknown keys are errors.
func strictDecode(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// eachJSON calls fn for every top-level JSON value in data, with the line
// it starts on. A syntax error names its line; fn's error stops it.
func eachJSON(data []byte, fn func(line int, raw json.RawMessage) error) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	lineAt := func(off int64) int { return 1 + bytes.Count(data[:min(int(off), len(data))], []byte("\n")) }
	for {
		start := dec.InputOffset()
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err == io.EOF {
			return nil
		}
		// The value starts after the white space that precedes it.
		for int(start) < len(data) && (data[start] == ' ' || data[start] == '\n' || data[start] == '\r' || data[start] == '\t') {
			start++
		}
		if err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) {
				return fmt.Errorf("line %d: invalid JSON: %v", lineAt(se.Offset), se)
			}
			return fmt.Errorf("line %d: invalid JSON: %v", lineAt(start), err)
		}
		if len(raw) == 0 || raw[0] != '{' {
			return fmt.Errorf("line %d: want a JSON object", lineAt(start))
		}
		if err := fn(lineAt(start), raw); err != nil {
			return err
		}
	}
}

// WriteAnchorDocument writes anchors as the published document,
// {"anchors":[...]}, one anchor a line so that copies diff well.
func WriteAnchorDocument(w io.Writer, anchors []Anchor) error {
	b := []byte("{\"anchors\":[\n")
	for i, a := range anchors {
		b = a.appendJSON(b)
		if i < len(anchors)-1 {
			b = append(b, ',')
		}
		b = append(b, '\n')
	}
	b = append(b, "]}\n"...)
	_, err := w.Write(b)
	return err
}

// AnchorLog is an append-only file of anchors, one JSON line each, synced
// to disk after every line. It is meant to live outside the database (and
// to be copied off the machine); see Anchor.
type AnchorLog struct {
	mu      sync.Mutex
	path    string
	f       *os.File
	anchors []Anchor
}

// OpenAnchorLog opens (creating if needed) the anchor log at path. An
// existing log must parse: a damaged log is an error, not a new start.
func OpenAnchorLog(path string) (*AnchorLog, error) {
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("anchor log: %w", err)
	}
	anchors, err := ParseAnchors(path, data)
	if err != nil {
		return nil, fmt.Errorf("anchor log: %w", err)
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		return nil, fmt.Errorf("anchor log: %s: the last line is incomplete", path)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("anchor log: %w", err)
	}
	return &AnchorLog{path: path, f: f, anchors: anchors}, nil
}

// Anchors returns the anchors of the log, oldest first.
func (l *AnchorLog) Anchors() []Anchor {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.anchors)
}

// Anchor reads the store's chain head and appends it to the log at now,
// unless it is the head last anchored. It reports whether it wrote.
func (l *AnchorLog) Anchor(ctx context.Context, s Store, now time.Time) (bool, error) {
	c, err := s.Chain(ctx)
	if err != nil {
		return false, fmt.Errorf("anchor: %w", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if n := len(l.anchors); n > 0 && l.anchors[n-1].Seq == c.HeadSeq && l.anchors[n-1].Hash == c.HeadHash {
		return false, nil
	}
	if n := len(l.anchors); n > 0 && c.HeadSeq < l.anchors[n-1].Seq {
		return false, fmt.Errorf("anchor: the chain head seq %d is before the last anchored seq %d: the chain was cut", c.HeadSeq, l.anchors[n-1].Seq)
	}
	a := Anchor{Seq: c.HeadSeq, Hash: c.HeadHash, Time: now.UTC().Truncate(time.Millisecond)}
	if n := len(l.anchors); n > 0 && a.Time.Before(l.anchors[n-1].Time) {
		a.Time = l.anchors[n-1].Time // a clock stepped back: keep the log in order
	}
	line := append(a.appendJSON(nil), '\n')
	if _, err := l.f.Write(line); err != nil {
		return false, fmt.Errorf("anchor: write %s: %w", l.path, err)
	}
	if err := l.f.Sync(); err != nil {
		return false, fmt.Errorf("anchor: sync %s: %w", l.path, err)
	}
	l.anchors = append(l.anchors, a)
	return true, nil
}

// Close closes the log file.
func (l *AnchorLog) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.f.Close()
}

// anchorDocument publishes the anchor log as {"anchors":[...]}, for third
// parties to keep copies of.
func anchorDocument(l *AnchorLog) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Cache-Control", "no-cache")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Access-Control-Allow-Origin", "*") // public by design
		WriteAnchorDocument(w, l.Anchors())
	})
}
