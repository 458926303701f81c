package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/integritet/integritet/consent"
	"github.com/integritet/integritet/notice"
	"github.com/integritet/integritet/site"
)

// loadPolicy builds the endpoint's policy from the notice under
// sourceDir/content, so that categories, revision and digest come from the
// same source as the published notice.
func loadPolicy(ctx context.Context, sourceDir string, extraOrigins []string) (consent.Policy, error) {
	out, err := site.Render(ctx, sourceDir, site.Options{Drafts: true})
	if err != nil {
		return consent.Policy{}, fmt.Errorf("load the notice: %w", err)
	}
	return policyFor(out, extraOrigins)
}

// policyFor derives the endpoint's policy from a rendered notice: revision,
// version and digest (and the earlier releases whose decisions stay valid),
// languages, the non-necessary consent categories, the allowed origins and
// the retention of consent records.
func policyFor(out *site.Output, extraOrigins []string) (consent.Policy, error) {
	n := out.Notice
	origins, err := allowedOrigins(n.Meta.BaseURL, extraOrigins)
	if err != nil {
		return consent.Policy{}, err
	}
	p := consent.Policy{
		Revision:   out.Revision,
		Version:    n.Meta.Version,
		Digest:     out.Digest,
		Categories: n.OptionalCategories(),
		Languages:  n.Meta.Languages,
		Origins:    origins,
	}
	p.Earlier = earlierReleases(out.Releases, n.Meta.Version, out.Revision, out.Digest)
	if r, ok := n.RetentionFor("consent-records"); ok && !r.Duration.IsZero() {
		d := r.Duration
		p.Retention = d.String()
		p.Cutoff = d.SubFrom
	}
	if err := p.Validate(); err != nil {
		return consent.Policy{}, err
	}
	return p, nil
}

// earlierReleases lists the releases other than version whose pages may
// still send decisions valid now: those with the current revision (their
// consent-relevant content is the current one) and, when version is
// released with exactly this content, those whose revision its release
// kept valid as editorial. Each keeps its own digest: a record names the
// text its visitor read.
func earlierReleases(rs []notice.Release, version, revision, digest string) []consent.Release {
	var accepts []string
	if rel, ok := notice.FindRelease(rs, version); ok && rel.Digest == digest {
		accepts = rel.Accepts
	}
	var out []consent.Release
	for _, r := range rs {
		if r.Version != version && (r.Revision == revision || slices.Contains(accepts, r.Revision)) {
			out = append(out, consent.Release{Version: r.Version, Revision: r.Revision, Digest: r.Digest})
		}
	}
	return out
}

// allowedOrigins returns the origin of the notice's base URL and the extra
// origins, each normalised to scheme://host[:port].
func allowedOrigins(baseURL string, extra []string) ([]string, error) {
	var out []string
	var errs []error
	add := func(what, s string) {
		o, err := origin(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s %q: %w", what, s, err))
			return
		}
		for _, have := range out {
			if have == o {
				return
			}
		}
		out = append(out, o)
	}
	if baseURL != "" {
		add("base URL", baseURL)
	}
	for _, e := range extra {
		add("-origin", e)
	}
	return out, errors.Join(errs...)
}

// origin reduces an http(s) URL to its origin as browsers send it.
func origin(s string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return "", err
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", errors.New("want an http or https URL such as https://www.example.se")
	}
	if u.Host == "" || u.User != nil {
		return "", errors.New("want a host, without user information")
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		if u.Path != "" && u.Path != "/" && u.RawQuery == "" && u.Fragment == "" {
			// A base URL may carry a path; its origin is what counts.
			return strings.ToLower(u.Scheme + "://" + u.Host), nil
		}
		return "", errors.New("an origin has no query or fragment")
	}
	host := strings.ToLower(u.Host)
	if p := u.Port(); (u.Scheme == "https" && p == "443") || (u.Scheme == "http" && p == "80") {
		host = strings.TrimSuffix(host, ":"+p)
	}
	return u.Scheme + "://" + host, nil
}
