package release

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"strings"

	"github.com/integritet/integritet/notice"
)

// Digest is "sha256:" and the hex SHA-256 of everything a visitor reads
// in every language of the rendered site: the visible text of each notice
// page (the cookie table included), and the banner's and the settings'
// texts (categories with their cookies, and the banner's own strings).
// Markup, links, scripts and styles are not part of it, so a theme's
// markup or an archive's base path leaves it alone, while any change of
// wording changes it. files are the rendered site's files by path
// ("sv/integritetspolicy/index.html", "assets/consent-config.sv.json").
func Digest(n *notice.Notice, files map[string][]byte) string {
	h := sha256.New()
	for _, lang := range n.Meta.Languages {
		fmt.Fprintf(h, "lang %s\npage\n%s\n", lang, VisibleText(files[lang+"/"+n.Meta.Slug[lang]+"/index.html"]))
		if cfg := files["assets/consent-config."+lang+".json"]; cfg != nil {
			var c struct {
				Categories json.RawMessage `json:"categories"`
				Text       map[string]string
			}
			if err := json.Unmarshal(cfg, &c); err == nil {
				t, _ := json.Marshal(c.Text) // sorted keys
				fmt.Fprintf(h, "banner\n%s\n%s\n", c.Categories, t)
			}
		}
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// VisibleText is the text a reader sees in a rendered page: tags dropped
// (each as a space), scripts, styles and comments left out, entities
// decoded, white space collapsed. The same page minified or not, or under
// another base path, gives the same text.
func VisibleText(page []byte) string {
	var b strings.Builder
	b.Grow(len(page) / 2)
	s := string(page)
	for len(s) > 0 {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		b.WriteByte(' ')
		s = s[i:]
		if strings.HasPrefix(s, "<!--") {
			end := strings.Index(s, "-->")
			if end < 0 {
				break
			}
			s = s[end+3:]
			continue
		}
		end := strings.IndexByte(s, '>')
		if end < 0 {
			break
		}
		tag := strings.ToLower(s[1:end])
		s = s[end+1:]
		for _, raw := range []string{"script", "style", "template"} {
			if tag == raw || strings.HasPrefix(tag, raw+" ") {
				close := strings.Index(strings.ToLower(s), "</"+raw)
				if close < 0 {
					s = ""
				} else {
					s = s[close:]
				}
			}
		}
	}
	return strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
}
