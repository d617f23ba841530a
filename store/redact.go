package store

import (
	"net/url"
	"strings"
)

// Redacted replaces the value of a secret query parameter in a URL that
// RedactURL publishes.
const Redacted = "REDACTED"

// SecretParams are the query parameter names RedactURL always treats as
// secrets, compared after lower-casing and turning '-' into '_'. A name
// ending in '_' and one of them (client_secret, x_amz_signature,
// private_token) counts too.
var SecretParams = []string{"key", "api_key", "apikey", "token", "access_token", "auth", "sig", "signature", "password", "secret"}

// RedactURL returns raw fit to publish: without user information
// (user:password@ is dropped whole, the user name being as much a
// credential as the password), and with the value of every query (or
// fragment) parameter named in SecretParams or private (compared without
// case) replaced by Redacted. The rest of the URL is kept byte for byte,
// parameter order included. It is the one function every output that
// shows a source's URL goes through: feeds, live events, /api/sources,
// /opml and the fetch errors those report.
//
// A string that does not parse as a URL is returned as "", since it
// cannot be shown to hold nothing secret.
func RedactURL(raw string, private []string) string {
	// Dropping parts can leave a string that parses differently from the
	// URL it was printed from ("//@//" prints as "//", which has no path
	// at all): redact again until nothing changes, so what is published
	// is what a reader of it would redact to.
	out := redactOnce(raw, private)
	for i := 0; i < 4; i++ {
		next := redactOnce(out, private)
		if next == out {
			return out
		}
		out = next
	}
	return ""
}

func redactOnce(raw string, private []string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	u.User = nil
	if u.RawQuery != "" {
		u.RawQuery = redactParams(u.RawQuery, private)
		u.ForceQuery = false
	}
	if u.Fragment != "" && strings.Contains(u.EscapedFragment(), "=") {
		// An OAuth implicit grant puts access_token=… in the fragment.
		frag := redactParams(u.EscapedFragment(), private)
		if f, err := url.PathUnescape(frag); err == nil {
			u.Fragment, u.RawFragment = f, frag
		}
	}
	return u.String()
}

// redactParams redacts the secret values of a query string, leaving every
// other byte as it was: re-encoding through url.Values would reorder and
// re-escape what the publisher wrote.
func redactParams(q string, private []string) string {
	parts := strings.Split(q, "&")
	changed := false
	for i, p := range parts {
		name, value, ok := strings.Cut(p, "=")
		if !ok || value == "" || value == Redacted {
			continue
		}
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if SecretParam(name, private) {
			parts[i] = p[:len(p)-len(value)] + Redacted
			changed = true
		}
	}
	if !changed {
		return q
	}
	return strings.Join(parts, "&")
}

// SecretParam reports whether a query parameter called name holds a
// secret: it is in SecretParams (or ends in '_' and one of them), or in
// private, ignoring case (and '-' against '_').
func SecretParam(name string, private []string) bool {
	n := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(name)), "-", "_")
	for _, p := range private {
		if strings.EqualFold(strings.TrimSpace(p), strings.TrimSpace(name)) || strings.ReplaceAll(strings.ToLower(p), "-", "_") == n {
			return true
		}
	}
	for _, s := range SecretParams {
		if n == s || strings.HasSuffix(n, "_"+s) {
			return true
		}
	}
	return false
}
