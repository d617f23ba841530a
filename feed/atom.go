package feed

import (
	"bytes"
	"time"

	"github.com/gorilla/feeds"
)

const atomNS = "http://www.w3.org/2005/Atom"

// The Atom types extend gorilla/feeds' AtomFeed and AtomEntry by
// embedding, shadowing the fields that cannot express what RFC 4287 asks
// for (see rss.go for how the shadowing works).

type atomFeed struct {
	feeds.AtomFeed
	Lang string `xml:"xml:lang,attr,omitempty"`
	// Links shadows AtomFeed.Link: a feed needs both rel="self" and
	// rel="alternate".
	Links     []feeds.AtomLink `xml:"link"`
	Generator *atomGenerator   `xml:"generator"`
	Entries   []*atomEntry     `xml:"entry"` // shadows AtomFeed.Entries
}

// FeedXml implements feeds.XmlFeed.
func (f *atomFeed) FeedXml() any { return f }

type atomGenerator struct {
	Name string `xml:",chardata"`
}

type atomEntry struct {
	feeds.AtomEntry
	Lang string `xml:"xml:lang,attr,omitempty"`
	// Categories shadows AtomEntry.Category, a string that would be
	// written as element text, where the schema requires term="".
	Categories []atomCategory `xml:"category"`
	// Source shadows AtomEntry.Source, a string where atom:source is a
	// container of the source feed's metadata.
	Source *atomSource `xml:"source"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

// atomSource names the feed an entry came from. It has no atom:id: we do
// not know the source feed's own id, and minting one would misstate it.
type atomSource struct {
	Title string           `xml:"title"`
	Links []feeds.AtomLink `xml:"link"`
}

// renderAtom writes v as Atom 1.0.
func renderAtom(v *view, buf *bytes.Buffer) error {
	t := v.t
	f := &atomFeed{
		AtomFeed: feeds.AtomFeed{
			Xmlns:    atomNS,
			Title:    t.Title,
			Id:       t.feedID,
			Updated:  v.updated.Format(time.RFC3339),
			Subtitle: t.Description,
		},
		Lang: v.lang,
		Links: []feeds.AtomLink{
			{Href: t.self[formatAtom], Rel: "self", Type: "application/atom+xml"},
			{Href: t.Link, Rel: "alternate", Type: "text/html"},
		},
		Generator: &atomGenerator{Name: generator},
		Entries:   make([]*atomEntry, len(v.entries)),
	}
	if t.hub != "" {
		f.Links = append(f.Links, feeds.AtomLink{Href: t.hub, Rel: "hub"})
	}
	for i := range v.entries {
		e := &v.entries[i]
		x := &atomEntry{
			AtomEntry: feeds.AtomEntry{
				Title:   e.title,
				Id:      e.id,
				Updated: e.updated.Format(time.RFC3339),
				// An entry needs an author unless its feed has one; the
				// source publication is the honest fallback.
				Author: &feeds.AtomAuthor{AtomPerson: feeds.AtomPerson{Name: e.author}},
			},
			Source: &atomSource{Title: e.src.title},
		}
		if x.Author.Name == "" {
			x.Author.Name = e.src.title
		}
		if e.lang != v.lang {
			x.Lang = e.lang // inherited from the feed otherwise
		}
		if !e.published.IsZero() {
			x.Published = e.published.Format(time.RFC3339)
		}
		// An entry must have an alternate link or content; without a
		// link the summary becomes the content.
		if e.link != "" {
			x.Links = []feeds.AtomLink{{Href: e.link, Rel: "alternate"}}
			if e.summary != "" {
				x.Summary = &feeds.AtomSummary{Content: e.summary, Type: "html"}
			}
		} else {
			x.Content = &feeds.AtomContent{Content: e.summary, Type: "html"}
		}
		for _, c := range e.categories {
			x.Categories = append(x.Categories, atomCategory{Term: c})
		}
		if e.src.feedURL != "" {
			x.Source.Links = append(x.Source.Links, feeds.AtomLink{Href: e.src.feedURL, Rel: "self"})
		}
		if e.src.homeURL != "" {
			x.Source.Links = append(x.Source.Links, feeds.AtomLink{Href: e.src.homeURL, Rel: "alternate"})
		}
		f.Entries[i] = x
	}
	return writeXML(buf, f)
}

// Compile-time checks that our documents go through the library's
// interface.
var (
	_ feeds.XmlFeed = (*atomFeed)(nil)
	_ feeds.XmlFeed = (*rssDoc)(nil)
)
