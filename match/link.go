package match

import (
	"cmp"
	"net/url"
	"slices"
	"strings"
)

// trackingParams are query parameters that say how a reader arrived, not
// what they asked for; two links that differ only in them lead to the same
// story. Lower case; matched case-insensitively after unescaping. Names
// that sites also use for content (id, source, page, partner) are
// deliberately absent: removing one of those would merge stories.
var trackingParams = map[string]struct{}{
	"fbclid": {}, "gclid": {}, "dclid": {}, "gbraid": {}, "wbraid": {},
	"msclkid": {}, "yclid": {}, "twclid": {}, "ttclid": {}, "li_fat_id": {},
	"igshid": {}, "mc_cid": {}, "mc_eid": {}, "_ga": {}, "_gl": {},
	"ref": {}, "ref_src": {}, "ref_url": {}, "spm": {}, "mkt_tok": {},
	"_hsenc": {}, "_hsmi": {}, "oly_enc_id": {}, "oly_anon_id": {},
	"vero_id": {}, "rb_clickid": {}, "s_cid": {}, "ocid": {}, "smid": {},
	"xtor": {}, "at_medium": {}, "at_campaign": {},
	"pk_campaign": {}, "pk_kwd": {}, "pk_source": {}, "pk_medium": {},
	"mtm_campaign": {}, "mtm_source": {}, "mtm_medium": {},
}

// trackingPrefixes extend trackingParams to whole families (utm_source,
// utm_medium, utm_campaign, utm_content, utm_term, utm_id, …).
var trackingPrefixes = []string{"utm_"}

func isTracking(key string) bool {
	if _, ok := trackingParams[key]; ok {
		return true
	}
	for _, p := range trackingPrefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// CanonicalLink returns the form of a story's link under which two sources,
// or two fetches, of the same story agree. raw is resolved against base
// (the feed's link, or xml:base) when it is relative; then the scheme and
// host are lower-cased, the default port (:80 for http, :443 for https)
// and an empty path ("/") made implicit, dot segments removed, percent
// escapes upper-cased and those of unreserved characters decoded, other
// bytes that must be escaped (non-ASCII, spaces) escaped, tracking
// parameters (trackingParams, utm_*) removed, the remaining query
// parameters sorted by key (stably, so repeated keys keep their order), and
// an empty query ("?") and the fragment dropped. Path case is kept: servers
// may treat it as significant.
//
// A fragment that starts with "!" or "/" is kept: single-page sites route
// on it ("#!/story/42"), and dropping it would give all their stories one
// link.
//
// Input that is not an absolute http or https URL after resolving, that
// does not parse, or that only refers to the base itself ("", "#top"),
// comes back with surrounding white space trimmed and nothing else
// changed: an item without a link of its own must not take the feed's. CanonicalLink never panics, and
// CanonicalLink(CanonicalLink(raw, base), base) == CanonicalLink(raw, base).
// Safe for concurrent use.
func CanonicalLink(raw, base string) string {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	keepFragment := strings.HasPrefix(u.Fragment, "!") || strings.HasPrefix(u.Fragment, "/")
	if u.Scheme == "" && u.Host == "" && u.Path == "" && u.RawQuery == "" && !keepFragment {
		// "" or "#top" resolves to the feed's own page: every item of a
		// feed that writes it would get one identity.
		return raw
	}
	if u.Scheme == "" && base != "" {
		if b, err := url.Parse(strings.TrimSpace(base)); err == nil {
			u = b.ResolveReference(u)
		}
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Opaque != "" || u.Host == "" {
		return raw
	}

	host := strings.ToLower(u.Hostname())
	if strings.Contains(host, ":") {
		host = "[" + host + "]" // IPv6
	}
	if port := u.Port(); port != "" && !(u.Scheme == "http" && port == "80") && !(u.Scheme == "https" && port == "443") {
		host += ":" + port
	}

	p := u.RawPath
	if p == "" {
		p = u.EscapedPath()
	}
	p = removeDotSegments(canonicalEscape(p))
	if p == "" {
		p = "/"
	}
	path, err := url.PathUnescape(p)
	if err != nil {
		return raw // canonicalEscape leaves only valid escapes; not reached
	}

	out := url.URL{
		Scheme:   u.Scheme,
		User:     u.User,
		Host:     host,
		Path:     path,
		RawPath:  p,
		RawQuery: canonicalQuery(u.RawQuery),
	}
	if keepFragment {
		out.Fragment, out.RawFragment = u.Fragment, u.RawFragment
	}
	c := out.String()
	if _, err := url.Parse(c); err != nil {
		// url.Parse accepts hosts that it cannot take back once split
		// into name and port ("//::"); such input is left alone.
		return raw
	}
	return c
}

// canonicalQuery drops empty and tracking parameters from a raw query and
// sorts the rest by unescaped key, keeping each pair's own escaping
// (canonicalized) so that a value's meaning never changes.
func canonicalQuery(q string) string {
	if q == "" {
		return ""
	}
	type param struct{ key, pair string }
	var params []param
	for pair := range strings.SplitSeq(q, "&") {
		if pair == "" {
			continue
		}
		pair = canonicalEscape(pair)
		k, _, _ := strings.Cut(pair, "=")
		if uk, err := url.QueryUnescape(k); err == nil {
			k = uk
		}
		if isTracking(strings.ToLower(k)) {
			continue
		}
		params = append(params, param{k, pair})
	}
	slices.SortStableFunc(params, func(a, b param) int { return cmp.Compare(a.key, b.key) })
	var b strings.Builder
	for i, p := range params {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.pair)
	}
	return b.String()
}

// canonicalEscape returns s, an escaped URL path or query pair, with every
// percent escape in upper case, escapes of unreserved characters (letters,
// digits, "-._~") decoded, a "%" that starts no escape written "%25", and
// bytes that may not appear unescaped (controls, space, non-ASCII, and
// `"<>\^{|}` and backquote) escaped. Two spellings of one URL then agree:
// "غزة", "%d8%ba%d8%b2%d8%a9" and "%D8%BA%D8%B2%D8%A9". It returns s itself
// when nothing changes.
func canonicalEscape(s string) string {
	const hex = "0123456789ABCDEF"
	var b []byte // nil until something changes
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			v := unhex(s[i+1])<<4 | unhex(s[i+2])
			if isUnreserved(v) {
				b = grow(b, s, i)
				b = append(b, v)
			} else if b != nil || s[i+1] != hex[v>>4] || s[i+2] != hex[v&15] {
				b = grow(b, s, i)
				b = append(b, '%', hex[v>>4], hex[v&15])
			}
			i += 2
		case c == '%' || c <= ' ' || c >= 0x7F || strings.IndexByte("\"<>\\^`{|}", c) >= 0:
			b = grow(b, s, i)
			b = append(b, '%', hex[c>>4], hex[c&15])
		default:
			if b != nil {
				b = append(b, c)
			}
		}
	}
	if b == nil {
		return s
	}
	return string(b)
}

// grow starts the copy of s when the first change is at s[i].
func grow(b []byte, s string, i int) []byte {
	if b != nil {
		return b
	}
	b = make([]byte, i, len(s)+16)
	copy(b, s[:i])
	return b
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

func isUnreserved(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// removeDotSegments applies RFC 3986 section 5.2.4 to an absolute path:
// "/a/./b/../c" is "/a/c". Resolving a relative link already does this;
// doing it for absolute ones too gives both the same identity.
func removeDotSegments(p string) string {
	if !strings.Contains(p, "/.") || !strings.HasPrefix(p, "/") {
		return p
	}
	segs := strings.Split(p[1:], "/")
	out := segs[:0]
	for i, s := range segs {
		last := i == len(segs)-1
		switch s {
		case ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, s)
			continue
		}
		if last {
			out = append(out, "") // "/a/b/.." is the directory "/a/"
		}
	}
	return "/" + strings.Join(out, "/")
}
