package consent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
)

// VerifyOptions is what Verify checks besides the rows themselves.
type VerifyOptions struct {
	// Anchors are chain heads kept outside the database (ParseAnchors).
	// Each one must still be in the chain at its seq with its hash, and a
	// chain base other than the genesis must be one of them.
	Anchors []Anchor
	// Cutoff, when set, is the notice's retention cutoff now: the anchor
	// the base sits on must be older than it, or the purge that moved the
	// base deleted records too young to go.
	Cutoff time.Time
	// Receipts are receipts that visitors hold (ParseReceipts): each must
	// name a record of the chain with its id and hash, or one purged.
	Receipts []Receipt
	// Visit, when set, is called with every row that links into the chain
	// (after the base, up to the head read before the rows), in seq order
	// while the rows are read: a report tallies them in the same pass. An
	// error from Visit stops the verification and is returned.
	Visit func(Record) error
	// Archive names the archived text a record was given on (the address
	// of the released notice page whose digest is the record's, in its
	// language), "" when its digest is no released version's. Export
	// writes it as notice_archive.
	Archive func(Record) string
}

// VerifyResult is the outcome of Verify.
type VerifyResult struct {
	Records int64      // records in the chain, base excluded
	Chain   ChainState // the chain row as read before the rows
	// Through is the last seq verified: the head, or a later one when
	// records were appended while Verify ran.
	Through int64
	// Broken is nil when everything verifies, else the first fault.
	Broken *BrokenLink
	// Faults lists every fault found, in seq order, at most MaxFaults;
	// FaultCount counts them all.
	Faults     []BrokenLink
	FaultCount int64
	// Anchors checked against the chain; AnchorsPurged of them lie below
	// the base and cannot be checked any more.
	Anchors, AnchorsPurged int
	// Receipts checked; ReceiptsPurged of them name records purged since.
	Receipts, ReceiptsPurged int
	// Digests counts the records up to the head read first by the digest
	// of the text they were given on ("" for records without one).
	Digests map[string]int64
}

// MaxFaults bounds VerifyResult.Faults: a store with a million forged rows
// is reported with their count, not a million lines.
const MaxFaults = 1000

// maxBeyond bounds what VerifyWith keeps of rows past the head it read
// first; rows beyond it are counted as faults.
const maxBeyond = 1 << 20

// BrokenLink names one row or place that is not in the chain.
type BrokenLink struct {
	Seq      int64  // the record (or expected record) where it breaks
	RecordID string // empty when the record is missing
	Reason   string
}

func (b *BrokenLink) Error() string {
	if b.RecordID == "" {
		return fmt.Sprintf("chain broken at seq %d: %s", b.Seq, b.Reason)
	}
	return fmt.Sprintf("chain broken at seq %d (record %s): %s", b.Seq, b.RecordID, b.Reason)
}

// Verify checks the chain of s with no anchors or receipts.
func Verify(ctx context.Context, s Reader) (VerifyResult, error) {
	return VerifyWith(ctx, s, VerifyOptions{})
}

// seen is what VerifyWith keeps of a row it must compare with an anchor
// or a receipt.
type seen struct {
	r  Record
	ok bool // the row is in the chain
}

// VerifyWith reads every stored row and recomputes the chain from its
// base. It names each row that is not in the chain: an edited record (its
// hash does not match its content), one whose stored index key disagrees
// with it, a gap (a removed record), a link to the wrong predecessor, a row
// below the base or past the head (garbage, forged or duplicated rows), a
// removed tail (the last record is not the head). With anchors it proves
// that the chain still holds every anchored head, which catches a
// truncated tail with a moved head, a chain re-hashed from any anchored
// record on, a faked purge (a base that is no anchor, or an anchor younger
// than the retention) and a deleted store. On a store being appended to it
// verifies through the head it reads after the rows.
func VerifyWith(ctx context.Context, s Reader, opts VerifyOptions) (VerifyResult, error) {
	c, err := s.Chain(ctx)
	if err != nil {
		return VerifyResult{}, err
	}
	res := VerifyResult{Chain: c}
	fault := func(seq int64, id, reason string) {
		res.FaultCount++
		if len(res.Faults) < MaxFaults {
			res.Faults = append(res.Faults, BrokenLink{Seq: seq, RecordID: id, Reason: reason})
		}
	}
	if c.BaseSeq == 0 && c.BaseHash != GenesisHash {
		fault(0, "", "the chain base at seq 0 is not the genesis hash")
	}
	// Rows to keep for the anchor and receipt checks, by seq.
	want := map[int64]bool{}
	for _, a := range opts.Anchors {
		want[a.Seq] = true
	}
	for _, r := range opts.Receipts {
		want[r.Seq] = true
	}
	kept := map[int64]seen{}
	// Rows past the head read first: in the chain if a later head covers them.
	type past struct {
		seq      int64
		id, hash string
		ok       bool
	}
	var beyond []past
	var beyondMore int64
	seq, prev := c.BaseSeq, c.BaseHash
	clean := true // no fault in (base, seq]: the rows read so far link
	var inChain int64
	upToHead := c.BaseSeq     // the last seq read that is not past the head
	headRowHash := c.BaseHash // the hash of the row at the head (the base's when no record)
	headRowOK := true
	err = s.Scan(ctx, func(r Record) error {
		if r.Seq <= c.BaseSeq {
			fault(r.Seq, r.ID, fmt.Sprintf("row below the chain base (seq %d): a purged record left behind or a forged one", c.BaseSeq))
			return nil
		}
		ok := true
		if r.Seq != seq+1 {
			fault(seq+1, "", fmt.Sprintf("record missing: next stored record is seq %d", r.Seq))
			ok = false
		} else if r.PrevHash != prev {
			fault(r.Seq, r.ID, fmt.Sprintf("prev_hash %s is not the hash of the record before (%s)", r.PrevHash, prev))
			ok = false
		}
		if Hash(r.PrevHash, r) != r.Hash {
			fault(r.Seq, r.ID, "hash does not match the record's content: the record was altered")
			ok = false
		}
		if r.Mismatch != "" {
			fault(r.Seq, r.ID, r.Mismatch)
			ok = false
		}
		clean = clean && ok
		// Resynchronise on the stored row, so that one bad row is one
		// fault and not a fault for every row after it.
		seq, prev = r.Seq, r.Hash
		switch {
		case r.Seq > c.HeadSeq:
			// Rows appended while the scan runs are legitimate: keep a
			// compact entry each, up to a bound no live store reaches in
			// one scan (a million rows), to judge them by the later head.
			if len(beyond) < maxBeyond {
				beyond = append(beyond, past{r.Seq, r.ID, r.Hash, ok && clean})
			} else {
				beyondMore++
			}
		default:
			upToHead = r.Seq
			if r.Seq == c.HeadSeq {
				headRowHash, headRowOK = r.Hash, ok
			}
			if ok {
				inChain++
				if opts.Visit != nil {
					if err := opts.Visit(r); err != nil {
						return err
					}
				}
				if res.Digests == nil {
					res.Digests = map[string]int64{}
				}
				res.Digests[r.Digest]++
			}
		}
		if want[r.Seq] {
			kept[r.Seq] = seen{r, ok}
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	switch {
	case upToHead < c.HeadSeq:
		fault(upToHead+1, "", fmt.Sprintf("records after seq %d are missing: the chain head is seq %d", upToHead, c.HeadSeq))
	case headRowHash != c.HeadHash && headRowOK:
		fault(c.HeadSeq, "", "the last record's hash is not the chain head's")
	}
	// The head now: records appended while the rows were read are in the
	// chain when this head covers them; rows past it are not in the chain.
	c2, err := s.Chain(ctx)
	if err != nil {
		return res, err
	}
	head := c.HeadSeq
	if c2.HeadSeq > c.HeadSeq && c2.BaseSeq == c.BaseSeq {
		head = c2.HeadSeq
	}
	res.Through = c.HeadSeq
	for _, p := range beyond {
		switch {
		case p.seq <= head && p.ok:
			inChain++
			res.Through = p.seq
			if p.seq == c2.HeadSeq && p.hash != c2.HeadHash {
				fault(p.seq, p.id, "the last record's hash is not the chain head's")
			}
		case p.seq <= head:
			// a fault named it already
		default:
			fault(p.seq, p.id, fmt.Sprintf("row past the chain head (seq %d): not in the chain", head))
		}
	}
	res.FaultCount += beyondMore
	res.Records = inChain
	checkAnchors(&res, opts, c, kept, fault)
	checkReceipts(&res, opts, c, kept, fault)
	slices.SortStableFunc(res.Faults, func(a, b BrokenLink) int { return int(a.Seq - b.Seq) })
	if len(res.Faults) > 0 {
		res.Broken = &res.Faults[0]
	}
	return res, nil
}

func checkAnchors(res *VerifyResult, opts VerifyOptions, c ChainState, kept map[int64]seen, fault func(int64, string, string)) {
	if len(opts.Anchors) == 0 {
		return
	}
	var baseAnchor *Anchor
	for i, a := range opts.Anchors {
		res.Anchors++
		at := a.Time.UTC().Format(TimeFormat)
		switch {
		case a.Seq < c.BaseSeq:
			res.AnchorsPurged++
		case a.Seq == c.BaseSeq:
			if a.Seq == 0 && a.Hash != GenesisHash {
				fault(0, "", fmt.Sprintf("the anchor of %s at seq 0 is not the genesis hash", at))
			} else if a.Hash != c.BaseHash {
				fault(a.Seq, "", fmt.Sprintf("the chain base hash %s is not the hash anchored at %s (%s): the chain was re-hashed", c.BaseHash, at, a.Hash))
			} else {
				baseAnchor = &opts.Anchors[i]
			}
		case a.Seq > res.Through:
			fault(a.Seq, "", fmt.Sprintf("the head anchored at %s (seq %d) is past the chain's last record (seq %d): records were removed", at, a.Seq, res.Through))
		default:
			k, ok := kept[a.Seq]
			switch {
			case !ok:
				fault(a.Seq, "", fmt.Sprintf("the record anchored at %s is not stored", at))
			case k.r.Hash != a.Hash:
				fault(a.Seq, k.r.ID, fmt.Sprintf("hash %s is not the hash anchored at %s (%s): the chain was rewritten", k.r.Hash, at, a.Hash))
			case !k.ok:
				// its fault is named already
			}
		}
	}
	if c.BaseSeq == 0 {
		return
	}
	switch {
	case baseAnchor == nil:
		fault(c.BaseSeq, "", fmt.Sprintf("the chain base (seq %d) is at no anchor: a purge moves the base only to an anchored head, so records were deleted without one", c.BaseSeq))
	case !opts.Cutoff.IsZero() && !baseAnchor.Time.Before(opts.Cutoff):
		fault(c.BaseSeq, "", fmt.Sprintf("the chain base (seq %d) was anchored at %s, less than the retention ago (cutoff %s): records were purged before their time",
			c.BaseSeq, baseAnchor.Time.UTC().Format(TimeFormat), opts.Cutoff.UTC().Format(TimeFormat)))
	}
}

func checkReceipts(res *VerifyResult, opts VerifyOptions, c ChainState, kept map[int64]seen, fault func(int64, string, string)) {
	for _, rc := range opts.Receipts {
		res.Receipts++
		name := fmt.Sprintf("receipt for record %s", rc.RecordID)
		if rc.Seq <= c.BaseSeq {
			res.ReceiptsPurged++
			continue
		}
		if rc.Seq > res.Through {
			fault(rc.Seq, rc.RecordID, name+fmt.Sprintf(": seq %d is past the chain's last record (seq %d): the record was removed", rc.Seq, res.Through))
			continue
		}
		k, ok := kept[rc.Seq]
		var problems []string
		switch {
		case !ok:
			problems = append(problems, "no record is stored at its seq")
		default:
			r := k.r
			if r.ID != rc.RecordID {
				problems = append(problems, fmt.Sprintf("the record at its seq is %s", r.ID))
			}
			if r.Hash != rc.Hash {
				problems = append(problems, fmt.Sprintf("the stored hash is %s, the receipt's %s", r.Hash, rc.Hash))
			}
			if rc.Subject != "" && r.Subject != rc.Subject {
				problems = append(problems, "the stored subject is another")
			}
			if rc.Time != "" && r.Time.UTC().Format(TimeFormat) != rc.Time {
				problems = append(problems, fmt.Sprintf("the stored time is %s, the receipt's %s", r.Time.UTC().Format(TimeFormat), rc.Time))
			}
			if rc.Revision != "" && r.Revision != rc.Revision {
				problems = append(problems, fmt.Sprintf("the stored revision is %s, the receipt's %s", r.Revision, rc.Revision))
			}
			if rc.DecisionID != "" && r.Decision != rc.DecisionID {
				problems = append(problems, fmt.Sprintf("the stored decision id is %q, the receipt's %s", r.Decision, rc.DecisionID))
			}
			if !k.ok && len(problems) == 0 {
				problems = append(problems, "the record is not in the chain")
			}
		}
		if full, ok := rc.record(); ok && Hash(full.PrevHash, full) != rc.Hash {
			problems = append(problems, "its own fields do not hash to its hash")
		}
		for _, p := range problems {
			fault(rc.Seq, rc.RecordID, name+": "+p)
		}
	}
}

// Receipt is what a visitor holds for a record: the POST answer (record
// id, seq, subject, time, revision, hash) or a record of their history,
// which adds every other field the hash covers and prev_hash, so that
// they can recompute the hash themselves (see Hash).
type Receipt struct {
	RecordID string `json:"record_id"`
	Seq      int64  `json:"seq"`
	Subject  string `json:"subject"`
	Time     string `json:"time"`
	Revision string `json:"revision"`
	Hash     string `json:"hash"`
	// DecisionID is the id the browser gave the decision (the POST's
	// "id"); absent when it gave none.
	DecisionID string           `json:"decision_id,omitempty"`
	Version    string           `json:"version,omitempty"`
	Language   string           `json:"language,omitempty"`
	Method     string           `json:"method,omitempty"`
	Choices    *map[string]bool `json:"choices,omitempty"`
	GPC        *bool            `json:"gpc,omitempty"`
	PrevHash   string           `json:"prev_hash,omitempty"`
	// Digest names the text the visitor read (a history entry; records
	// written before it was kept have none).
	Digest string `json:"digest,omitempty"`
}

// record returns the record a full receipt (a history entry) describes.
func (rc Receipt) record() (Record, bool) {
	if rc.Choices == nil || rc.GPC == nil || rc.PrevHash == "" {
		return Record{}, false
	}
	t, err := time.Parse(TimeFormat, rc.Time)
	if err != nil {
		return Record{}, false
	}
	return Record{Seq: rc.Seq, ID: rc.RecordID, Subject: rc.Subject, Time: t, Version: rc.Version, Revision: rc.Revision,
		Language: rc.Language, Method: rc.Method, Choices: *rc.Choices, GPC: *rc.GPC, PrevHash: rc.PrevHash, Digest: rc.Digest,
		Decision: rc.DecisionID}, true
}

func (rc Receipt) check() error {
	var errs []error
	if !hex32.MatchString(rc.RecordID) {
		errs = append(errs, errors.New("record_id: want 32 lowercase hex digits"))
	}
	if rc.Seq < 1 {
		errs = append(errs, errors.New("seq: want a number, 1 or more"))
	}
	if !hex64.MatchString(rc.Hash) {
		errs = append(errs, errors.New("hash: want 64 lowercase hex digits"))
	}
	if rc.Subject != "" && !hex32.MatchString(rc.Subject) {
		errs = append(errs, errors.New("subject: want 32 lowercase hex digits"))
	}
	if rc.Time != "" {
		if _, err := time.Parse(TimeFormat, rc.Time); err != nil {
			errs = append(errs, fmt.Errorf("time: want UTC as %s", TimeFormat))
		}
	}
	if rc.PrevHash != "" && !hex64.MatchString(rc.PrevHash) {
		errs = append(errs, errors.New("prev_hash: want 64 lowercase hex digits"))
	}
	if rc.DecisionID != "" && !hex32.MatchString(rc.DecisionID) {
		errs = append(errs, errors.New("decision_id: want 32 lowercase hex digits"))
	}
	return oneLine(errs)
}

// ParseReceipts reads receipts: any sequence of JSON objects, each a
// receipt as POST /api/consent answered it or a history as GET
// /api/consent/{subject} answered it ({"subject":...,"records":[...]}).
// name is used in errors, which give the line.
func ParseReceipts(name string, data []byte) ([]Receipt, error) {
	var out []Receipt
	var errs []error
	err := eachJSON(data, func(line int, raw json.RawMessage) error {
		var hist struct {
			Subject string    `json:"subject"`
			Records []Receipt `json:"records"`
			Next    *int64    `json:"next"`
		}
		var list []Receipt
		if err := strictDecode(raw, &hist); err == nil && hist.Records != nil {
			list = hist.Records
		} else {
			var rc Receipt
			if err := strictDecode(raw, &rc); err != nil {
				return fmt.Errorf("%s:%d: receipt: %v", name, line, err)
			}
			list = []Receipt{rc}
		}
		for _, rc := range list {
			if err := rc.check(); err != nil {
				errs = append(errs, fmt.Errorf("%s:%d: receipt: %w", name, line, err))
				continue
			}
			out = append(out, rc)
		}
		return nil
	})
	if err != nil {
		errs = append(errs, fmt.Errorf("%s: %w", name, err))
	}
	return out, errors.Join(errs...)
}
