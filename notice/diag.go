package notice

import (
	"fmt"
	"sort"
	"strings"
)

// Severity of a diagnostic.
type Severity string

// Severities, as printed.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Diagnostic is one problem found in the notice, at a position, like a
// compiler's: "content/purposes.toml:12:9: unknown legal basis ...".
type Diagnostic struct {
	Pos      Pos
	Severity Severity
	Rule     string // lint rule id; empty for load errors
	Message  string
	// Target is the finding's subject as a key path that survives
	// reordering ("purpose.direct-marketing", "controller.org_nr"); an
	// [[accept]] entry names it.
	Target string
	// Accepted is the reason from the [[accept]] entry that accepted this
	// finding after legal review; accepted findings are listed, not hidden,
	// and do not count as errors.
	Accepted string
}

func (d Diagnostic) String() string {
	var b strings.Builder
	switch {
	case d.Pos.File != "" && d.Pos.Line > 0:
		fmt.Fprintf(&b, "%s:%d:%d: ", d.Pos.File, d.Pos.Line, d.Pos.Col)
	case d.Pos.File != "":
		fmt.Fprintf(&b, "%s: ", d.Pos.File)
	}
	if d.Pos.Line == 0 && d.Pos.Path != "" {
		fmt.Fprintf(&b, "%s: ", d.Pos.Path)
	}
	if d.Rule != "" {
		fmt.Fprintf(&b, "%s: ", d.Severity)
	}
	b.WriteString(d.Message)
	if d.Accepted != "" {
		fmt.Fprintf(&b, "; accepted: %s", d.Accepted)
	}
	if d.Rule != "" {
		fmt.Fprintf(&b, " [%s]", d.Rule)
	}
	return b.String()
}

// Diagnostics is every problem of one run, sorted by file and position.
// As an error it prints one diagnostic per line.
type Diagnostics []Diagnostic

func (ds Diagnostics) Error() string {
	lines := make([]string, len(ds))
	for i, d := range ds {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}

// Sort orders diagnostics by file, line, column, then message.
func (ds Diagnostics) Sort() {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i].Pos, ds[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return ds[i].Message < ds[j].Message
	})
}

// HasErrors reports whether any diagnostic is an error that was not
// accepted.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Severity == Error && d.Accepted == "" {
			return true
		}
	}
	return false
}
