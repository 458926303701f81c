package consent

import (
	"fmt"
	"log/slog"
	"strings"
	"sync"
)

// maxMismatches bounds how many (revision, version) pairs mismatchLog
// remembers: the pairs come from outside.
const maxMismatches = 64

// mismatchLog warns once per (revision, version) pair that decisions
// arrive for a notice the endpoint does not take. Such a decision is
// refused with 409, which nobody reads but the banner; the operator learns
// from this line that the site and the endpoint were built from different
// content.
type mismatchLog struct {
	log       *slog.Logger
	publishes string // what the endpoint takes, for the message

	mu   sync.Mutex
	seen map[[2]string]bool
	full bool // the "more mismatches" line was written
}

func newMismatchLog(log *slog.Logger, p Policy) *mismatchLog {
	publishes := fmt.Sprintf("revision %s, version %q", p.Revision, p.Version)
	if len(p.Earlier) > 0 {
		var earlier []string
		for _, r := range p.Earlier {
			earlier = append(earlier, fmt.Sprintf("%q", r.Version))
		}
		publishes += fmt.Sprintf(", and the earlier versions %s", strings.Join(earlier, ", "))
	}
	return &mismatchLog{log: log, publishes: publishes, seen: map[[2]string]bool{}}
}

// note records a decision refused for revision rev and version v, and
// logs the pair the first time it comes.
func (m *mismatchLog) note(rev, v string) {
	key := [2]string{rev, v}
	m.mu.Lock()
	seen, full := m.seen[key], len(m.seen) >= maxMismatches
	if !seen && !full {
		m.seen[key] = true
	}
	first := full && !seen && !m.full
	if first {
		m.full = true
	}
	m.mu.Unlock()
	switch {
	case !seen && !full:
		m.log.Warn(fmt.Sprintf("consent endpoint: decisions arrive for notice revision %s (version %q), which this endpoint does not take "+
			"(it takes %s) and refuses with 409; the site was probably built from other content than the endpoint runs on, "+
			"such as a rebuild after the endpoint started: restart `integritet endpoint` on the content the site was built from. "+
			"Pages cached from an earlier release whose consent is no longer valid also end here; their visitors are asked again",
			rev, v, m.publishes), "revision", rev, "version", v)
	case first:
		m.log.Warn(fmt.Sprintf("consent endpoint: decisions arrive for more than %d notice revisions and versions this endpoint does not take; "+
			"further ones are refused with 409 without a line each", maxMismatches))
	}
}
