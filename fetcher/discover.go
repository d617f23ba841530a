package fetcher

import (
	"bytes"
	"mime"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// NotFeedError is returned (wrapped) when a body is not a feed. It matches
// ErrNotFeed with errors.Is.
type NotFeedError struct {
	// HTML reports that the body was an HTML page.
	HTML bool
	// Alternate is the absolute URL of the first feed the page advertises
	// with <link rel="alternate">, or "" if it advertises none.
	Alternate string
}

func (e *NotFeedError) Error() string {
	switch {
	case e.Alternate != "":
		return "not a feed: got an HTML page that names its feed at " + e.Alternate + " (use that URL)"
	case e.HTML:
		return "not a feed: got an HTML page"
	}
	return "not a feed: no RSS, Atom or JSON Feed document found"
}

func (e *NotFeedError) Is(target error) bool { return target == ErrNotFeed }

// feedTypes are the media types of <link rel="alternate"> that name a feed.
var feedTypes = map[string]bool{
	"application/rss+xml":   true,
	"application/atom+xml":  true,
	"application/feed+json": true,
	"application/json":      true,
	"application/rdf+xml":   true,
}

// discoveryWindow bounds how much of a page is searched for feed links:
// they belong in <head>, which real pages keep well within it.
const discoveryWindow = 256 << 10

// alternateFeed returns the first feed URL an HTML page advertises, made
// absolute against the page's <base href> and then base, limited to http
// and https; "" when there is none.
func alternateFeed(page []byte, base *url.URL) string {
	z := html.NewTokenizer(bytes.NewReader(page[:min(len(page), discoveryWindow)]))
	z.SetMaxBuf(discoveryWindow)
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == "head" {
				return ""
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "body":
				return ""
			case "base", "link":
			default:
				continue
			}
			attrs := map[string]string{}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if _, dup := attrs[string(k)]; !dup {
					attrs[string(k)] = string(v)
				}
			}
			if string(name) == "base" {
				if u, err := url.Parse(strings.TrimSpace(attrs["href"])); err == nil && base != nil {
					base = base.ResolveReference(u)
				}
				continue
			}
			mt, _, _ := mime.ParseMediaType(attrs["type"])
			if !hasToken(attrs["rel"], "alternate") || !feedTypes[mt] {
				continue
			}
			if link := resolveLink(base, attrs["href"]); link != "" {
				return link
			}
		}
	}
}

// hasToken reports whether the space-separated list holds tok, ignoring
// ASCII case.
func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}
