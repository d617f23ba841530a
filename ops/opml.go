package ops

import (
	"encoding/xml"
	"net/http"
	"strings"
	"time"

	"tickerd/store"
)

// opmlDoc is an OPML 2.0 subscription list, as feed readers import.
type opmlDoc struct {
	XMLName xml.Name `xml:"opml"`
	Version string   `xml:"version,attr"`
	Head    struct {
		Title       string `xml:"title"`
		DateCreated string `xml:"dateCreated"`
	} `xml:"head"`
	Outlines []opmlOutline `xml:"body>outline"`
}

type opmlOutline struct {
	Text     string `xml:"text,attr"`
	Title    string `xml:"title,attr,omitempty"`
	Type     string `xml:"type,attr"`
	XMLURL   string `xml:"xmlUrl,attr"`
	HTMLURL  string `xml:"htmlUrl,attr,omitempty"`
	Category string `xml:"category,attr,omitempty"`
}

// serveOPML exports the configured sources as OPML: the feed's own title
// when it has been fetched (else the OPML title it came with, else its
// name), the URL it is fetched from (after a permanent redirect, the new
// one), its site, and its tags as categories. URLs go through
// store.RedactURL, as in /api/sources.
func (o *Ops) serveOPML(w http.ResponseWriter, _ *http.Request) {
	doc := opmlDoc{Version: "2.0"}
	doc.Head.Title = "tickerd sources"
	doc.Head.DateCreated = time.Now().UTC().Format(time.RFC1123)
	for _, src := range o.sourceList() {
		// One read of the state: title, site and URL come from the same
		// fetch.
		st, _ := o.st.State(src.Name)
		current := stateOf(src, st)
		title := src.Name
		switch {
		case st.Title != "" && current:
			title = st.Title
		case src.Title != "":
			title = src.Title
		}
		site := src.SiteURL
		if st.Link != "" && current {
			site = st.Link
		}
		doc.Outlines = append(doc.Outlines, opmlOutline{
			Text:     title,
			Title:    title,
			Type:     "rss", // what readers expect for Atom and JSON feeds too
			XMLURL:   store.RedactURL(fetchedURL(src, st), src.PrivateParams),
			HTMLURL:  store.RedactURL(site, src.PrivateParams),
			Category: strings.Join(src.Tags, ","),
		})
	}
	b, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		o.log.Error("encode OPML", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/x-opml; charset=utf-8")
	h.Set("Content-Disposition", `inline; filename="tickerd.opml"`)
	h.Set("Cache-Control", "no-store")
	w.Write([]byte(xml.Header))
	w.Write(b)
	w.Write([]byte("\n"))
}
