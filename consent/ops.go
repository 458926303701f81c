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
//	notice_digest    SHA-256 of everything the visitor read (the released
//	                 notice's pages, banner and settings texts); empty for
//	                 records from before it was kept
//	notice_archive   where that released text is archived, as
//	                 VerifyOptions.Archive names it; empty when unknown
//	decision_id      the id the visitor's browser gave the decision (sent
//	                 again until a receipt came; stored once); empty for
//	                 records without one
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
	NoticeDigest   string          `json:"notice_digest"`
	NoticeArchive  string          `json:"notice_archive,omitempty"`
	DecisionID     string          `json:"decision_id"`
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
		NoticeDigest: r.Digest, DecisionID: r.Decision,
	}
}

// exportOf is ExportRecordOf with the archived text named.
func exportOf(r Record, opts VerifyOptions) ExportRecord {
	e := ExportRecordOf(r)
	if opts.Archive != nil && r.Digest != "" {
		e.NoticeArchive = opts.Archive(r)
	}
	return e
}

var csvHeader = []string{"type", "profile", "record_id", "seq", "subject", "time", "notice_version",
	"notice_revision", "language", "method", "gpc", "consent", "prev_hash", "hash", "notice_digest", "notice_archive", "decision_id"}

// Export verifies the chain with opts and, if it verifies, writes the
// records of the chain in order to w as JSON Lines or CSV and returns how
// many it wrote. A chain with any fault is not exported: an audit file
// holds only records that are proven to be in the chain. Rows below the
// base or past the verified head are never written.
func Export(ctx context.Context, s Reader, format string, w io.Writer, opts VerifyOptions) (int64, error) {
	if format != FormatJSONL && format != FormatCSV {
		return 0, fmt.Errorf("unknown export format %q (want %s or %s)", format, FormatJSONL, FormatCSV)
	}
	v, err := VerifyWith(ctx, s, opts)
	if err != nil {
		return 0, err
	}
	if v.Broken != nil {
		return 0, fmt.Errorf("not exporting: %d faults, the first: %w", v.FaultCount, v.Broken)
	}
	var n int64
	var write func(Record) error
	var flush func() error
	switch format {
	case FormatJSONL:
		enc := json.NewEncoder(w)
		write = func(r Record) error { return enc.Encode(exportOf(r, opts)) }
		flush = func() error { return nil }
	case FormatCSV:
		cw := csv.NewWriter(w)
		if err := cw.Write(csvHeader); err != nil {
			return 0, err
		}
		write = func(r Record) error {
			e := exportOf(r, opts)
			pairs := make([]string, len(e.Consent))
			for i, c := range e.Consent {
				pairs[i] = c.Category + "=" + c.State
			}
			return cw.Write([]string{e.Type, e.Profile, e.RecordID, strconv.FormatInt(e.Seq, 10), e.Subject, e.Time,
				e.NoticeVersion, e.NoticeRevision, e.Language, e.Method, strconv.FormatBool(e.GPC),
				strings.Join(pairs, ";"), e.PrevHash, e.Hash, e.NoticeDigest, e.NoticeArchive, e.DecisionID})
		}
		flush = func() error { cw.Flush(); return cw.Error() }
	}
	// Link again while writing: a row changed since Verify stops the export.
	seq, prev := v.Chain.BaseSeq, v.Chain.BaseHash
	err = s.Scan(ctx, func(r Record) error {
		if r.Seq <= v.Chain.BaseSeq || r.Seq > v.Through {
			return nil
		}
		if r.Seq != seq+1 || r.PrevHash != prev || Hash(r.PrevHash, r) != r.Hash || r.Mismatch != "" {
			return fmt.Errorf("not exporting: record %d changed while it was exported", r.Seq)
		}
		seq, prev = r.Seq, r.Hash
		n++
		return write(r)
	})
	return n, errors.Join(err, flush())
}

// PurgePlan says what Purge deletes (or would delete).
type PurgePlan struct {
	Cutoff  time.Time // records older than this have outlived the retention
	Through *Anchor   // the anchor the base moves to; nil when nothing can go
	Records int64     // how many records would be deleted
	Kept    int64     // how many records stay
	Purged  Purged    // what Purge deleted
}

// PlanPurge computes the purge for policy at now without deleting. The
// base can move only to an anchored head that is older than the cutoff
// and still in the chain: the latest such anchor is the one.
func PlanPurge(ctx context.Context, s Reader, p Policy, now time.Time, anchors []Anchor) (PurgePlan, error) {
	if p.Cutoff == nil {
		return PurgePlan{}, errors.New("the notice declares no retention period for consent records")
	}
	plan := PurgePlan{Cutoff: p.Cutoff(now)}
	c, err := s.Chain(ctx)
	if err != nil {
		return plan, err
	}
	for i := len(anchors) - 1; i >= 0; i-- {
		if a := anchors[i]; a.Time.Before(plan.Cutoff) && a.Seq > c.BaseSeq && a.Seq <= c.HeadSeq {
			plan.Through = &anchors[i]
			break
		}
	}
	err = s.Scan(ctx, func(r Record) error {
		switch {
		case r.Seq <= c.BaseSeq || r.Seq > c.HeadSeq:
		case plan.Through != nil && r.Seq <= plan.Through.Seq:
			plan.Records++
		default:
			plan.Kept++
		}
		return nil
	})
	return plan, err
}

// Purge verifies the chain against anchors, then deletes the records older
// than the notice's retention for consent records, up to the latest anchor
// older than the cutoff: the base moves only to a head that third parties
// hold a copy of, so Verify with those anchors still passes and a purge
// cannot be faked by moving the base. Records after that anchor wait for a
// later one. A chain that does not verify is not purged: the evidence
// would be lost.
func Purge(ctx context.Context, s Store, p Policy, now time.Time, anchors []Anchor) (PurgePlan, error) {
	if len(anchors) == 0 {
		return PurgePlan{}, errors.New("not purging: no anchors; a purge moves the chain base only to an anchored head (endpoint -anchors)")
	}
	plan, err := PlanPurge(ctx, s, p, now, anchors)
	if err != nil {
		return plan, err
	}
	v, err := VerifyWith(ctx, s, VerifyOptions{Anchors: anchors, Cutoff: plan.Cutoff})
	if err != nil {
		return plan, err
	}
	if v.Broken != nil {
		return plan, fmt.Errorf("not purging: %d faults, the first: %w", v.FaultCount, v.Broken)
	}
	if plan.Through == nil {
		return plan, nil
	}
	plan.Purged, err = s.PurgeThrough(ctx, plan.Through.Seq, plan.Through.Hash, plan.Cutoff)
	return plan, err
}
