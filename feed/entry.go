package feed

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"tickerd/match"
	"tickerd/store"
)

// view is one ticker's items prepared for every format: cleaned, with ids
// minted and sources resolved, so the three encoders agree on every value.
type view struct {
	t       *ticker
	home    string    // this server's home page: BaseURL with a slash
	lang    string    // the feed's language, or ""
	updated time.Time // newest entry update, or the store's last change
	entries []entry
}

// entry is one item as every format publishes it. Times are UTC, whole
// seconds: RSS cannot carry more, and equal input must give equal bytes.
type entry struct {
	id         string // stable tag: URI minted from source and item id
	guid       string // RSS guid and JSON Feed id
	permalink  bool   // whether guid is the item's link
	title      string
	link       string // absolute http(s) URL, or ""
	summary    string // sanitized HTML
	author     string
	lang       string
	categories []string
	published  time.Time // zero when unknown
	updated    time.Time
	src        *source
	reports    []report // other sources that told the same story
	story      string   // store.StoryRef of the item, for the desk
	breaking   bool     // marked breaking at the desk
	pinned     bool     // pinned at the desk on this ticker
}

// report is another source's telling of an entry's story.
type report struct {
	src   *source
	title string
	link  string
	time  time.Time
	ref   string // store.StoryRef of the telling, for the desk
}

// BreakingCategory is the RSS and Atom category of a story marked
// breaking at the desk.
const BreakingCategory = "Breaking"

// source is what the feeds say about where an item came from.
type source struct {
	name    string
	title   string // the source feed's title, else its name
	feedURL string // absolute http(s) URL of the source feed, or ""
	homeURL string // absolute http(s) URL of its web site, or ""
	lang    string
}

// newView prepares items for rendering. sources caches State lookups for
// one rebuild; mod is the store's last change, the fallback for times.
func (s *Server) newView(t *ticker, items []store.Item, mod time.Time, sources map[string]*source) *view {
	v := &view{t: t, home: s.base + "/", entries: make([]entry, 0, len(items))}
	if mod.IsZero() {
		mod = time.Unix(0, 0)
	}
	mod = mod.UTC().Truncate(time.Second)
	// An updated date in the future is as untrustworthy as a published
	// one (store.Item.Time guards only the latter): it would pin the
	// feed's updated time ahead for days.
	latest := s.now().Add(store.FutureSlack)
	lookup := func(name string) *source {
		src := sources[name]
		if src == nil {
			src = s.source(name)
			sources[name] = src
		}
		return src
	}
	for i := range items {
		it := &items[i]
		src := lookup(it.Source)
		e := entry{
			id:      s.entryID(it.Source, it.ID),
			title:   formatTitle(t.TitleFormat, clean(it.Title), src),
			link:    httpURL(it.Link),
			summary: clean(it.Summary),
			author:  clean(strings.TrimSpace(it.Author)),
			lang:    langTag(it.Lang),
			src:     src,
		}
		if e.lang == "" {
			e.lang = src.lang
		}
		for _, r := range it.Reports {
			e.reports = append(e.reports, report{src: lookup(r.Source), title: clean(r.Title), link: httpURL(r.Link), time: r.Time.UTC().Truncate(time.Second), ref: store.StoryRef(r.Source, r.TellingID())})
		}
		e.guid, e.permalink = e.id, false
		if e.link != "" && it.GUID == it.Link {
			e.guid, e.permalink = e.link, true
		}
		e.story = store.StoryRef(it.Source, it.ID)
		if ed := it.Desk; ed != nil {
			e.pinned = ed.PinnedOn(t.Name)
			if ed.Breaking != nil {
				// A category readers show; first, as the news is.
				e.breaking = true
				e.categories = append(e.categories, BreakingCategory)
			}
		}
		for _, c := range it.Categories {
			c = clean(strings.TrimSpace(c))
			if c != "" && !slices.Contains(e.categories, c) {
				e.categories = append(e.categories, c)
			}
		}
		if pub := it.Time(); !pub.IsZero() {
			e.published = pub.UTC().Truncate(time.Second)
		}
		switch {
		case !it.Updated.IsZero() && !it.Updated.After(latest):
			e.updated = it.Updated.UTC().Truncate(time.Second)
		case !e.published.IsZero():
			e.updated = e.published
		default:
			e.updated = mod
		}
		if e.updated.After(v.updated) {
			v.updated = e.updated
		}
		v.entries = append(v.entries, e)
	}
	if v.updated.IsZero() {
		v.updated = mod
	}
	v.lang = t.Lang
	if v.lang == "" && len(v.entries) > 0 {
		v.lang = v.entries[0].lang
		for _, e := range v.entries[1:] {
			if e.lang != v.lang {
				v.lang = ""
				break
			}
		}
	}
	return v
}

// source resolves a source name through the store's fetch state.
func (s *Server) source(name string) *source {
	src := &source{name: name, title: clean(name)}
	st, ok := s.st.State(name)
	if !ok {
		return src
	}
	if title := clean(strings.TrimSpace(st.Title)); title != "" {
		src.title = title
	}
	// A partner's feed URL often carries its credentials; the feeds are
	// public.
	src.feedURL = httpURL(store.RedactURL(st.URL, s.private[name]))
	src.homeURL = httpURL(st.Link)
	src.lang = langTag(st.Lang)
	return src
}

// entryID mints the id of an item: the same for the same source and item
// id in every render, every ticker and every format, so readers never see
// a headline twice. The item id is hashed because it is often a long URL
// that would need escaping; 96 bits make a collision within one source
// practically impossible.
func (s *Server) entryID(sourceName, itemID string) string {
	h := sha256.New()
	h.Write([]byte(sourceName))
	h.Write([]byte{0})
	h.Write([]byte(itemID))
	var sum [sha256.Size]byte
	return s.tagBase + "item/" + url.PathEscape(sourceName) + "/" + hex.EncodeToString(h.Sum(sum[:0])[:12])
}

// httpURL returns s when it is an absolute http(s) URL and "" otherwise.
// Relative links, file paths of local sources and other schemes mean
// nothing to a reader on another machine, and some leak server paths.
func httpURL(s string) string {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return clean(s)
}

var langPattern = regexp.MustCompile(`^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$`)

// langTag returns s as a language tag in the form RFC 4287's schema
// accepts, or "" when it is not one: feeds say "en_US" or "English", and a
// bad xml:lang makes the whole Atom document invalid.
func langTag(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "_", "-")
	if !langPattern.MatchString(s) {
		return ""
	}
	return s
}

// clean returns s without what XML 1.0 cannot carry: control characters
// other than tab, newline and carriage return, surrogates, U+FFFE, U+FFFF
// and bytes that are not UTF-8. encoding/xml would turn each into U+FFFD;
// dropping them instead keeps a stray byte from showing up in a headline.
// All three formats use the cleaned text so that they agree. Its bidi
// controls are balanced too (match.SafeText): the fetcher stores text so,
// and this keeps text stored before it did from leaking an override.
func clean(s string) string {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !xmlChar(r, n) {
			return match.SafeText(cleanFrom(s, i))
		}
		i += n
	}
	return match.SafeText(s)
}

func cleanFrom(s string, i int) string {
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if xmlChar(r, n) {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// xmlChar reports whether the rune r, n bytes long, matches XML 1.0's Char.
func xmlChar(r rune, n int) bool {
	switch {
	case r == utf8.RuneError && n == 1:
		return false // invalid UTF-8
	case r < 0x20:
		return r == '\t' || r == '\n' || r == '\r'
	case r <= 0xD7FF:
		return true
	case r < 0xE000:
		return false
	case r <= 0xFFFD:
		return true
	default:
		return r >= 0x10000 && r <= 0x10FFFF
	}
}
