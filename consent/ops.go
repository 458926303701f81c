package consent

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// VerifyResult is the outcome of Verify.
type VerifyResult struct {
	Records int64
	Chain   ChainState
	// Broken is nil when the chain verifies, else the first broken link.
	Broken *BrokenLink
}

// BrokenLink names the first place where the chain does not verify.
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

// Verify recomputes the whole chain from its base and reports the first
// broken link: an edited record (its hash does not match its content), a
// removed or reordered one (a gap in seq, or a prev_hash that is not the
// hash before it) or a removed tail (the last record is not the head).
// On a store that is being appended to, it verifies up to the head it
// read first.
func Verify(ctx context.Context, s Store) (VerifyResult, error) {
	c, err := s.Chain(ctx)
	if err != nil {
		return VerifyResult{}, err
	}
	res := VerifyResult{Chain: c}
	seq, prev := c.BaseSeq, c.BaseHash
	errStop := errors.New("stop")
	err = s.Scan(ctx, func(r Record) error {
		var reason string
		switch {
		case r.Seq > c.HeadSeq && seq == c.HeadSeq:
			// Appended after Chain was read: a live store keeps growing.
			return errStop
		case r.Seq <= seq:
			res.Broken = &BrokenLink{Seq: r.Seq, RecordID: r.ID, Reason: fmt.Sprintf("record out of order: expected seq %d after the chain base or the record before", seq+1)}
			return errStop
		case r.Seq != seq+1:
			res.Broken = &BrokenLink{Seq: seq + 1, Reason: fmt.Sprintf("record missing: next stored record is seq %d", r.Seq)}
			return errStop
		case r.PrevHash != prev:
			reason = fmt.Sprintf("prev_hash %s is not the hash of the record before (%s)", r.PrevHash, prev)
		case Hash(r.PrevHash, r) != r.Hash:
			reason = "hash does not match the record's content: the record was altered"
		}
		if reason != "" {
			res.Broken = &BrokenLink{Seq: r.Seq, RecordID: r.ID, Reason: reason}
			return errStop
		}
		seq, prev = r.Seq, r.Hash
		res.Records++
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return res, err
	}
	if res.Broken == nil && (seq != c.HeadSeq || prev != c.HeadHash) {
		res.Broken = &BrokenLink{Seq: seq + 1, Reason: fmt.Sprintf("records after seq %d are missing: the chain head is seq %d", seq, c.HeadSeq)}
		if seq == c.HeadSeq {
			res.Broken = &BrokenLink{Seq: seq, Reason: "the last record's hash is not the chain head's"}
		}
	}
	return res, nil
}

// Export formats.
const (
	FormatJSONL = "jsonl"
	FormatCSV   = "csv"
)

// DPV terms used in exports.
const (
	dpvProfile   = "https://w3id.org/dpv/schema/dpv-27560#record-eu-gdpr"
	dpvGiven     = "dpv:ConsentGiven"
	dpvRefused   = "dpv:ConsentRefused"
	dpvWithdrawn = "dpv:ConsentWithdrawn"
)

// ExportRecord is one exported record. Field names and their meaning in
// ISO/IEC TS 27560:2023 and the W3C Data Privacy Vocabulary (DPV):
//
//	type             "dpv:ConsentRecord"
//	profile          27560 profile IRI (dpv-27560#record-eu-gdpr)
//	record_id        27560 record identifier; dpv:hasIdentifier
//	seq              position in the tamper-evident chain (27560 record integrity)
//	subject          pseudonymous PII principal identifier; dpv:hasDataSubject
//	                 (random, kept in the visitor's cookie, linked to nothing else)
//	time             27560 event time; dpv:isIndicatedAtTime (UTC)
//	notice_version   27560 notice reference, human version; dpv:hasNotice
//	notice_revision  hash pinning the exact consent-relevant notice content
//	language         language of the notice shown; dct:language
//	method           how consent was indicated; dpv:hasIndicationMethod
//	                 (accept-all, reject-all, custom, withdraw, gpc)
//	gpc              the request carried Sec-GPC: 1 (Global Privacy Control)
//	consent          per purpose category: {"category", "state"} with state
//	                 dpv:hasConsentStatus dpv:ConsentGiven, dpv:ConsentRefused
//	                 or (method withdraw) dpv:ConsentWithdrawn
//	prev_hash, hash  27560 record integrity: SHA-256 chain (see Canonical)
//
// The CSV export has the same columns in this order; consent is written as
// "category=state" pairs separated by ";".
type ExportRecord struct {
	Type           string          `json:"type"`
	Profile        string          `json:"profile"`
	RecordID       string          `json:"record_id"`
	Seq            int64           `json:"seq"`
	Subject        string          `json:"subject"`
	Time           string          `json:"time"`
	NoticeVersion  string          `json:"notice_version"`
	NoticeRevision string          `json:"notice_revision"`
	Language       string          `json:"language"`
	Method         string          `json:"method"`
	GPC            bool            `json:"gpc"`
	Consent        []CategoryState `json:"consent"`
	PrevHash       string          `json:"prev_hash"`
	Hash           string          `json:"hash"`
}

// CategoryState is the consent state of one category in an export.
type CategoryState struct {
	Category string `json:"category"`
	State    string `json:"state"`
}

// ExportRecordOf maps a record to its export form.
func ExportRecordOf(r Record) ExportRecord {
	keys := make([]string, 0, len(r.Choices))
	for k := range r.Choices {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	states := make([]CategoryState, len(keys))
	for i, k := range keys {
		st := dpvGiven
		if !r.Choices[k] {
			st = dpvRefused
			if r.Method == "withdraw" {
				st = dpvWithdrawn
			}
		}
		states[i] = CategoryState{k, st}
	}
	return ExportRecord{
		Type: "dpv:ConsentRecord", Profile: dpvProfile, RecordID: r.ID, Seq: r.Seq, Subject: r.Subject,
		Time: r.Time.UTC().Format(TimeFormat), NoticeVersion: r.Version, NoticeRevision: r.Revision,
		Language: r.Language, Method: r.Method, GPC: r.GPC, Consent: states, PrevHash: r.PrevHash, Hash: r.Hash,
	}
}

var csvHeader = []string{"type", "profile", "record_id", "seq", "subject", "time", "notice_version",
	"notice_revision", "language", "method", "gpc", "consent", "prev_hash", "hash"}

// Export writes every record in chain order to w as JSON Lines or CSV and
// returns how many it wrote.
func Export(ctx context.Context, s Store, format string, w io.Writer) (int64, error) {
	var n int64
	switch format {
	case FormatJSONL:
		enc := json.NewEncoder(w)
		err := s.Scan(ctx, func(r Record) error {
			n++
			return enc.Encode(ExportRecordOf(r))
		})
		return n, err
	case FormatCSV:
		cw := csv.NewWriter(w)
		if err := cw.Write(csvHeader); err != nil {
			return 0, err
		}
		err := s.Scan(ctx, func(r Record) error {
			e := ExportRecordOf(r)
			pairs := make([]string, len(e.Consent))
			for i, c := range e.Consent {
				pairs[i] = c.Category + "=" + c.State
			}
			n++
			return cw.Write([]string{e.Type, e.Profile, e.RecordID, strconv.FormatInt(e.Seq, 10), e.Subject, e.Time,
				e.NoticeVersion, e.NoticeRevision, e.Language, e.Method, strconv.FormatBool(e.GPC),
				strings.Join(pairs, ";"), e.PrevHash, e.Hash})
		})
		cw.Flush()
		return n, errors.Join(err, cw.Error())
	default:
		return 0, fmt.Errorf("unknown export format %q (want %s or %s)", format, FormatJSONL, FormatCSV)
	}
}

// PurgePlan says what Purge would delete.
type PurgePlan struct {
	Cutoff  time.Time // records older than this have outlived the retention
	Records int64     // how many would be deleted (the old prefix of the chain)
	Kept    int64
}

// PlanPurge computes the purge for policy at now without deleting.
func PlanPurge(ctx context.Context, s Store, p Policy, now time.Time) (PurgePlan, error) {
	if p.Cutoff == nil {
		return PurgePlan{}, errors.New("the notice declares no retention period for consent records")
	}
	plan := PurgePlan{Cutoff: p.Cutoff(now)}
	inPrefix := true
	err := s.Scan(ctx, func(r Record) error {
		if inPrefix && r.Time.Before(plan.Cutoff) {
			plan.Records++
			return nil
		}
		inPrefix = false
		plan.Kept++
		return nil
	})
	return plan, err
}

// Purge verifies the chain, then deletes the records older than the
// notice's retention for consent records. Only a prefix of the chain is
// deleted (a record older than the cutoff that follows a younger one, which
// only clock skew between replicas can cause, waits for the next purge), and
// the chain base moves to the last deleted record, so Verify still passes.
// A chain that does not verify is not purged: the evidence would be lost.
func Purge(ctx context.Context, s Store, p Policy, now time.Time) (PurgePlan, error) {
	plan, err := PlanPurge(ctx, s, p, now)
	if err != nil {
		return plan, err
	}
	v, err := Verify(ctx, s)
	if err != nil {
		return plan, err
	}
	if v.Broken != nil {
		return plan, fmt.Errorf("not purging: %w", v.Broken)
	}
	n, err := s.PurgeBefore(ctx, plan.Cutoff)
	plan.Records = n
	return plan, err
}
