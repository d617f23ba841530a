package fetcher

import (
	"strings"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	"github.com/mmcdole/gofeed/rss"
)

// rssTranslator is gofeed's RSS translation plus what its universal item
// drops: an item with no link takes its guid when that is a permalink
// (isPermaLink "true" or absent, RSS 2.0's default) and an http(s) URL.
type rssTranslator struct{ gofeed.DefaultRSSTranslator }

func (t *rssTranslator) Translate(feed any) (*gofeed.Feed, error) {
	out, err := t.DefaultRSSTranslator.Translate(feed)
	rf, ok := feed.(*rss.Feed)
	if err != nil || !ok || out == nil {
		return out, err
	}
	rssHints(rf, out)
	if len(rf.Items) != len(out.Items) {
		return out, err
	}
	for i, ri := range rf.Items {
		it := out.Items[i]
		if it == nil || ri == nil || ri.GUID == nil || strings.TrimSpace(it.Link) != "" {
			continue
		}
		if strings.EqualFold(strings.TrimSpace(ri.GUID.IsPermalink), "false") {
			continue
		}
		if g := strings.TrimSpace(ri.GUID.Value); isHTTPURL(g) {
			it.Link = g
		}
	}
	return out, nil
}

// atomTranslator is gofeed's Atom translation with categories as their
// term (the machine-readable name, what readers file by) rather than
// their label; the label stands in only where a category has no term.
type atomTranslator struct{ gofeed.DefaultAtomTranslator }

func (t *atomTranslator) Translate(feed any) (*gofeed.Feed, error) {
	out, err := t.DefaultAtomTranslator.Translate(feed)
	af, ok := feed.(*atom.Feed)
	if err != nil || !ok || out == nil {
		return out, err
	}
	var hubs []string
	for _, l := range af.Links {
		if l != nil && strings.EqualFold(strings.TrimSpace(l.Rel), "hub") && strings.TrimSpace(l.Href) != "" {
			hubs = append(hubs, strings.TrimSpace(l.Href))
		}
	}
	if len(hubs) > 0 {
		out.Custom = withCustom(out.Custom, customHubs, strings.Join(hubs, "\n"))
	}
	if len(af.Entries) != len(out.Items) {
		return out, err
	}
	for i, e := range af.Entries {
		if out.Items[i] == nil || e == nil {
			continue
		}
		var cats []string
		for _, c := range e.Categories {
			if c == nil {
				continue
			}
			if v := strings.TrimSpace(c.Term); v != "" {
				cats = append(cats, v)
			} else if v := strings.TrimSpace(c.Label); v != "" {
				cats = append(cats, v)
			}
		}
		out.Items[i].Categories = cats
	}
	return out, nil
}

// isHTTPURL reports whether s is an absolute http or https URL.
func isHTTPURL(s string) bool {
	lower := strings.ToLower(s)
	return (strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://")) && len(s) > len("https://")
}

// Keys the translators add to gofeed.Feed.Custom: the feed's freshness
// hints and WebSub hubs, which gofeed's universal feed has no field for;
// like the raw pass's keys, they start with a space so that no element
// name gofeed puts there can clash.
const (
	customTTL         = " ttl"
	customSyPeriod    = " sy updatePeriod"
	customSyFrequency = " sy updateFrequency"
	customHubs        = " hubs" // newline-separated
)

// rssHints copies <ttl>, sy:updatePeriod/updateFrequency and atom:link
// rel="hub" of an RSS channel into out.Custom.
func rssHints(rf *rss.Feed, out *gofeed.Feed) {
	if v := strings.TrimSpace(rf.TTL); v != "" {
		out.Custom = withCustom(out.Custom, customTTL, v)
	}
	if sy, ok := rf.Extensions["sy"]; ok {
		for name, key := range map[string]string{"updatePeriod": customSyPeriod, "updateFrequency": customSyFrequency} {
			if els := sy[name]; len(els) > 0 {
				if v := strings.TrimSpace(els[0].Value); v != "" {
					out.Custom = withCustom(out.Custom, key, v)
				}
			}
		}
	}
	var hubs []string
	for _, prefix := range []string{"atom", "atom10", "atom03"} {
		for _, l := range rf.Extensions[prefix]["link"] {
			if strings.EqualFold(strings.TrimSpace(l.Attrs["rel"]), "hub") {
				if h := strings.TrimSpace(l.Attrs["href"]); h != "" {
					hubs = append(hubs, h)
				}
			}
		}
	}
	if len(hubs) > 0 {
		out.Custom = withCustom(out.Custom, customHubs, strings.Join(hubs, "\n"))
	}
}
