package site

import (
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/integritet/integritet/notice"
)

// Strings are a site's UI strings (the built-in ones with the site's own
// i18n files on top) for the languages of one notice, for what needs them
// outside a render: the consent revision, which covers the banner's texts,
// and the diff, which says durations in words.
type Strings struct {
	n      *notice.Notice
	bundle *i18n.Bundle
}

// LoadStrings reads the UI strings of the site rooted at dir for n.
func LoadStrings(dir string, n *notice.Notice) (*Strings, error) {
	b, err := loadBundle(source{dir: dir, theme: "default"}, n)
	if err != nil {
		return nil, err
	}
	return &Strings{n: n, bundle: b}, nil
}

func (s *Strings) localizer(lang string, errs *[]error) localizer {
	tag, _ := language.Parse(lang)
	return localizer{lang: lang, loc: i18n.NewLocalizer(s.bundle, tag.String()), n: s.n, errs: errs}
}

// Duration says d in lang ("18 månader", "2 years").
func (s *Strings) Duration(lang string, d notice.Duration) string {
	var errs []error
	return s.localizer(lang, &errs).Duration(d)
}

// Date writes d as lang does ("2025-03-31", "31.03.2025").
func (s *Strings) Date(lang string, d notice.Date) string {
	var errs []error
	return s.localizer(lang, &errs).Date(d)
}

// T is the UI string id in lang; a missing one is the id itself.
func (s *Strings) T(lang, id string) string {
	var errs []error
	return s.localizer(lang, &errs).T(id)
}

// UI returns the banner's texts in every language of the notice, by the
// keys of the banner configuration.
func (s *Strings) UI() map[string]map[string]string {
	var errs []error
	out := map[string]map[string]string{}
	for _, l := range s.n.Meta.Languages {
		out[l] = bannerTexts(s.localizer(l, &errs))
	}
	return out
}

// Revision is the consent revision of n with the banner texts of the site
// rooted at dir.
func Revision(dir string, n *notice.Notice) (string, error) {
	s, err := LoadStrings(dir, n)
	if err != nil {
		return "", err
	}
	return n.Revision(s.UI()), nil
}

// bannerTexts are the banner's and the settings' own texts in one
// language, by the keys of the banner configuration (assets/README.md).
func bannerTexts(l localizer) map[string]string {
	out := map[string]string{}
	for key, id := range map[string]string{
		"title": "banner_title", "body": "banner_body", "acceptAll": "banner_accept", "rejectAll": "banner_reject",
		"settings": "banner_settings", "save": "banner_save", "close": "banner_close", "withdraw": "banner_withdraw",
		"alwaysOn": "banner_always_on", "noticeLink": "banner_notice", "settingsTitle": "banner_settings_title",
		"settingsBody": "banner_settings_body", "cookies": "banner_cookies", "allow": "banner_allow",
		"embed": "banner_embed", "once": "banner_once",
	} {
		out[key] = l.T(id)
	}
	return out
}
