package preview

import (
	"bufio"
	"bytes"
	"errors"
	"html/template"
	"os"
	"path/filepath"
	"strings"

	"github.com/integritet/integritet/notice"
)

// problem is one line of the error page: the diagnostic as the command
// line prints it, and the source line it points at with a caret under the
// column.
type problem struct {
	Text     string
	Severity string
	Line     string
	Caret    string
}

var errorTmpl = template.Must(template.New("error").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build failed: integritet</title>
<link rel="stylesheet" href="` + stylePath + `">
</head>
<body>
<main>
<h1>The build failed</h1>
<p>Fix the {{if eq (len .Problems) 1}}problem{{else}}{{len .Problems}} problems{{end}} below and save: this page reloads by itself.</p>
<ol>
{{- range .Problems}}
<li class="{{.Severity}}"><p><code>{{.Text}}</code></p>
{{- if .Line}}
<pre>{{.Line}}
{{.Caret}}</pre>
{{- end}}
</li>
{{- end}}
</ol>
</main>
<script src="` + scriptPath + `?v={{.Gen}}" defer></script>
</body>
</html>
`))

// errorPage renders err (diagnostics or any other error) as the page shown
// instead of every page of the site.
func errorPage(dir string, err error, gen int64) ([]byte, error) {
	var ps []problem
	var ds notice.Diagnostics
	if errors.As(err, &ds) {
		lines := map[string][]string{}
		for _, d := range ds {
			p := problem{Text: d.String(), Severity: string(d.Severity)}
			if d.Pos.File != "" && d.Pos.Line > 0 {
				src, ok := lines[d.Pos.File]
				if !ok {
					src = readLines(filepath.Join(dir, filepath.FromSlash(d.Pos.File)))
					lines[d.Pos.File] = src
				}
				if d.Pos.Line <= len(src) {
					p.Line = src[d.Pos.Line-1]
					p.Caret = caret(p.Line, d.Pos.Col)
				}
			}
			ps = append(ps, p)
		}
	} else {
		ps = append(ps, problem{Text: err.Error(), Severity: "error"})
	}
	var b bytes.Buffer
	if err := errorTmpl.Execute(&b, struct {
		Problems []problem
		Gen      int64
	}{ps, gen}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// readLines returns the lines of a file, or nil when it cannot be read.
func readLines(name string) []string {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil
	}
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		out = append(out, strings.TrimRight(sc.Text(), "\r"))
	}
	return out
}

// caret returns the marker line under column col (1-based, in characters)
// of line, keeping the tabs of the line so it lines up.
func caret(line string, col int) string {
	if col < 1 {
		col = 1
	}
	var b strings.Builder
	i := 1
	for _, r := range line {
		if i >= col {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
		i++
	}
	b.WriteByte('^')
	return b.String()
}

const errorCSS = `body{margin:0;font:16px/1.5 system-ui,sans-serif;background:#fff;color:#1a1a1a}
main{max-width:60rem;margin:2rem auto;padding:0 1rem}
h1{color:#a4161a;font-size:1.5rem}
ol{padding-left:1.25rem}
li{margin:1rem 0}
li.warning code{color:#7a4b00}
li.error code{color:#a4161a}
pre{background:#f4f4f4;border-left:4px solid #a4161a;padding:.5rem .75rem;overflow-x:auto;tab-size:4}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9rem}
`
