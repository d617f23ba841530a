package config

import (
	"fmt"
	"net/url"
	"path"
	"strings"
)

// parseHTTPURL accepts absolute http and https URLs with a host.
func parseHTTPURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not a valid URL", s)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%q must be an http or https URL", s)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("%q has no host", s)
	}
	return u, nil
}

// normalizeURL returns the form two source URLs are compared in to find
// the same feed listed twice: scheme and host in lower case, without a
// default port, an empty path as "/", a file path cleaned, no fragment
// (never sent to the server). Query and user information stay: another
// query or other credentials may well be another feed.
func normalizeURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	switch {
	case u.Scheme == "http" && strings.HasSuffix(u.Host, ":80"):
		u.Host = strings.TrimSuffix(u.Host, ":80")
	case u.Scheme == "https" && strings.HasSuffix(u.Host, ":443"):
		u.Host = strings.TrimSuffix(u.Host, ":443")
	}
	if u.Scheme == "file" {
		u.Path, u.RawPath = path.Clean(u.Path), ""
	} else if u.Path == "" {
		u.Path = "/"
	}
	u.Fragment, u.RawFragment = "", ""
	return u.String()
}

// redactForError shows a source URL in an error without its user
// information: `tickerd check` output lands in CI logs.
func redactForError(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	return u.Redacted()
}
