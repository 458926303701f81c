package release

import (
	"encoding/json"

	"github.com/integritet/integritet/notice"
)

// JSON is the machine-readable list of released versions that the site
// of n publishes at .well-known/integritet-releases.json: each version
// with its date, summary, digest, consent revision, what it keeps valid,
// and the absolute URLs of its archived page and its changes page by
// language (links, by version and language).
func JSON(n *notice.Notice, rs []notice.Release, links map[string]map[string]Link) ([]byte, error) {
	type rel struct {
		Version   string            `json:"version"`
		Date      string            `json:"date"`
		Summary   map[string]string `json:"summary,omitempty"`
		Digest    string            `json:"digest"`
		Revision  string            `json:"revision"`
		Editorial string            `json:"editorial,omitempty"`
		Accepts   []string          `json:"accepts,omitempty"`
		Pages     map[string]string `json:"pages"`
		Changes   map[string]string `json:"changes,omitempty"`
	}
	out := struct {
		Controller string `json:"controller"`
		Current    string `json:"current"`
		Releases   []rel  `json:"releases"`
	}{Controller: n.Controller.Name, Current: n.Meta.Version}
	for _, r := range rs {
		e := rel{Version: r.Version, Date: r.Date.String(), Summary: r.Summary, Digest: r.Digest, Revision: r.Revision, Editorial: r.Editorial, Accepts: r.Accepts, Pages: map[string]string{}}
		for lang, l := range links[r.Version] {
			e.Pages[lang] = abs(n.Meta.BaseURL, l.Href)
			if l.ChangesHref != "" {
				if e.Changes == nil {
					e.Changes = map[string]string{}
				}
				e.Changes[lang] = abs(n.Meta.BaseURL, l.ChangesHref)
			}
		}
		out.Releases = append(out.Releases, e)
	}
	b, err := json.MarshalIndent(out, "", "  ")
	return append(b, '\n'), err
}
