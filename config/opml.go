package config

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"slices"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
)

// OPML is how feed readers export subscriptions: <opml><body> holds
// <outline> elements, those with an xmlUrl attribute being feeds and
// those without, holding others, folders. sources_opml reads such a file
// so an operator can use a reader's export as it is.

// OPMLOutline is one feed found in an OPML file.
type OPMLOutline struct {
	Title   string   // the title attribute, else text
	XMLURL  string   // the feed
	HTMLURL string   // the site, when given
	Tags    []string // enclosing folders' titles, outermost first, then the category attribute's parts
	Line    int      // where the outline is in the file
}

// OPMLError is a problem at a line of an OPML file.
type OPMLError struct {
	Line int
	Msg  string
}

func (e *OPMLError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// maxOPMLDepth bounds folder nesting: real exports nest two or three deep,
// and a hostile file must not cost a stack per element.
const maxOPMLDepth = 64

// maxOPMLSize bounds the file read: a reader's export of thousands of
// feeds is well under it.
const maxOPMLSize = 16 << 20

// ParseOPML reads an OPML document and returns its feed outlines in
// document order. An error wraps *OPMLError when it has a line. Outlines
// without xmlUrl that hold no feeds (notes, separators, empty folders)
// are skipped; outline element and attribute names are matched without
// regard to case, since readers disagree (xmlUrl, xmlurl, XMLURL).
func ParseOPML(data []byte) ([]OPMLOutline, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	// Readers write entities HTML-style (&nbsp;, &eacute;) and stray
	// ampersands in titles; being lenient costs nothing here.
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	dec.CharsetReader = opmlCharset
	var (
		out              []OPMLOutline
		folders          []string // titles of the enclosing folders ("" for feeds and untitled folders)
		seenRoot, inBody bool
		depth            int
	)
	line := func() int { l, _ := dec.InputPos(); return l }
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if se, ok := errors.AsType[*xml.SyntaxError](err); ok {
				return nil, &OPMLError{Line: se.Line, Msg: "invalid XML: " + se.Msg}
			}
			return nil, &OPMLError{Line: line(), Msg: err.Error()}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > maxOPMLDepth {
				return nil, &OPMLError{Line: line(), Msg: fmt.Sprintf("elements nested deeper than %d", maxOPMLDepth)}
			}
			name := strings.ToLower(t.Name.Local)
			switch {
			case !seenRoot:
				if name != "opml" {
					return nil, &OPMLError{Line: line(), Msg: fmt.Sprintf("not an OPML file: the root element is <%s>, want <opml>", t.Name.Local)}
				}
				seenRoot = true
			case name == "body" && depth == 2:
				inBody = true
			case name == "outline" && inBody:
				o := outlineAttrs(t.Attr)
				if o.XMLURL == "" {
					folders = append(folders, o.Title)
					continue
				}
				o.Line = line()
				var tags []string
				for _, f := range folders {
					if f != "" {
						tags = appendNew(tags, f)
					}
				}
				for _, c := range o.Tags { // the category attribute's
					tags = appendNew(tags, c)
				}
				o.Tags = tags
				out = append(out, o)
				// Children of a feed outline are rare; they get no tag.
				folders = append(folders, "")
			}
		case xml.EndElement:
			depth--
			name := strings.ToLower(t.Name.Local)
			switch {
			case name == "outline" && inBody && len(folders) > 0:
				folders = folders[:len(folders)-1]
			case name == "body" && depth == 1:
				inBody = false
			}
		}
	}
	if !seenRoot {
		return nil, &OPMLError{Line: 1, Msg: "not an OPML file: no <opml> element"}
	}
	return out, nil
}

// outlineAttrs reads an outline's attributes; Tags holds the parts of its
// category attribute.
func outlineAttrs(attrs []xml.Attr) OPMLOutline {
	var o OPMLOutline
	var text, category string
	for _, a := range attrs {
		v := strings.TrimSpace(a.Value)
		switch strings.ToLower(a.Name.Local) {
		case "text":
			text = v
		case "title":
			o.Title = v
		case "xmlurl":
			o.XMLURL = v
		case "htmlurl":
			o.HTMLURL = v
		case "category":
			category = v
		}
	}
	if o.Title == "" {
		o.Title = text
	}
	if category != "" {
		// OPML 2.0: comma-separated, each a slash-delimited path
		// ("/News/World"); every part becomes a tag.
		for _, c := range strings.Split(category, ",") {
			for _, part := range strings.Split(c, "/") {
				if part = strings.TrimSpace(part); part != "" {
					o.Tags = appendNew(o.Tags, part)
				}
			}
		}
	}
	return o
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// opmlCharset decodes an OPML file written in a legacy charset, such as
// an Arabic export in windows-1256. Labels are read by the WHATWG index,
// as browsers and the fetcher read them, so "iso-8859-1" means
// windows-1252 and curly quotes and € come out right. An unknown label,
// or one that stands for no real encoding, is refused by name so that the
// operator can convert the file.
func opmlCharset(label string, r io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(strings.TrimSpace(label))
	if err == nil {
		if name, _ := htmlindex.Name(enc); name != "replacement" {
			return enc.NewDecoder().Reader(io.LimitReader(r, maxOPMLSize)), nil
		}
	}
	return nil, fmt.Errorf("encoding %q is not supported; convert the file to UTF-8", label)
}

// opmlSources reads the OPML file named at line of the config and appends
// its feeds to cfg.Sources as sources named after their titles. A feed
// whose URL a source already has is skipped (the config's own entry wins;
// a feed listed in two folders gets both folders' tags).
func (d *decoder) opmlSources(cfg *Config, line int, key, raw string) {
	path := d.path(raw)
	// A device or a pipe (/dev/stdin, a FIFO) could block a config check
	// or a reload forever, opening a FIFO included: look before opening.
	fi, err := os.Stat(path)
	if err != nil {
		d.errorf(line, key, "%v", err)
		return
	}
	if !fi.Mode().IsRegular() {
		d.errorf(line, key, "%s is not a regular file", path)
		return
	}
	f, err := os.Open(path)
	if err != nil {
		d.errorf(line, key, "%v", err)
		return
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxOPMLSize+1))
	if err != nil {
		d.errorf(line, key, "read %s: %v", path, err)
		return
	}
	if len(data) > maxOPMLSize {
		d.errorf(line, key, "%s is larger than %d MiB", path, maxOPMLSize>>20)
		return
	}
	outlines, err := ParseOPML(data)
	if err != nil {
		var oe *OPMLError
		if errors.As(err, &oe) {
			d.errs = append(d.errs, &Error{File: path, Line: oe.Line, Msg: oe.Msg})
		} else {
			d.errs = append(d.errs, &Error{File: path, Msg: err.Error()})
		}
		return
	}
	if len(outlines) == 0 {
		d.errorf(line, key, "%s lists no feeds (no <outline> with an xmlUrl attribute)", path)
		return
	}
	byURL := map[string]int{}
	names := map[string]bool{}
	for i, s := range cfg.Sources {
		byURL[normalizeURL(s.URL)] = i
		names[s.Name] = true
	}
	for _, o := range outlines {
		okey := fmt.Sprintf("outline %q", o.Title)
		if o.Title == "" {
			okey = "outline"
		}
		u, err := parseHTTPURL(o.XMLURL)
		if err != nil {
			d.errs = append(d.errs, &Error{File: path, Line: o.Line, Key: okey + " xmlUrl", Msg: err.Error()})
			continue
		}
		if i, dup := byURL[normalizeURL(o.XMLURL)]; dup {
			if cfg.Sources[i].File == path {
				for _, t := range o.Tags {
					cfg.Sources[i].Tags = appendNew(cfg.Sources[i].Tags, t)
				}
			}
			continue
		}
		name := uniqueName(sourceName(o.Title, u), names)
		names[name] = true
		byURL[normalizeURL(o.XMLURL)] = len(cfg.Sources)
		cfg.Sources = append(cfg.Sources, Source{
			Name: name, URL: o.XMLURL, Tags: o.Tags, Line: o.Line, File: path, SiteURL: o.HTMLURL, Title: o.Title,
		})
	}
}

// sourceName makes a source name from a feed's title: lower-case ASCII
// letters and digits, other runs of characters turned into one '-'. A
// title with none of those (an Arabic one, say) gives the URL's host.
func sourceName(title string, u *url.URL) string {
	if n := slug(title, false); n != "" {
		return n
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	if n := slug(host, true); n != "" {
		return n
	}
	return "feed"
}

func slug(s string, keepDots bool) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', keepDots && r == '.':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() >= 56 { // room for a "-NN" suffix within 64
			break
		}
	}
	return strings.Trim(b.String(), ".-")
}

// uniqueName appends -2, -3… to name until it is not in taken.
func uniqueName(name string, taken map[string]bool) string {
	if !taken[name] {
		return name
	}
	for i := 2; ; i++ {
		if n := fmt.Sprintf("%s-%d", name, i); !taken[n] {
			return n
		}
	}
}
