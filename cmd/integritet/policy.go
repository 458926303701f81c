package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
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

// policyFor derives the endpoint's policy from a rendered notice: revision
// (and the earlier ones its release keeps valid), version, digest,
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
	if rel, ok := notice.FindRelease(out.Releases, n.Meta.Version); ok && rel.Digest == out.Digest {
		p.Accepts = rel.Accepts
	}
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
