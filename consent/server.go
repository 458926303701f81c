package consent

import (
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
}

type server struct {
	log     *slog.Logger
	store   Store
	policy  Policy
	fields  []field // the checks of a posted decision under policy
	now     func() time.Time
	rand    io.Reader
	limiter *limiter
	key     func(*http.Request) string
}

// NewServer returns the consent endpoint: POST /api/consent records a
// decision against policy in store and answers with a receipt; GET
// /api/consent/{subject} returns that subject's history; GET /healthz
// answers "ok". Internal errors go to log, never to the client. Building a
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

// receipt is what the visitor gets back for a record.
type receipt struct {
	RecordID string           `json:"record_id"`
	Subject  string           `json:"subject"`
	Time     string           `json:"time"`
	Revision string           `json:"revision"`
	Hash     string           `json:"hash"`
	Version  string           `json:"version,omitempty"`
	Language string           `json:"language,omitempty"`
	Method   string           `json:"method,omitempty"`
	Choices  *map[string]bool `json:"choices,omitempty"`
	GPC      *bool            `json:"gpc,omitempty"`
}

func newReceipt(r Record) receipt {
	return receipt{RecordID: r.ID, Subject: r.Subject, Time: r.Time.UTC().Format(TimeFormat), Revision: r.Revision, Hash: r.Hash}
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
		if !s.policy.current(d.Revision) || d.Version != s.policy.Version {
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
		rec := Record{
			Subject:  d.Subject,
			Time:     s.now().UTC().Truncate(time.Millisecond),
			Version:  d.Version,
			Revision: d.Revision,
			Language: d.Language,
			Method:   d.Method,
			Choices:  d.Choices,
			GPC:      r.Header.Get("Sec-GPC") == "1",
		}
		var ids [32]byte
		if _, err := io.ReadFull(s.rand, ids[:]); err != nil {
			s.internal(w, r, "new id", err)
			return
		}
		rec.ID = hex.EncodeToString(ids[:16])
		if rec.Subject == "" {
			rec.Subject = s.store.IssueSubject(rec.Time, ids[16:])
		}
		stored, err := s.store.Append(r.Context(), rec)
		if err != nil {
			s.internal(w, r, "append", err)
			return
		}
		var buf [320]byte
		write(w, http.StatusCreated, newReceipt(stored).appendJSON(buf[:0]))
	})
}

// appendJSON appends the receipt of a new record as encoding/json writes it
// (the optional fields are empty then), without its reflection: this is the
// answer to every POST.
func (rc receipt) appendJSON(b []byte) []byte {
	b = append(b, `{"record_id":`...)
	b = appendString(b, rc.RecordID)
	b = append(b, `,"subject":`...)
	b = appendString(b, rc.Subject)
	b = append(b, `,"time":`...)
	b = appendString(b, rc.Time)
	b = append(b, `,"revision":`...)
	b = appendString(b, rc.Revision)
	b = append(b, `,"hash":`...)
	b = appendString(b, rc.Hash)
	return append(b, '}')
}

type history struct {
	Subject string    `json:"subject"`
	Records []receipt `json:"records"`
}

func (s *server) handleHistory() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		subject := r.PathValue("subject")
		if !hex32.MatchString(subject) {
			problems(w, http.StatusBadRequest, Problem{"subject", "must be 32 lowercase hex digits"})
			return
		}
		recs, err := s.store.Subject(r.Context(), subject)
		if err != nil {
			s.internal(w, r, "subject history", err)
			return
		}
		if len(recs) == 0 {
			problems(w, http.StatusNotFound, Problem{"subject", "no consent recorded for this subject"})
			return
		}
		h := history{Subject: subject, Records: make([]receipt, len(recs))}
		for i, rec := range recs {
			rc := newReceipt(rec)
			rc.Version, rc.Language, rc.Method = rec.Version, rec.Language, rec.Method
			rc.Choices, rc.GPC = &rec.Choices, &rec.GPC
			h.Records[i] = rc
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

// internal logs err and answers 503 without details: every internal error
// on this endpoint is a store that cannot take the record now.
func (s *server) internal(w http.ResponseWriter, r *http.Request, op string, err error) {
	if r.Context().Err() != nil {
		return // the client is gone; nobody reads the answer
	}
	s.log.Error("consent endpoint", "op", op, "path", r.URL.Path, "err", err)
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
