package scan

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"
)

// Report is a scan's result with its findings and drafts, as -format json
// writes it.
type Report struct {
	Result
	Findings []Finding `json:"findings"`
	// Drafts are the drafted declarations for what is undeclared (TOML, to
	// append to the cookies file; every one says TODO until reviewed).
	Drafts      string `json:"drafts,omitempty"`
	Attribution string `json:"attribution,omitempty"`
	Errors      int    `json:"errors"`
	Warnings    int    `json:"warnings"`
}

// NewReport puts a result and its findings together.
func NewReport(r *Result, fs []Finding) *Report {
	rep := &Report{Result: *r, Findings: fs, Drafts: draftsOf(fs)}
	if rep.Findings == nil {
		rep.Findings = []Finding{}
	}
	if rep.Drafts != "" {
		rep.Attribution = ocdAttribution
	}
	rep.Errors, rep.Warnings = summary(fs)
	return rep
}

// WriteText writes the terminal report: one line per finding, like a
// compiler, then the drafts and a summary.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	for _, f := range r.Findings {
		b.WriteString(f.String())
		b.WriteByte('\n')
	}
	if r.Drafts != "" {
		b.WriteString("\nDrafted declarations for legal to review (integritet scan -write appends them):\n")
		b.WriteString(r.Drafts)
	}
	pages := 0
	for _, ev := range r.Passes {
		pages = max(pages, len(ev.Pages))
		for _, p := range ev.Problems {
			fmt.Fprintf(&b, "%s pass: %s\n", ev.Pass, p)
		}
	}
	fmt.Fprintf(&b, "\nscanned %s: %s x %d passes: %s, %s\n", r.Site, plural(pages, "page"), len(r.Passes), plural(r.Errors, "error"), plural(r.Warnings, "warning"))
	_, err := io.WriteString(w, b.String())
	return err
}

func plural(n int, s string) string {
	if n == 1 {
		return "1 " + s
	}
	return fmt.Sprintf("%d %ss", n, s)
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteHTML writes a self-contained page: the findings, then the three
// passes side by side.
func (r *Report) WriteHTML(w io.Writer) error {
	t, err := reportPage()
	if err != nil {
		return err
	}
	return t.Execute(w, r)
}

// reportPage parses the HTML report's template.
func reportPage() (*template.Template, error) {
	return template.New("report").Funcs(template.FuncMap{
		"when": func(t time.Time) string {
			if t.IsZero() {
				return "session"
			}
			return t.UTC().Format("2006-01-02 15:04")
		},
		"life": func(c Cookie) string {
			if c.Expires.IsZero() {
				return "session"
			}
			return days(c.Lifetime())
		},
		"plural": plural,
		"join": func(ps []Pass) string {
			s := make([]string, len(ps))
			for i, p := range ps {
				s[i] = string(p)
			}
			return strings.Join(s, ", ")
		},
		"title": func(p Pass) string {
			switch p {
			case Before:
				return "Before any choice"
			case Reject:
				return "After \u201cReject all\u201d"
			}
			return "After \u201cAccept all\u201d"
		},
	}).Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>integritet scan of {{.Site}}</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 1.5rem; color: #1a1a1a; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.15rem; margin-top: 2rem; } h3 { font-size: 1rem; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1rem; }
th, td { text-align: left; vertical-align: top; padding: .25rem .5rem; border-bottom: 1px solid #ccc; overflow-wrap: break-word; }
.error, .warning, th { white-space: nowrap; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
.passes { display: grid; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); gap: 1.5rem; }
.passes section { min-width: 0; }
.passes table { table-layout: fixed; }
.passes th { white-space: normal; }
.passes td { overflow-wrap: anywhere; }
.error { color: #a00000; font-weight: 600; } .warning { color: #6b4e00; font-weight: 600; }
pre { background: #f4f4f4; padding: .75rem; overflow-x: auto; }
small { color: #555; }
</style>
</head>
<body>
<main>
<h1>Scan of {{.Site}}</h1>
<p>Started {{when .Time}} UTC from {{.Start}}: {{.Errors}} errors, {{.Warnings}} warnings.</p>
<h2>Findings</h2>
{{if .Findings}}<table>
<thead><tr><th scope="col">Severity</th><th scope="col">Where</th><th scope="col">Finding</th><th scope="col">Passes</th><th scope="col">Evidence</th></tr></thead>
<tbody>{{range .Findings}}
<tr><td class="{{.Severity}}">{{.Severity}}</td><td>{{.Where}}</td><td>{{.Message}} <small>[{{.Rule}}]</small></td><td>{{join .Passes}}</td><td>{{.Evidence}}</td></tr>{{end}}
</tbody></table>{{else}}<p>None: the site does what the notice says.</p>{{end}}
{{if .Drafts}}<h2>Drafted declarations</h2>
<p>For legal to review; <code>integritet scan -write</code> appends them to the cookies file. {{.Attribution}}.</p>
<pre>{{.Drafts}}</pre>{{end}}
<h2>The three passes</h2>
<div class="passes">{{range .Passes}}
<section aria-labelledby="pass-{{.Pass}}">
<h3 id="pass-{{.Pass}}">{{title .Pass}}</h3>
<p>{{plural (len .Pages) "page"}}{{if .Clicked}}; the banner was clicked on {{.Clicked}}{{end}}.</p>
<table><caption>Cookies</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Domain, path</th><th scope="col">Lifetime</th><th scope="col">Flags</th><th scope="col">Set by</th></tr></thead>
<tbody>{{range .Cookies}}<tr><td>{{.Name}}</td><td>{{.Domain}} {{.Path}}</td><td>{{life .}}</td><td>{{if .ThirdParty}}third party{{else}}first party{{end}}{{if .HTTPOnly}}, HttpOnly{{end}}{{if .Secure}}, Secure{{end}}{{if .SameSite}}, SameSite={{.SameSite}}{{end}}{{if .Transient}}, deleted again{{end}}</td><td>{{.SetBy}}</td></tr>
{{else}}<tr><td colspan="5">none</td></tr>{{end}}</tbody></table>
<table><caption>Storage</caption>
<thead><tr><th scope="col">Kind</th><th scope="col">Origin</th><th scope="col">Name</th><th scope="col">Set by</th></tr></thead>
<tbody>{{range .Storage}}<tr><td>{{.Kind}}</td><td>{{.Origin}}</td><td>{{.Name}}</td><td>{{.SetBy}}</td></tr>
{{else}}<tr><td colspan="4">none</td></tr>{{end}}</tbody></table>
<table><caption>Other hosts contacted</caption>
<thead><tr><th scope="col">Host</th><th scope="col">Requests</th><th scope="col">First</th></tr></thead>
<tbody>{{range .Hosts}}<tr><td>{{.Host}}</td><td>{{.Count}}</td><td>{{index .URLs 0}}{{if .ServiceWorkers}} <small>from service worker {{index .ServiceWorkers 0}}</small>{{end}}</td></tr>
{{else}}<tr><td colspan="3">none</td></tr>{{end}}</tbody></table>
{{if .Problems}}<ul>{{range .Problems}}<li>{{.}}</li>{{end}}</ul>{{end}}
</section>{{end}}
</div>
</main>
</body>
</html>
`)
}
