package consent

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// MaxBody is the largest request body accepted, in bytes. A decision with
// a dozen categories is well under 1 KiB.
const MaxBody = 4096

// Options tune NewServer. The zero value is ready for production.
type Options struct {
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Rand supplies record and subject ids; crypto/rand when nil.
	Rand io.Reader
	// Rate and Burst limit requests per client (IP address, or /64 for
	// IPv6) in memory: Rate per second on average, Burst at once. Zero
	// means 5 per second with a burst of 20. A negative Rate turns the
	// limiter off.
	Rate  float64
	Burst int
	// ClientKey returns the rate limiting key for a request; the IP from
	// RemoteAddr when nil. It is used in memory only and never stored.
	ClientKey func(*http.Request) string
	// SubjectRate and SubjectBurst limit the decisions recorded per
	// subject, in memory: a visitor changes their mind a few times, not
	// thousands. Zero means one a minute with a burst of 10. A negative
	// SubjectRate turns it off.
	SubjectRate  float64
	SubjectBurst int
	// StoreTimeout bounds every store call of a request; 5 s when zero.
	// It must stay well under the HTTP server's write timeout, so that a
	// hung database gives 503 with Retry-After, not a dropped connection.
	StoreTimeout time.Duration
}

// MaxHistoryPage is the most records one history answer holds.
const MaxHistoryPage = 100

type server struct {
	log     *slog.Logger
	store   Store
	policy  Policy
	fields  []field // the checks of a posted decision under policy
	now     func() time.Time
	rand    io.Reader
	limiter *limiter
	key     func(*http.Request) string

	subjects *limiter // decisions per subject; nil when off
	issuer   SubjectIssuer
	timeout  time.Duration
	logs     *logLimiter
	// mismatches logs, once per pair, decisions for a notice version
	// this endpoint does not take.
	mismatches *mismatchLog
	ready      readiness
}

// NewServer returns the consent endpoint: POST /api/consent records a
// decision against policy in store and answers with a receipt (201, or 200
// with the receipt of the first time for a decision id sent again); GET
// /api/consent/{subject} returns that subject's history a page at a time;
// GET /healthz answers "ok" while the process serves (liveness); GET
// /readyz answers 200 only while the store can commit (readiness).
// Internal errors go to log, never to the client. Building a
// server is cheap: when the notice changes, build a new one over the same
// store.
func NewServer(log *slog.Logger, store Store, policy Policy, opts Options) http.Handler {
	s := &server{log: log, store: store, policy: policy, fields: decisionFields(policy), now: opts.Now, rand: opts.Rand, key: opts.ClientKey}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.rand == nil {
		s.rand = rand.Reader
	}
	if s.key == nil {
		s.key = clientKey
	}
	rate, burst := opts.Rate, opts.Burst
	if rate == 0 {
		rate, burst = 5, 20
	}
	if burst <= 0 {
		burst = max(1, int(rate))
	}
	if rate > 0 {
		s.limiter = newLimiter(rate, burst, s.now)
	}
	srate, sburst := opts.SubjectRate, opts.SubjectBurst
	if srate == 0 {
		srate, sburst = 1.0/60, 10
	}
	if sburst <= 0 {
		sburst = max(1, int(srate))
	}
	if srate > 0 {
		s.subjects = newLimiter(srate, sburst, s.now)
	}
	s.issuer, _ = store.(SubjectIssuer)
	s.timeout = opts.StoreTimeout
	if s.timeout <= 0 {
		s.timeout = 5 * time.Second
	}
	s.logs = newLogLimiter(s.log, s.now, 10*time.Second)
	s.mismatches = newMismatchLog(s.log, policy)
	mux := http.NewServeMux()
	s.routes(mux)
	return s.headers(mux)
}

// headers sets what every answer carries.
func (s *server) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

func newReceipt(r Record) Receipt {
	return Receipt{RecordID: r.ID, Seq: r.Seq, Subject: r.Subject, Time: r.Time.UTC().Format(TimeFormat), Revision: r.Revision, Hash: r.Hash, DecisionID: r.Decision}
}

func (s *server) handlePost() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if msg := checkContentType(r.Header.Get("Content-Type")); msg != "" {
			problems(w, http.StatusUnsupportedMediaType, Problem{"Content-Type", msg})
			return
		}
		if r.ContentLength > MaxBody {
			problems(w, http.StatusRequestEntityTooLarge, Problem{"body", fmt.Sprintf("larger than %d bytes", MaxBody)})
			return
		}
		body, err := readBody(w, r)
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				problems(w, http.StatusRequestEntityTooLarge, Problem{"body", fmt.Sprintf("larger than %d bytes", MaxBody)})
				return
			}
			problems(w, http.StatusBadRequest, Problem{"body", "could not read the request body"})
			return
		}
		var d decision
		if ps := decode(body, &d, s.fields); len(ps) > 0 {
			problems(w, http.StatusBadRequest, ps...)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
		defer cancel()
		rel, ok := s.policy.release(d.Revision, d.Version)
		if !ok {
			// A decision sent again is answered from the store whatever
			// the policy says now: it was taken when it was made.
			if d.ID != "" && s.answerStored(ctx, w, r, &d) {
				return
			}
			s.mismatches.note(d.Revision, d.Version)
			encode(w, http.StatusConflict, problemBody{
				Problems: []Problem{{"revision", fmt.Sprintf("notice revision %s version %q is not the current one; ask again with revision %s version %q",
					d.Revision, d.Version, s.policy.Revision, s.policy.Version)}},
				CurrentRevision: s.policy.Revision,
				CurrentVersion:  s.policy.Version,
			})
			return
		}
		if ps := d.checkChoices(s.policy); len(ps) > 0 {
			problems(w, http.StatusBadRequest, ps...)
			return
		}
		if d.Subject != "" {
			if s.subjects != nil {
				if ok, wait := s.subjects.allow(d.Subject); !ok {
					if d.ID != "" && s.answerStored(ctx, w, r, &d) {
						return
					}
					s.logs.refused("subject over its limit")
					w.Header().Set("Retry-After", retryAfter(wait))
					problems(w, http.StatusTooManyRequests, Problem{"subject", "too many decisions for this subject; try again later"})
					return
				}
			}
			known, err := s.knownSubject(ctx, d.Subject)
			if err != nil {
				s.internal(w, r, "check subject", err)
				return
			}
			if !known {
				// Not issued here (a store started afresh, a cookie
				// shared with another site's endpoint): the decision is
				// recorded under a new subject, never under this one, and
				// the receipt gives the browser the new one. Refusing it
				// would lose the decision, and every one after it.
				s.logs.refused("subject not issued: a new one given")
				d.Subject = ""
			}
		}
		rec := Record{
			Subject:  d.Subject,
			Time:     s.now().UTC().Truncate(time.Millisecond),
			Version:  d.Version,
			Revision: d.Revision,
			Digest:   rel.Digest,
			Language: d.Language,
			Method:   d.Method,
			Choices:  d.Choices,
			GPC:      r.Header.Get("Sec-GPC") == "1",
			Decision: d.ID,
		}
		var ids [32]byte
		if _, err := io.ReadFull(s.rand, ids[:]); err != nil {
			s.internal(w, r, "new id", err)
			return
		}
		rec.ID = hex.EncodeToString(ids[:16])
		if rec.Subject == "" {
			if s.issuer != nil {
				rec.Subject = s.issuer.IssueSubject(rec.Time, ids[16:])
			} else {
				rec.Subject = hex.EncodeToString(ids[16:])
			}
		}
		stored, err := s.store.Append(ctx, rec)
		if err != nil {
			s.internal(w, r, "append", err)
			return
		}
		if stored.ID != rec.ID { // the decision was stored before
			if s.subjects != nil && d.Subject != "" {
				s.subjects.refund(d.Subject) // a decision sent again is not another decision
			}
			s.answerReplay(w, &d, stored)
			return
		}
		var buf [400]byte
		write(w, http.StatusCreated, newReceipt(stored).appendJSON(buf[:0]))
	})
}

// answerStored answers a decision sent again from the store: the
// original receipt, or 422 when the id names a decision with other
// content. It reports false, having answered nothing, when no record has
// the decision's id.
func (s *server) answerStored(ctx context.Context, w http.ResponseWriter, r *http.Request, d *decision) bool {
	stored, ok, err := s.store.Decision(ctx, d.ID)
	if err != nil {
		s.internal(w, r, "find decision", err)
		return true
	}
	if !ok {
		return false
	}
	s.answerReplay(w, d, stored)
	return true
}

// answerReplay answers d, whose id names the stored record: 200 with the
// receipt it was given the first time (the subject issued then, too), or
// 422 naming "id" when d says something else than the record. The
// request's Sec-GPC is not compared: the record keeps the signal of the
// request that made it.
func (s *server) answerReplay(w http.ResponseWriter, d *decision, stored Record) {
	if field := d.differs(stored); field != "" {
		s.logs.refused("decision id reused for another decision")
		problems(w, http.StatusUnprocessableEntity, Problem{"id", fmt.Sprintf(
			"names a decision already recorded with another %s; a new decision needs a new id", field)})
		return
	}
	var buf [400]byte
	write(w, http.StatusOK, newReceipt(stored).appendJSON(buf[:0]))
}

// knownSubject reports whether subject was issued here: the store that
// derives ids can tell at once; otherwise (and for ids issued before it
// could) a subject is known when it has a record.
func (s *server) knownSubject(ctx context.Context, subject string) (bool, error) {
	if s.issuer != nil && s.issuer.Issued(subject) {
		return true, nil
	}
	recs, err := s.store.Subject(ctx, subject, 0, 1)
	return len(recs) > 0, err
}

// appendJSON appends the receipt of a new record as encoding/json writes it
// (the optional fields are empty then), without its reflection: this is the
// answer to every POST.
func (rc Receipt) appendJSON(b []byte) []byte {
	b = append(b, `{"record_id":`...)
	b = appendString(b, rc.RecordID)
	b = append(b, `,"seq":`...)
	b = strconv.AppendInt(b, rc.Seq, 10)
	b = append(b, `,"subject":`...)
	b = appendString(b, rc.Subject)
	b = append(b, `,"time":`...)
	b = appendString(b, rc.Time)
	b = append(b, `,"revision":`...)
	b = appendString(b, rc.Revision)
	b = append(b, `,"hash":`...)
	b = appendString(b, rc.Hash)
	if rc.DecisionID != "" {
		b = append(b, `,"decision_id":`...)
		b = appendString(b, rc.DecisionID)
	}
	return append(b, '}')
}

// history is one page of a subject's records, each with every field its
// hash covers and prev_hash, so that the visitor can recompute it. Next is
// the "after" of the following page; absent on the last.
type history struct {
	Subject string    `json:"subject"`
	Records []Receipt `json:"records"`
	Next    int64     `json:"next,omitempty"`
}

func (s *server) handleHistory() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		subject := r.PathValue("subject")
		var ps []Problem
		if !hex32.MatchString(subject) {
			ps = append(ps, Problem{"subject", "must be 32 lowercase hex digits"})
		}
		after, limit := int64(0), MaxHistoryPage
		q := r.URL.Query()
		if v := q.Get("after"); v != "" || q.Has("after") {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				ps = append(ps, Problem{"after", "must be a seq, 0 or more, as the previous page's next"})
			}
			after = n
		}
		if v := q.Get("limit"); v != "" || q.Has("limit") {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > MaxHistoryPage {
				ps = append(ps, Problem{"limit", fmt.Sprintf("must be 1 to %d", MaxHistoryPage)})
			}
			limit = n
		}
		if len(ps) > 0 {
			problems(w, http.StatusBadRequest, ps...)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
		defer cancel()
		recs, err := s.store.Subject(ctx, subject, after, limit+1)
		if err != nil {
			s.internal(w, r, "subject history", err)
			return
		}
		if len(recs) == 0 && after == 0 {
			problems(w, http.StatusNotFound, Problem{"subject", "no consent recorded for this subject"})
			return
		}
		h := history{Subject: subject, Records: make([]Receipt, 0, min(len(recs), limit))}
		if len(recs) > limit {
			recs = recs[:limit]
			h.Next = recs[limit-1].Seq
		}
		for _, rec := range recs {
			rc := newReceipt(rec)
			rc.Version, rc.Language, rc.Method, rc.PrevHash, rc.Digest = rec.Version, rec.Language, rec.Method, rec.PrevHash, rec.Digest
			rc.Choices, rc.GPC = &rec.Choices, &rec.GPC
			h.Records = append(h.Records, rc)
		}
		encode(w, http.StatusOK, h)
	})
}

func (s *server) handleHealth() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		io.WriteString(w, "ok\n")
	})
}

// readiness remembers the last probe of the store for a second, so that
// probes (or a client hammering /readyz) cost one write a second at most.
type readiness struct {
	mu   sync.Mutex
	at   time.Time
	err  error
	done bool
}

// handleReady answers 200 "ready" when the store committed a write within
// the store deadline, else 503 with Retry-After: a load balancer that
// probes it stops sending visitors to a replica whose database is gone,
// hung or full.
func (s *server) handleReady() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.ready.mu.Lock()
		now := s.now()
		if !s.ready.done || now.Sub(s.ready.at) >= time.Second || now.Before(s.ready.at) {
			ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
			s.ready.err = s.store.Ready(ctx)
			cancel()
			s.ready.at, s.ready.done = now, true
		}
		err := s.ready.err
		s.ready.mu.Unlock()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err != nil {
			s.logs.failed("ready", err)
			w.Header().Set("Retry-After", "5")
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "store cannot commit\n")
			return
		}
		io.WriteString(w, "ready\n")
	})
}

// internal logs err and answers 503 without details: every internal error
// on this endpoint is a store that cannot take the record now.
func (s *server) internal(w http.ResponseWriter, r *http.Request, op string, err error) {
	if r.Context().Err() != nil {
		return // the client is gone; nobody reads the answer
	}
	s.logs.failed(op, err)
	w.Header().Set("Retry-After", "5")
	problems(w, http.StatusServiceUnavailable, Problem{"", "the record could not be stored; try again later"})
}

// checkContentType accepts application/json and text/plain (what
// navigator.sendBeacon sends for a string), in UTF-8 only.
func checkContentType(ct string) string {
	const want = `must be application/json (or text/plain;charset=UTF-8 as sendBeacon sends)`
	if ct == "" {
		return "missing: " + want
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return want
	}
	if mt != "application/json" && mt != "text/plain" {
		return want
	}
	for k, v := range params {
		if k != "charset" || !strings.EqualFold(v, "utf-8") {
			return want
		}
	}
	return ""
}

// retryAfter formats a wait as whole seconds, at least 1.
func retryAfter(d time.Duration) string {
	return strconv.Itoa(max(1, int((d+time.Second-1)/time.Second)))
}

// readBody reads at most MaxBody bytes into one buffer sized from
// Content-Length when the client sent it.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body := http.MaxBytesReader(w, r.Body, MaxBody)
	if n := r.ContentLength; n >= 0 && n <= MaxBody {
		buf := make([]byte, n+1) // one more byte to see a body longer than announced
		m, err := io.ReadFull(body, buf)
		if err == io.ErrUnexpectedEOF || err == io.EOF {
			return buf[:m], nil
		}
		if err != nil {
			return nil, err
		}
		rest, err := io.ReadAll(body)
		return append(buf[:m], rest...), err
	}
	return io.ReadAll(body)
}
