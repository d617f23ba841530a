package fetcher

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"io"
	"net/url"
	"strings"

	"github.com/mmcdole/gofeed"
)

// rawItem is what an item's (or entry's) own XML says that gofeed drops.
type rawItem struct {
	about     string // rdf:about of an RSS 1.0 item
	titleType string // the title's type attribute, lowercased
	linkText  string // an Atom <link> given as element text, not href
	body      string // an RSS item's xhtml:body, as markup
	// summaryBase is the xml:base in scope at an RSS item's description
	// (or content:encoded), possibly relative.
	summaryBase string
	// title, summary and content are an Atom element's text decoded from
	// mode="base64"; "" when it was not base64.
	title, summary, content string
}

// rawNeeds says which facts a feed needs its raw pass for; every field
// false means it needs none, which is nearly every feed.
type rawNeeds struct {
	about, titleType, linkText, body, base64 bool
	base                                     bool // xml:base for RSS summaries
}

func (n rawNeeds) any() bool {
	return n.about || n.titleType || n.linkText || n.body || n.base64 || n.base
}

// needsRaw decides from gofeed's result, and short searches of the body,
// whether the raw pass is worth its cost: about that of a parse, paid only
// by feeds that carry what it reads.
func needsRaw(body []byte, feed *gofeed.Feed) rawNeeds {
	var n rawNeeds
	n.about = feed.FeedType == "rss" && feed.FeedVersion == "1.0" && bytes.Contains(body, []byte("about="))
	// gofeed applies xml:base to Atom content and to RSS link elements,
	// not to the HTML of an RSS description.
	n.base = feed.FeedType == "rss" && bytes.Contains(body, []byte("xml:base"))
	n.base64 = bytes.Contains(body, []byte(`mode="base64"`)) || bytes.Contains(body, []byte(`mode='base64'`))
	textTitles := bytes.Contains(body, []byte(`type="text`)) || bytes.Contains(body, []byte(`type='text`))
	linkSearched := false
	for _, it := range feed.Items {
		if it == nil {
			continue
		}
		if textTitles && strings.Contains(it.Title, "<") {
			n.titleType = true
		}
		if it.Link == "" && feed.FeedType == "atom" && !linkSearched {
			// Searched once, not per item: an archive of entries
			// without links must not cost a search of the body each.
			n.linkText, linkSearched = bytes.Contains(body, []byte("<link>")), true
		}
		if it.Description == "" && it.Content == "" && it.Extensions != nil {
			if _, ok := it.Extensions["xhtml"]; ok {
				n.body = true
			}
		}
	}
	return n
}

const nsXHTML = "http://www.w3.org/1999/xhtml"

// rawItems reads the items' own XML for what need asks, in document
// order. It returns nil when the body cannot be read to the end (then
// nothing from it is trusted).
func rawItems(body []byte, need rawNeeds) []rawItem {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	var items []rawItem
	depth, itemDepth := 0, -1
	// bases[i] is the xml:base in scope at depth i+1, as resolved so far
	// (relative when no ancestor made it absolute); kept only for need.base.
	var bases []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return items
		}
		if err != nil {
			return nil
		}
		switch t := tok.(type) {
		case xml.EndElement:
			depth--
			if depth == itemDepth {
				itemDepth = -1
			}
			if need.base && len(bases) > 0 {
				bases = bases[:len(bases)-1]
			}
		case xml.StartElement:
			depth++
			if need.base {
				bases = append(bases, xmlBase(bases, t))
			}
			switch {
			case itemDepth < 0 && depth <= 3 && isRawItem(t.Name):
				itemDepth = depth - 1
				var it rawItem
				if need.about {
					it.about = attr(t, nsRDF, "about")
				}
				items = append(items, it)
			case itemDepth >= 0 && depth == itemDepth+2:
				it := &items[len(items)-1]
				if need.base && it.summaryBase == "" && (t.Name.Local == "description" || t.Name.Local == "encoded") {
					it.summaryBase = bases[len(bases)-1]
				}
				if !readItemChild(d, t, it, need) {
					continue
				}
				depth-- // the child was read whole, its end included
				if need.base {
					bases = bases[:len(bases)-1]
				}
			}
		}
	}
}

// xmlBase is the base in scope inside t: its xml:base resolved against
// the one in scope around it (the last of bases).
func xmlBase(bases []string, t xml.StartElement) string {
	parent := ""
	if len(bases) > 0 {
		parent = bases[len(bases)-1]
	}
	own := ""
	for _, a := range t.Attr {
		if a.Name.Local == "base" && (a.Name.Space == "http://www.w3.org/XML/1998/namespace" || a.Name.Space == "xml") {
			own = strings.TrimSpace(a.Value)
		}
	}
	if own == "" {
		return parent
	}
	if parent == "" {
		return own
	}
	pu, err1 := url.Parse(parent)
	ou, err2 := url.Parse(own)
	if err1 != nil || err2 != nil {
		return parent
	}
	return pu.ResolveReference(ou).String()
}

// isRawItem reports whether n names an item as gofeed sees one (see the
// trim pass's namespaces).
func isRawItem(n xml.Name) bool {
	switch strings.ToLower(n.Local) {
	case "item":
		return rssNative(n.Space)
	case "entry":
		return atomNative(n.Space)
	}
	return false
}

// readItemChild records what need asks of one child element of an item,
// and reports whether it read the element to its end.
func readItemChild(d *xml.Decoder, t xml.StartElement, it *rawItem, need rawNeeds) bool {
	switch {
	case t.Name.Local == "title" && need.titleType && !strings.EqualFold(attr(t, "", "mode"), "base64"):
		it.titleType = strings.ToLower(strings.TrimSpace(attr(t, "", "type")))
	case t.Name.Local == "link" && need.linkText && attr(t, "", "href") == "" && it.linkText == "":
		var v struct {
			Text string `xml:",chardata"`
		}
		if d.DecodeElement(&v, &t) != nil {
			return false
		}
		it.linkText = strings.TrimSpace(v.Text)
		return true
	case t.Name.Local == "body" && t.Name.Space == nsXHTML && need.body:
		body, ok := xhtmlInner(d)
		if !ok {
			return false
		}
		it.body = body
		return true
	case (t.Name.Local == "title" || t.Name.Local == "summary" || t.Name.Local == "content") && need.base64 &&
		strings.EqualFold(attr(t, "", "mode"), "base64"):
		var v struct {
			Text string `xml:",chardata"`
		}
		if d.DecodeElement(&v, &t) != nil {
			return false
		}
		decoded, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(v.Text), ""))
		if err != nil {
			return true
		}
		switch t.Name.Local {
		case "title":
			it.title = string(decoded)
		case "summary":
			it.summary = string(decoded)
		default:
			it.content = string(decoded)
		}
		return true
	}
	return false
}

// xhtmlInner reads the content of the element just started as HTML:
// elements by their local name (an xhtml: prefix means nothing to an HTML
// sanitizer), text escaped, comments and instructions dropped. It reads
// the element's end tag too.
func xhtmlInner(d *xml.Decoder) (string, bool) {
	var b strings.Builder
	for depth := 0; ; {
		tok, err := d.Token()
		if err != nil {
			return "", false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			b.WriteString("<" + t.Name.Local)
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || a.Name.Local == "xmlns" {
					continue
				}
				b.WriteString(" " + a.Name.Local + `="`)
				xml.EscapeText(&b, []byte(a.Value))
				b.WriteString(`"`)
			}
			b.WriteString(">")
		case xml.EndElement:
			if depth == 0 {
				return strings.TrimSpace(b.String()), true
			}
			depth--
			if !voidElement(t.Name.Local) {
				b.WriteString("</" + t.Name.Local + ">")
			}
		case xml.CharData:
			xml.EscapeText(&b, t)
		}
	}
}

// voidElement reports whether HTML writes name without an end tag: XML's
// <img/> comes out of the decoder as a start and an end.
func voidElement(name string) bool {
	switch strings.ToLower(name) {
	case "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr":
		return true
	}
	return false
}

func attr(t xml.StartElement, space, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local && (a.Name.Space == space || space == nsRDF && a.Name.Space == "rdf") {
			return a.Value
		}
	}
	return ""
}

// applyRaw puts what the raw pass read into gofeed's items. The items
// must be the same, in the same order: when gofeed read a trimmed body
// (trimItems) the counts differ and nothing is applied.
func applyRaw(feed *gofeed.Feed, raws []rawItem) {
	if len(raws) != len(feed.Items) {
		return
	}
	for i, it := range feed.Items {
		if it == nil {
			continue
		}
		r := raws[i]
		if r.about != "" && strings.TrimSpace(it.GUID) == "" {
			it.GUID = strings.TrimSpace(r.about)
		}
		if r.titleType == "text" || r.titleType == "text/plain" {
			it.Custom = withCustom(it.Custom, customTextTitle, "1")
		}
		if it.Link == "" && r.linkText != "" {
			it.Link = r.linkText
		}
		if r.body != "" {
			it.Custom = withCustom(it.Custom, customXHTMLBody, r.body)
		}
		if r.title != "" {
			it.Title = r.title
		}
		if r.summaryBase != "" {
			it.Custom = withCustom(it.Custom, customSummaryBase, r.summaryBase)
		}
		if r.summary != "" {
			it.Description = r.summary
		}
		if r.content != "" {
			it.Content = r.content
		}
	}
}

// Keys the raw pass adds to gofeed.Item.Custom, which gofeed fills with
// the names of unknown RSS elements: they cannot clash with one.
const (
	customTextTitle = " text title"
	customXHTMLBody = " xhtml body"
	// customSummaryBase is the xml:base in scope at an RSS summary.
	customSummaryBase = " summary base"
)

func withCustom(m map[string]string, k, v string) map[string]string {
	if m == nil {
		m = map[string]string{}
	}
	m[k] = v
	return m
}
