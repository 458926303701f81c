package export

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
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
// warning when the version did not change, the changes grouped by section
// (each marked material or editorial, wording word by word: [-removed-]
// {+inserted+}), and whether visitors must be asked again. color adds ANSI
// colours.
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
		fmt.Fprintf(&b, "\n%s the notice changed but its version is still %s: a consent record names the version, so release the change as a new version (integritet release).\n",
			paint(ansiBold+ansiRed, "warning:"), d.New.Version)
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
	if d.Reconsent {
		fmt.Fprintf(&b, "Visitors must be asked again: yes (consent revision %s → %s)\n", d.Old.Revision, d.New.Revision)
	} else {
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

//go:embed diff.html
var diffHTML string

// DiffHTML renders d as an HTML fragment in lang (the history page's "what
// changed"): the changes by section, wording with <del> and <ins>, each
// change marked material or editorial. t returns the UI string id in a
// language (site.Strings.T).
func DiffHTML(d Diff, lang string, t func(lang, id string) string) ([]byte, error) {
	tm, err := template.New("diff").Funcs(template.FuncMap{
		"T": func(id string) string { return t(lang, id) },
		"section": func(s string) string {
			if s == "history" {
				return t(lang, "history")
			}
			if v := t(lang, "section_"+s); v != "section_"+s {
				return v
			}
			return s
		},
	}).Parse(diffHTML)
	if err != nil {
		return nil, err
	}
	type group struct {
		Section string
		Changes []Change
	}
	var groups []group
	for _, c := range d.Changes {
		if len(groups) == 0 || groups[len(groups)-1].Section != c.Section {
			groups = append(groups, group{Section: c.Section})
		}
		groups[len(groups)-1].Changes = append(groups[len(groups)-1].Changes, c)
	}
	var buf bytes.Buffer
	err = tm.Execute(&buf, struct {
		Diff   Diff
		Lang   string
		Groups []group
	}{d, lang, groups})
	return buf.Bytes(), err
}
