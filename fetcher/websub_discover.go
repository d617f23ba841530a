package fetcher

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/mmcdole/gofeed"
)

// feedWebSub reads the first WebSub hub and the self URL a parsed feed announces
// (Atom link or RSS atom:link, rel="hub" and rel="self"), resolved
// against base. Only http(s) URLs count.
func feedWebSub(feed *gofeed.Feed, base *url.URL) (hub, self string) {
	for h := range strings.SplitSeq(feed.Custom[customHubs], "\n") {
		if u := resolveLink(base, strings.TrimSpace(h)); isHTTPURL(u) && hub == "" {
			hub = u
		}
	}
	if u := resolveLink(base, strings.TrimSpace(feed.FeedLink)); isHTTPURL(u) {
		self = u
	}
	return hub, self
}

// linkHeaderWebSub reads rel="hub" and rel="self" from HTTP Link header
// values (RFC 8288), resolved against base. WebSub prefers them to the
// feed's own links.
func linkHeaderWebSub(values []string, base *url.URL) (hubs []string, self string) {
	for _, v := range values {
		for _, link := range splitLinks(v) {
			target, params, ok := strings.Cut(link, ";")
			target = strings.TrimSpace(target)
			if !ok || !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
				continue
			}
			ref := resolveLink(base, strings.TrimSpace(target[1:len(target)-1]))
			if !isHTTPURL(ref) {
				continue
			}
			for p := range strings.SplitSeq(params, ";") {
				k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
				if !strings.EqualFold(strings.TrimSpace(k), "rel") {
					continue
				}
				for rel := range strings.FieldsSeq(strings.ToLower(strings.Trim(strings.TrimSpace(val), `"`))) {
					switch rel {
					case "hub":
						hubs = append(hubs, ref)
					case "self":
						if self == "" {
							self = ref
						}
					}
				}
			}
		}
	}
	return hubs, self
}

// splitLinks splits one Link header value at the commas between links,
// not at commas inside <…> or quotes.
func splitLinks(v string) []string {
	var out []string
	depth, quoted, start := 0, false, 0
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '<':
			depth++
		case c == '>':
			depth = max(depth-1, 0)
		case c == ',' && depth == 0:
			out = append(out, v[start:i])
			start = i + 1
		}
	}
	return append(out, v[start:])
}

// jsonFeedHub reads the first WebSub hub of a JSON Feed's "hubs" (gofeed
// drops them); "" for none, or for a body that is not a JSON object.
func jsonFeedHub(body []byte, base *url.URL) string {
	if b := bytes.TrimLeft(body, " \t\r\n\ufeff"); len(b) == 0 || b[0] != '{' {
		return ""
	}
	var doc struct {
		Hubs []struct {
			Type string `json:"type"`
			URL  string `json:"url"`
		} `json:"hubs"`
	}
	if json.Unmarshal(body, &doc) != nil {
		return ""
	}
	for _, h := range doc.Hubs {
		if strings.EqualFold(strings.TrimSpace(h.Type), "websub") || strings.EqualFold(strings.TrimSpace(h.Type), "pubsubhubbub") {
			if u := resolveLink(base, h.URL); isHTTPURL(u) {
				return u
			}
		}
	}
	return ""
}
