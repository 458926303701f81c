package export

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Terminal colours of the text output.
const (
	ansiRed   = "\x1b[31m"
	ansiGreen = "\x1b[32m"
	ansiBold  = "\x1b[1m"
	ansiDim   = "\x1b[2m"
	ansiReset = "\x1b[0m"
)

// context is how many words of an unchanged run a wording change shows
// on each side of a change.
const context = 6

// DiffText renders d for a terminal: a head with both versions, the
// warning when what visitors read changed but the version did not (the
// build refuses that), the changes grouped by section (each marked
// material or editorial, wording word by word: [-removed-] {+inserted+}),
// and whether visitors must be asked again: yes (and how what they
// consent to changed), unless editorial (only its wording changed), or no.
// color adds ANSI colours.
func DiffText(d Diff, color bool) string {
	paint := func(code, s string) string {
		if !color || s == "" {
			return s
		}
		return code + s + ansiReset
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Notice %s → %s\n", sideLine(d.Old), sideLine(d.New))
	if d.SameVersion {
		fmt.Fprintf(&b, "\n%s what visitors read changed but the version is still %s, so `integritet build` refuses it: a consent record names the version; release the change as a new version (integritet release).\n",
			paint(ansiBold+ansiRed, "warning:"), d.New.Version)
	} else if d.SameText && len(d.Changes) > 0 && d.Old.Version == d.New.Version {
		fmt.Fprintf(&b, "\nVisitors read the same text (digest %s): `integritet build` publishes it as version %s without a new release.\n", d.New.Digest, d.New.Version)
	}
	if len(d.Changes) == 0 {
		b.WriteString("\nNo changes.\n")
	}
	section := ""
	for _, c := range d.Changes {
		if c.Section != section {
			section = c.Section
			fmt.Fprintf(&b, "\n%s\n", paint(ansiBold, "== "+section+" =="))
		}
		class := "editorial"
		if c.Material {
			class = paint(ansiRed, "material ")
		}
		fmt.Fprintf(&b, "%s %s\n", class, c.String())
		for _, l := range slices.Sorted(maps.Keys(c.InWords)) {
			fmt.Fprintf(&b, "    %s: %s → %s\n", l, c.InWords[l][0], c.InWords[l][1])
		}
		for _, l := range slices.Sorted(maps.Keys(c.Words)) {
			fmt.Fprintf(&b, "    %s: ", l)
			for i, op := range c.Words[l] {
				switch op.Op {
				case "-":
					b.WriteString(paint(ansiRed, "[-"+strings.TrimSpace(op.Text)+"-]"))
					b.WriteByte(' ')
				case "+":
					b.WriteString(paint(ansiGreen, "{+"+strings.TrimSpace(op.Text)+"+}"))
					b.WriteByte(' ')
				default:
					b.WriteString(paint(ansiDim, elide(op.Text, i > 0, i < len(c.Words[l])-1)))
				}
			}
			b.WriteByte('\n')
		}
	}
	b.WriteByte('\n')
	switch {
	case d.MustReconsent:
		fmt.Fprintf(&b, "Visitors must be asked again: yes (consent revision %s → %s): what they consent to changed, not only its wording, so `integritet release -editorial` is refused:\n", d.Old.Revision, d.New.Revision)
		for _, l := range d.ConsentChanges {
			fmt.Fprintf(&b, "  %s\n", l)
		}
	case d.Kept && d.EditorialVersion != "":
		fmt.Fprintf(&b, "Visitors must be asked again: no, %s was released as editorial (consent revision %s → %s; consent given under %s stays valid): %s\n", d.EditorialVersion, d.Old.Revision, d.New.Revision, d.Old.Revision, d.Editorial)
	case d.Kept:
		fmt.Fprintf(&b, "Visitors must be asked again: no (consent revision %s → %s; consent given under %s stays valid, as the release of %s records)\n", d.Old.Revision, d.New.Revision, d.Old.Revision, d.New.Version)
	case d.Reconsent:
		fmt.Fprintf(&b, "Visitors must be asked again: unless editorial (consent revision %s → %s): only the wording of what they consent to changed; legal may release it with `integritet release -editorial REASON`, and consent given before stays valid\n", d.Old.Revision, d.New.Revision)
	default:
		fmt.Fprintf(&b, "Visitors must be asked again: no (consent revision %s)\n", d.New.Revision)
	}
	return b.String()
}

func sideLine(s Side) string {
	if s.Date == "" {
		return s.Version
	}
	return s.Version + " (" + s.Date + ")"
}

// elide shortens an unchanged run to the words next to the changes.
func elide(s string, before, after bool) string {
	w := strings.Fields(s)
	keep := 0
	if before {
		keep += context
	}
	if after {
		keep += context
	}
	if len(w) <= keep+1 {
		return strings.Join(w, " ") + " "
	}
	var parts []string
	if before {
		parts = append(parts, strings.Join(w[:context], " "))
	}
	parts = append(parts, "…")
	if after {
		parts = append(parts, strings.Join(w[len(w)-context:], " "))
	}
	return strings.Join(parts, " ") + " "
}
