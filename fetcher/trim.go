package fetcher

import (
	"bytes"
	"cmp"
	"container/heap"
	"encoding/xml"
	"io"
	"slices"
	"strings"
	"time"
)

// trimThreshold is the body size from which an XML feed is trimmed before
// gofeed parses it. gofeed holds about 9× a feed's size while parsing (and
// allocates about 25×): 1 MiB costs some 10 MB, no worse than a few normal
// feeds at once. Below it a feed rarely lists more than trimming would keep
// anyway (4×200 items of a typical 1–2 KB), and the pass (about a quarter
// of a whole parse's time, a fifth of its allocation) would be paid for
// nothing.
const trimThreshold = 1 << 20

// Namespaces gofeed treats as its own (its rss and atom parsers'
// nativeNamespaces; "rss" and "rdf" are undeclared prefixes, which
// encoding/xml reports literally), and the two extension namespaces its
// translator reads item dates from.
const (
	nsRDF      = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
	nsRSS10    = "http://purl.org/rss/1.0/"
	nsRSS09    = "http://channel.netscape.com/rdf/simple/0.9/"
	nsRSS09Alt = "http://my.netscape.com/rdf/simple/0.9/"
	nsAtom10   = "http://www.w3.org/2005/Atom"
	nsAtom03   = "http://purl.org/atom/ns#"
	nsDC       = "http://purl.org/dc/elements/1.1/"
)

func rssNative(space string) bool {
	switch space {
	case "", "rss", "rdf", nsRDF, nsRSS10, nsRSS09, nsRSS09Alt:
		return true
	}
	return false
}

func atomNative(space string) bool {
	return space == "" || space == nsAtom10 || space == nsAtom03
}

// trimItems returns body cut down to the keep items (RSS 2.0 and 1.0
// <item>, Atom <entry>) that gofeed would date newest, when body is an XML
// feed of at least threshold bytes (trimThreshold outside tests) listing more than keep. Otherwise,
// and whenever the feed's shape leaves any doubt about what gofeed would
// see, it returns body itself.
//
// The result is the bytes before the first item, the kept items with the
// non-blank bytes between items (channel elements placed between items,
// comments) in their original order, and the bytes after the last item:
// channel metadata and closing tags stay as they were. Items rank as
// converter.candidates ranks gofeed's items (newest first by the date
// conversion will give them, undated ones after in feed order), so the
// items converted are the same as if gofeed had parsed the whole body,
// except where parseFeedDate reads a date differently from gofeed (a
// shape it does not know ranks as undated; an unknown zone name as UTC).
//
// The pass is encoding/xml's raw tokenizer over the same UTF-8 bytes gofeed
// will read, keeping only offsets and one date per item (O(keep) memory
// beside the tokenizer's garbage). It expands no entity (encoding/xml
// knows only the five predefined ones and ignores DTDs) and stops at
// maxDepth, leaving deep nesting for parseOnce to refuse. Any XML error
// leaves body whole for gofeed to report or tolerate.
func trimItems(body []byte, keep, threshold int) []byte {
	if len(body) < threshold || keep <= 0 {
		return body
	}
	head := bytes.TrimLeft(body, " \t\r\n")
	if len(head) == 0 || head[0] != '<' {
		return body // JSON Feed, or not a feed: not trimmed
	}
	sc, ok := scanItems(body, keep)
	if !ok || sc.count <= keep {
		return body
	}
	return sc.assemble(body)
}

// itemSpan is one item: where it is and how it ranks.
type itemSpan struct {
	start, end int64
	pos        int       // index among the feed's items
	at         time.Time // zero when gofeed would give no usable date
}

// better reports whether a ranks before b, as candidates sorts.
func (a itemSpan) better(b itemSpan) bool {
	if c := newestFirst(a.at, b.at); c != 0 {
		return c < 0
	}
	return a.pos < b.pos
}

// worstFirst is a heap of the items kept so far, the one to drop first on
// top.
type worstFirst []itemSpan

func (h worstFirst) Len() int           { return len(h) }
func (h worstFirst) Less(i, j int) bool { return h[j].better(h[i]) }
func (h worstFirst) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *worstFirst) Push(x any)        { *h = append(*h, x.(itemSpan)) }
func (h *worstFirst) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// gap is a run of non-blank bytes between two items.
type gap struct {
	start, end int64
	after      int // pos of the item it follows
}

type itemScan struct {
	count      int
	first, end int64 // start of the first item, end of the last
	kept       worstFirst
	gaps       []gap
}

// itemDates collects the date texts of one item as gofeed's parsers and
// translator read them.
type itemDates struct {
	pubText    string     // RSS pubDate, the last one
	pubParsed  *time.Time // the last pubDate that parsed
	dc         string     // the first dc:date (extension text, untrimmed)
	dcSet      bool       // a dc:date was seen
	atomPub    string     // RSS atom:published (extension, the first) or Atom published (the last)
	atomUpd    string     // RSS atom:updated (extension, the first) or Atom updated (the last)
	atomPubSet bool       // an RSS atom:published was seen
	atomUpdSet bool
	atom       bool
}

// at returns the time converter.candidates would rank the item by.
func (d *itemDates) at() time.Time {
	var pub, upd string
	var pubParsed, updParsed *time.Time
	if d.atom {
		// gofeed's Atom translator: Published falls back to Updated.
		upd, updParsed = d.atomUpd, parsedFeedDate(d.atomUpd)
		pub, pubParsed = d.atomPub, parsedFeedDate(d.atomPub)
		if pub == "" {
			pub = upd
		}
		if pubParsed == nil {
			pubParsed = updParsed
		}
	} else {
		dc := d.dc
		switch {
		case d.pubText != "":
			pub = d.pubText
		case dc != "":
			pub = dc
		default:
			pub = d.atomPub
		}
		upd = cmp.Or(dc, d.atomUpd)
		updParsed = parsedFeedDate(upd)
		pubParsed = d.pubParsed
		switch {
		case pubParsed != nil:
		case dc != "": // published falls back to dc:date, which upd already read
			pubParsed = updParsed
		default:
			pubParsed = parsedFeedDate(d.atomPub)
		}
	}
	return itemTime(pubParsed, pub, updParsed, upd)
}

// dateField names which date an element inside an item holds.
type dateField int

const (
	noDate dateField = iota
	fieldPubDate
	fieldDC
	fieldAtomPub
	fieldAtomUpd
	fieldUnsure // a date in a namespace gofeed might map either way
)

func rssDateField(name xml.Name) dateField {
	switch {
	case strings.EqualFold(name.Local, "pubdate") && rssNative(name.Space):
		return fieldPubDate
	case name.Local == "date" && (name.Space == nsDC || name.Space == "dc"):
		return fieldDC
	case name.Local == "published" && atomExtSpace(name.Space):
		return fieldAtomPub
	case name.Local == "updated" && atomExtSpace(name.Space):
		return fieldAtomUpd
	case name.Space == "":
		return noDate
	case strings.EqualFold(name.Local, "pubdate"), name.Local == "date", name.Local == "published", name.Local == "updated":
		// gofeed names an extension by the prefix the document declares
		// for a namespace it does not know, so "dc" may mean anything.
		return fieldUnsure
	}
	return noDate
}

// atomExtSpace reports whether gofeed files an element in space under the
// extension keys its RSS translator reads Atom values from.
func atomExtSpace(space string) bool {
	switch space {
	case nsAtom10, nsAtom03, "atom", "atom10", "atom03":
		return true
	}
	return false
}

func atomDateField(name xml.Name) dateField {
	if !atomNative(name.Space) {
		return noDate // extensions: gofeed's Atom translator reads no date from them
	}
	switch strings.ToLower(name.Local) {
	case "published", "issued":
		return fieldAtomPub
	case "updated", "modified":
		return fieldAtomUpd
	}
	return noDate
}

// scanItems tokenizes body once. ok is false when the feed's shape is one
// trimming does not handle: then body must be parsed whole.
func scanItems(body []byte, keep int) (sc itemScan, ok bool) {
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false // as gofeed: unknown entities stay text
	var (
		atom      bool
		depth     int   // of the element just opened
		itemDepth = -1  // depth of the open item, or -1
		chanDepth = -1  // depth of an open native channel, or -1
		lastEnd   int64 // end of the previous item, or -1
		dates     itemDates
		field     dateField // of the open date element inside the item
		fieldText strings.Builder
		itemStart int64
		open      []xml.Name // raw names of the open elements
		ns        []binding
	)
	lastEnd = -1
	for {
		off := d.InputOffset()
		// RawToken, not Token: Token's namespace translation and element
		// stack cost as much again in garbage as the tokenizer itself.
		// The scan resolves the few prefixes it needs and checks nesting.
		tok, err := d.RawToken()
		if err == io.EOF {
			if depth != 0 {
				// RawToken ends a truncated document without an error:
				// elements still open are the XML error that leaves the
				// body whole (gofeed, or its repair, reads it).
				return sc, false
			}
			break
		}
		if err != nil {
			return sc, false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > maxDepth {
				return sc, false
			}
			open = append(open, t.Name)
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "xmlns":
					ns = append(ns, binding{a.Name.Local, a.Value, depth})
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					ns = append(ns, binding{"", a.Value, depth})
				}
			}
			t.Name.Space = resolve(ns, t.Name.Space)
			if field != noDate {
				return sc, false // markup inside a date: gofeed reads it otherwise
			}
			switch {
			case depth == 1:
				switch strings.ToLower(t.Name.Local) {
				case "rss", "rdf":
				case "feed":
					atom = true
				default:
					return sc, false
				}
			case itemDepth < 0 && depth == 2 && !atom && strings.EqualFold(t.Name.Local, "channel") && rssNative(t.Name.Space):
				chanDepth = depth
			case itemDepth < 0 && isItem(t.Name, atom, depth, chanDepth):
				itemDepth, itemStart, dates = depth, off, itemDates{atom: atom}
				if lastEnd >= 0 && len(bytes.TrimSpace(body[lastEnd:off])) > 0 {
					sc.gaps = append(sc.gaps, gap{lastEnd, off, sc.count - 1})
				}
			case itemDepth >= 0 && depth == itemDepth+1:
				if atom {
					field = atomDateField(t.Name)
				} else {
					field = rssDateField(t.Name)
				}
				if field == fieldUnsure {
					return sc, false
				}
				fieldText.Reset()
			}
		case xml.EndElement:
			if depth == 0 || open[depth-1] != t.Name {
				return sc, false // mismatched: leave it to gofeed's lenience
			}
			open = open[:depth-1]
			for len(ns) > 0 && ns[len(ns)-1].depth == depth {
				ns = ns[:len(ns)-1]
			}
			if field != noDate && depth == itemDepth+1 {
				dates.set(field, fieldText.String())
				field = noDate
			}
			if depth == itemDepth {
				end := d.InputOffset()
				if sc.count == 0 {
					sc.first = itemStart
				}
				sc.end, lastEnd = end, end
				sp := itemSpan{start: itemStart, end: end, pos: sc.count, at: dates.at()}
				sc.count++
				switch {
				case len(sc.kept) < keep:
					heap.Push(&sc.kept, sp)
				case sp.better(sc.kept[0]):
					sc.kept[0] = sp
					heap.Fix(&sc.kept, 0)
				}
				itemDepth = -1
			}
			if depth == chanDepth {
				chanDepth = -1
			}
			depth--
		case xml.CharData:
			if field != noDate {
				if fieldText.Len()+len(t) > 1024 {
					return sc, false // no date is that long; do not buffer a hostile one
				}
				fieldText.Write(t)
			}
		default:
			if field != noDate {
				return sc, false // a comment or PI inside a date: gofeed reads it otherwise
			}
		}
	}
	return sc, depth == 0 && sc.count > 0
}

// binding is a namespace prefix declared on an open element.
type binding struct {
	prefix, space string
	depth         int
}

// resolve returns the namespace prefix stands for, as encoding/xml's Token
// would: the innermost declaration, else "" for no prefix, else the prefix
// itself (gofeed, which uses Token, sees undeclared prefixes that way).
func resolve(ns []binding, prefix string) string {
	if prefix == "xmlns" {
		return prefix
	}
	for i := len(ns) - 1; i >= 0; i-- {
		if ns[i].prefix == prefix {
			return ns[i].space
		}
	}
	return prefix
}

func isItem(name xml.Name, atom bool, depth, chanDepth int) bool {
	if atom {
		return depth == 2 && strings.EqualFold(name.Local, "entry") && atomNative(name.Space)
	}
	return (depth == 2 || depth == chanDepth+1 && chanDepth > 0) &&
		strings.EqualFold(name.Local, "item") && rssNative(name.Space)
}

func (d *itemDates) set(f dateField, text string) {
	switch f {
	case fieldPubDate:
		d.pubText = strings.TrimSpace(text)
		if t := parsedFeedDate(d.pubText); t != nil {
			d.pubParsed = t
		}
	case fieldDC:
		if !d.dcSet {
			d.dc, d.dcSet = text, true
		}
	case fieldAtomPub:
		switch {
		case d.atom: // Atom's own element: the last one wins, trimmed
			d.atomPub = strings.TrimSpace(text)
		case !d.atomPubSet: // an extension in RSS: the first, as is
			d.atomPub, d.atomPubSet = text, true
		}
	case fieldAtomUpd:
		switch {
		case d.atom:
			d.atomUpd = strings.TrimSpace(text)
		case !d.atomUpdSet:
			d.atomUpd, d.atomUpdSet = text, true
		}
	}
}

// assemble builds the trimmed document from the scan.
func (sc *itemScan) assemble(body []byte) []byte {
	kept := []itemSpan(sc.kept)
	// Back to feed order, which dedupe by ID depends on.
	slices.SortFunc(kept, func(a, b itemSpan) int { return a.pos - b.pos })
	size := sc.first + int64(len(body)) - sc.end
	for _, sp := range kept {
		size += sp.end - sp.start + 1
	}
	for _, g := range sc.gaps {
		size += g.end - g.start
	}
	out := make([]byte, 0, size)
	out = append(out, body[:sc.first]...)
	gi := 0
	for _, sp := range kept {
		// Gaps that come before this item (after items up to it).
		for gi < len(sc.gaps) && sc.gaps[gi].after < sp.pos {
			out = append(out, body[sc.gaps[gi].start:sc.gaps[gi].end]...)
			gi++
		}
		out = append(out, body[sp.start:sp.end]...)
		out = append(out, '\n')
	}
	for ; gi < len(sc.gaps); gi++ {
		out = append(out, body[sc.gaps[gi].start:sc.gaps[gi].end]...)
	}
	return append(out, body[sc.end:]...)
}
