package site

import (
	"testing"

	"github.com/integritet/integritet/notice"
)

// TestRevisionCoversEverythingTheBannerShows checks that each text the
// banner and its settings show, in every language, changes the consent
// revision, and that a text the banner does not show leaves it alone.
func TestRevisionCoversEverythingTheBannerShows(t *testing.T) {
	t.Parallel()
	load := func() *notice.Notice {
		n, err := notice.Load("..")
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	base, err := Revision("..", load())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		edit    func(n *notice.Notice, ui map[string]map[string]string)
		changes bool
	}{
		{"category description (sv)", func(n *notice.Notice, _ map[string]map[string]string) {
			n.ConsentCategories[1].Description = notice.Text{"sv": "Delar din surfhistorik med annonsnätverk.", "en": n.ConsentCategories[1].Description["en"]}
		}, true},
		{"category title (en)", func(n *notice.Notice, _ map[string]map[string]string) {
			n.ConsentCategories[2].Title = notice.Text{"sv": n.ConsentCategories[2].Title["sv"], "en": "Ads"}
		}, true},
		{"cookie purpose", func(n *notice.Notice, _ map[string]map[string]string) {
			n.Cookies[0].Purpose = notice.Text{"sv": "x", "en": "y"}
		}, true},
		{"cookie lifetime", func(n *notice.Notice, _ map[string]map[string]string) { n.Cookies[0].LifetimeText = "P1Y" }, true},
		{"banner body (sv)", func(_ *notice.Notice, ui map[string]map[string]string) { ui["sv"]["body"] = "Vi säljer allt." }, true},
		{"reject button (en)", func(_ *notice.Notice, ui map[string]map[string]string) { ui["en"]["rejectAll"] = "No" }, true},
		{"purpose interests (not in the banner)", func(n *notice.Notice, _ map[string]map[string]string) {
			n.Purposes[1].Interests = notice.Text{"sv": "Annat."}
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := load()
			s, err := LoadStrings("..", n)
			if err != nil {
				t.Fatal(err)
			}
			ui := s.UI()
			tt.edit(n, ui)
			if got := n.Revision(ui) != base; got != tt.changes {
				t.Errorf("revision changed = %v, want %v", got, tt.changes)
			}
		})
	}
}
