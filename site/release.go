package site

import (
	"context"
	"fmt"
	"html"
	"html/template"
	"maps"
	"regexp"
	"slices"

	"github.com/integritet/integritet/notice"
	"github.com/integritet/integritet/notice/release"
)

// releaseLink is what the history page shows of a released version.
type releaseLink = release.Link

// archive reads every released version's archive for publishing under
// releases/VERSION/, re-based for this site (release.Read), and returns
// its files with the links the history page shows: each archived page,
// and the page of what changed since the version before where both have
// the language and the notice still has it (changes makes those).
func (r *renderer) archive(dir string, rs []notice.Release) (map[string][]byte, map[string]map[string]releaseLink, error) {
	as, err := release.Read(dir, rs, r.n)
	if err != nil {
		return nil, nil, err
	}
	r.archives = as
	files := map[string][]byte{}
	links := map[string]map[string]releaseLink{}
	base := r.n.Meta.BasePath()
	for i, a := range as {
		maps.Copy(files, a.Files)
		links[a.Release.Version] = map[string]releaseLink{}
		for lang, p := range a.Pages {
			l := releaseLink{Href: base + "/" + p}
			if _, ok := r.changesOf(i, lang); ok {
				l.ChangesHref = l.Href + "changes/"
			}
			links[a.Release.Version][lang] = l
		}
	}
	return files, links, nil
}

// changesOf returns the page of what changed in the i-th release since
// the one before, in lang (an HTML fragment), when both versions have a
// page in lang and the notice still has the language. Each is made once
// per render.
func (r *renderer) changesOf(i int, lang string) (template.HTML, bool) {
	if i == 0 || r.n.Meta.Slug[lang] == "" {
		return "", false
	}
	if r.changed == nil {
		r.changed = map[[2]string]*template.HTML{}
	}
	k := [2]string{r.archives[i].Release.Version, lang}
	if h, ok := r.changed[k]; ok {
		return deref(h)
	}
	p := r.newPage(lang, "")
	h, ok := r.archives[i].Changes(&r.archives[i-1], lang, p.T, p.Date)
	if !ok {
		r.changed[k] = nil
		return "", false
	}
	r.changed[k] = &h
	return h, true
}

func deref(h *template.HTML) (template.HTML, bool) {
	if h == nil {
		return "", false
	}
	return *h, true
}

// changesPage is what the theme's changes.html sees: the page of the
// language, and the two versions with what changed between them.
type changesPage struct {
	*page
	From, To    notice.Release
	Summary     template.HTML
	Changes     template.HTML
	ArchiveHref string
}

// changes renders, in the language of p, the page of what changed in each
// release since the one before, beside its archived page:
// releases/VERSION/LANG/SLUG/changes/. It belongs to the site as it is
// now (its theme, banner and links), so that an archive of any age gets
// one, in the current language of the page.
func (r *renderer) changes(out *Output, p *page) error {
	for i, a := range r.archives {
		frag, ok := r.changesOf(i, p.Lang)
		if !ok {
			continue
		}
		v := a.Release.Version
		cp := *p
		cp.Title = p.T("history_changes") + ": " + p.T("version") + " " + v
		cp.Alternates = nil
		cp.XDefault = ""
		for _, alt := range p.Alternates {
			if _, ok := r.changesOf(i, alt.Lang); ok {
				alt.Href = r.releases[v][alt.Lang].ChangesHref
				alt.Abs = abs(r.n.Meta.BaseURL, alt.Href)
				cp.Alternates = append(cp.Alternates, alt)
				if alt.Lang == r.n.Meta.DefaultLanguage {
					cp.XDefault = alt.Abs
				}
			}
		}
		l := r.releases[v][p.Lang]
		cp.Canonical = abs(r.n.Meta.BaseURL, l.ChangesHref)
		data := changesPage{page: &cp, From: r.archives[i-1].Release, To: a.Release, Summary: p.MD(a.Release.Summary), Changes: frag, ArchiveHref: l.Href}
		if err := r.write(out, a.Pages[p.Lang]+"changes/index.html", "changes.html", data); err != nil {
			return err
		}
	}
	return nil
}

// Release renders the site rooted at dir as the version its notice names,
// and releases it (release.Make): the render with opts (lint through
// opts.Check; a draft is what is being released) and the render of its
// archive. The Output is the first render, also when the release is
// refused, for its findings.
func Release(ctx context.Context, dir string, opts Options, editorial string) (*Output, notice.Release, error) {
	opts.Drafts = true
	out, err := Render(ctx, dir, opts)
	if err != nil {
		return nil, notice.Release{}, err
	}
	arch, err := Render(ctx, dir, Options{Theme: opts.Theme, Minify: true, Archive: true, JSONLD: opts.JSONLD})
	if err != nil {
		return out, notice.Release{}, fmt.Errorf("release %s: archive: %w", out.Notice.Meta.Version, err)
	}
	rel, err := release.Make(dir, out.Releases, release.Candidate{
		Notice: out.Notice, Digest: out.Digest, Revision: out.Revision, Draft: out.Draft, Archive: arch.Files,
	}, editorial)
	return out, rel, err
}

// Version renders the site rooted at dir with theme, drafts allowed, as
// one side of a comparison (integritet diff); release.Open reads an
// archived one.
func Version(ctx context.Context, dir, theme string) (*release.Version, *Strings, error) {
	out, err := Render(ctx, dir, Options{Drafts: true, Theme: theme})
	if err != nil {
		return nil, nil, err
	}
	str, err := LoadStrings(dir, out.Notice)
	if err != nil {
		return nil, nil, err
	}
	v := &release.Version{Notice: out.Notice, UI: str.UI(), Revision: out.Revision, Digest: out.Digest, Files: out.Files}
	if r, ok := notice.FindRelease(out.Releases, out.Notice.Meta.Version); ok && r.Digest == out.Digest {
		v.Accepts, v.KeptBy = r.Accepts, release.KeptBy(out.Releases, r.Version)
	}
	return v, str, nil
}

var bodyRE = regexp.MustCompile(`<body[^>]*>`)

// markDraft puts a visible "unreleased draft" notice at the top of every
// notice and history page (serve does this instead of refusing).
func (r *renderer) markDraft(out *Output) {
	for _, lang := range r.n.Meta.Languages {
		p := r.newPage(lang, "")
		note := []byte(`<p class="draft" role="status"><strong>` + html.EscapeString(p.T("draft_notice")) + `</strong></p>`)
		for _, f := range []string{p.dir + "index.html", p.dir + "history/index.html"} {
			if b, ok := out.Files[f]; ok {
				if loc := bodyRE.FindIndex(b); loc != nil {
					out.Files[f] = slices.Concat(b[:loc[1]], note, b[loc[1]:])
				}
			}
		}
	}
}
