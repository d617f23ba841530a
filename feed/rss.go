package feed

import (
	"bytes"
	"encoding/xml"
	"time"

	"github.com/gorilla/feeds"
)

// The RSS types extend gorilla/feeds' RssFeed and RssItem by embedding:
// encoding/xml lets a field of the outer struct shadow an embedded field
// with the same element name, which is how the gaps below are closed
// without giving up the library's definitions of everything else.

// rssDoc is the <rss> root. gorilla's RssFeedXml cannot be reused: it
// declares the content: namespace, which we never use, and not atom:,
// which the self link needs.
type rssDoc struct {
	XMLName xml.Name    `xml:"rss"`
	Version string      `xml:"version,attr"`
	AtomNS  string      `xml:"xmlns:atom,attr"`
	Channel *rssChannel `xml:"channel"`
}

// FeedXml implements feeds.XmlFeed.
func (d *rssDoc) FeedXml() any { return d }

type rssChannel struct {
	feeds.RssFeed
	// Links are the atom:link rel="self" the RSS Advisory Board
	// recommends, and rel="hub" when a WebSub hub is configured; RssFeed
	// has no field for them.
	Links []rssAtomLink `xml:"atom:link"`
	Items []*rssItem    `xml:"item"` // shadows RssFeed.Items
}

type rssAtomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type rssItem struct {
	feeds.RssItem
	// Link shadows RssItem.Link, which is always written, even empty.
	Link string `xml:"link,omitempty"`
	// Categories shadows RssItem.Category, which holds only one.
	Categories []string `xml:"category"`
	// Source shadows RssItem.Source, a bare string where RSS 2.0 wants
	// the source title as text and the source feed's URL in url="".
	Source *rssSource `xml:"source"`
}

type rssSource struct {
	URL   string `xml:"url,attr"`
	Title string `xml:",chardata"`
}

// renderRSS writes v as RSS 2.0.
func renderRSS(v *view, buf *bytes.Buffer) error {
	t := v.t
	ch := &rssChannel{
		RssFeed: feeds.RssFeed{
			Title:         t.Title,
			Link:          t.Link,
			Description:   t.Description,
			Language:      v.lang,
			LastBuildDate: v.updated.Format(time.RFC1123Z),
			Generator:     generator,
		},
		Links: []rssAtomLink{{Href: t.self[formatRSS], Rel: "self", Type: "application/rss+xml"}},
		Items: make([]*rssItem, len(v.entries)),
	}
	if t.hub != "" {
		ch.Links = append(ch.Links, rssAtomLink{Href: t.hub, Rel: "hub"})
	}
	for i := range v.entries {
		e := &v.entries[i]
		it := &rssItem{
			RssItem: feeds.RssItem{
				Title:       e.title,
				Description: e.summary,
				Author:      e.author,
				Guid:        &feeds.RssGuid{Id: e.guid, IsPermaLink: "false"},
			},
			Link:       e.link,
			Categories: e.categories,
			Source:     &rssSource{URL: v.sourceURL(e.src), Title: e.src.title},
		}
		if e.permalink {
			it.Guid.IsPermaLink = "true"
		}
		if !e.published.IsZero() {
			it.PubDate = e.published.Format(time.RFC1123Z)
		}
		ch.Items[i] = it
	}
	return writeXML(buf, &rssDoc{Version: "2.0", AtomNS: atomNS, Channel: ch})
}

// sourceURL is the URL that names an item's source where one is required:
// the source feed's, else this server's, since RSS 2.0's <source> must
// have a url.
func (v *view) sourceURL(src *source) string {
	if src.feedURL != "" {
		return src.feedURL
	}
	return v.home
}

// writeXML encodes x through gorilla/feeds and ends the document with a
// newline, which the library leaves out.
func writeXML(buf *bytes.Buffer, x feeds.XmlFeed) error {
	if err := feeds.WriteXML(x, buf); err != nil {
		return err
	}
	buf.WriteByte('\n')
	return nil
}

const generator = "tickerd"
